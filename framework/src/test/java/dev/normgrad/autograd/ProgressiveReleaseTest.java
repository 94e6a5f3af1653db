package dev.normgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Without a retained graph, each op is released as soon as its backward has run, so that what it
 * kept alive can be collected while the pass goes on; with a retained graph nothing is released.
 */
class ProgressiveReleaseTest {

    /** Identity that records, when its backward runs, how many inputs its consumer still holds. */
    private static final class Probe extends Function {
        Function consumer;
        final List<Integer> consumerInputsSeen = new ArrayList<>();

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            return in[0].copy();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            consumerInputsSeen.add(consumer.inputs().size());
            for (int i = 0; i < dy.getNumElements(); i++) {
                dx[0].data[i] += dy.data[i];
            }
        }
    }

    @Test
    void anOpIsReleasedBeforeTheOpsBelowItRunTheirBackward() {
        Tensor x = Tensor.of(1, 2, 1, 2).requiresGrad(true);
        Probe probe = new Probe();
        Tensor hidden = probe.apply(x);
        Tensor loss = hidden.mul(hidden).sum();
        Function sum = loss.creator();
        Function mul = sum.inputs().get(0).creator();
        probe.consumer = mul;
        loss.backward();
        assertEquals(List.of(0), probe.consumerInputsSeen, "mul was released before probe's backward ran");
        assertTrue(hidden.creator() == null && !hidden.isLeaf(), "hidden's op is released too, after its own backward");
        assertEquals(2.0, x.gradData().data[0], 0.0, "dL/dx = 2x");
        IllegalStateException again = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(again.getMessage().contains("already released"), again.getMessage());
    }

    @Test
    void aRetainedGraphKeepsEveryOpThroughThePass() {
        Tensor x = Tensor.of(1, 2, 1, 2).requiresGrad(true);
        Probe probe = new Probe();
        Tensor hidden = probe.apply(x);
        Tensor loss = hidden.mul(hidden).sum();
        probe.consumer = loss.creator().inputs().get(0).creator();
        loss.backward(true);
        loss.backward(true);
        assertEquals(List.of(2, 2), probe.consumerInputsSeen, "mul keeps both inputs (hidden twice) in both passes");
        assertEquals(4.0, x.gradData().data[0], 0.0, "two passes: 2 · 2x");
    }
}
