package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The engine's W1, W2 and W4 steps compute what the hand-written ones do (same loss, same gradients,
 * same updated weights), so engine ÷ raw in the benchmarks compares equal work.
 */
class EngineMatchesRawTest {
    private static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.numRows, actual.numRows, what + " rows");
        assertEquals(expected.numCols, actual.numCols, what + " columns");
        for (int i = 0; i < expected.getNumElements(); i++) {
            assertEquals(expected.data[i], actual.data[i], 1e-10 * Math.max(1, Math.abs(expected.data[i])), what + " entry " + i);
        }
    }

    @Test
    void w1LossGradientsAndUpdatesMatchTheHandWrittenStep() {
        W1Raw raw = new W1Raw(12, 8, 4, 10, 0.1, 5);
        W1Engine engine = new W1Engine(new W1Raw(12, 8, 4, 10, 0.1, 5));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        assertClose(raw.dw1, engine.fc1.weight().gradData(), "dW1");
        assertClose(raw.db1, engine.fc1.bias().gradData(), "db1");
        assertClose(raw.dg1, engine.bn1.weight().gradData(), "dγ1");
        assertClose(raw.dbe1, engine.bn1.bias().gradData(), "dβ1");
        assertClose(raw.dw2, engine.fc2.weight().gradData(), "dW2");
        assertClose(raw.dg2, engine.bn2.weight().gradData(), "dγ2");
        assertClose(raw.dw3, engine.fc3.weight().gradData(), "dW3");
        assertClose(raw.db3, engine.fc3.bias().gradData(), "db3");
        for (int step = 0; step < 3; step++) {
            assertEquals(raw.step(), engine.step(), 1e-10, "loss at step " + step);
        }
        assertClose(raw.w1, engine.fc1.weight().data(), "W1 after 3 steps");
        assertClose(raw.runningVar2, engine.bn2.runningVar().data(), "runningVar of the second BatchNorm");
    }

    @Test
    void w4LossGradientsAndUpdatesMatchTheHandWrittenStep() {
        W4Raw raw = new W4Raw(6, 10, 0.1, 5);
        W4Engine engine = new W4Engine(new W4Raw(6, 10, 0.1, 5));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        DMatrixRMaj[] g1 = raw.conv1Gradients();
        assertClose(g1[0], engine.conv1.weight().gradData(), "dW conv1");
        assertClose(g1[1], engine.conv1.bias().gradData(), "db conv1 (0 up to rounding: BatchNorm follows)");
        assertClose(g1[2], engine.bn1.weight().gradData(), "dγ1");
        assertClose(g1[3], engine.bn1.bias().gradData(), "dβ1");
        DMatrixRMaj[] g2 = raw.conv2Gradients();
        assertClose(g2[0], engine.conv2.weight().gradData(), "dW conv2");
        assertClose(g2[2], engine.bn2.weight().gradData(), "dγ2");
        assertClose(g2[3], engine.bn2.bias().gradData(), "dβ2");
        assertClose(raw.dw3, engine.fc.weight().gradData(), "dW fc");
        assertClose(raw.db3, engine.fc.bias().gradData(), "db fc");
        for (int step = 0; step < 3; step++) {
            assertEquals(raw.step(), engine.step(), 1e-10, "loss at step " + step);
        }
        assertClose(raw.conv2Weight(), engine.conv2.weight().data(), "conv2's W after 3 steps");
        assertClose(raw.runningVar2(), engine.bn2.runningVar().data(), "runningVar of the second BatchNorm2d");
    }

    @Test
    void w2LossAndGradientsMatchTheHandWrittenStep() {
        W2Raw raw = new W2Raw(3, 6, 5, 4, 8);
        W2Engine engine = new W2Engine(new W2Raw(3, 6, 5, 4, 8));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        assertClose(raw.dwih, engine.ih.weight().gradData(), "dW_ih");
        assertClose(raw.dbih, engine.ih.bias().gradData(), "db_ih");
        assertClose(raw.dwhh, engine.hh.weight().gradData(), "dW_hh");
        assertClose(raw.dbhh, engine.hh.bias().gradData(), "db_hh");
        assertClose(raw.dgamma, engine.norm.weight().gradData(), "dγ");
        assertClose(raw.dbeta, engine.norm.bias().gradData(), "dβ");
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12, "a second call starts from zero gradients");
        assertClose(raw.dwhh, engine.hh.weight().gradData(), "dW_hh, second call");
    }
}
