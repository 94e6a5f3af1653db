package dev.normgrad.tutorials.bench;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normgrad.testing.Tolerance;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The engine's W1, W2 and W4 steps compute what the hand-written ones do (same loss, same gradients,
 * same updated weights), so engine ÷ raw in the benchmarks compares equal work.
 */
class EngineMatchesRawTest {
    /** The same arithmetic in another order: 1e-10 relative, absolute below 1. */
    private static final Tolerance SAME = Tolerance.relative(1e-10).withScaleFloor(1);

    @Test
    void w1LossGradientsAndUpdatesMatchTheHandWrittenStep() {
        W1Raw raw = new W1Raw(12, 8, 4, 10, 0.1, 5);
        W1Engine engine = new W1Engine(new W1Raw(12, 8, 4, 10, 0.1, 5));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        assertClose(raw.dw1, engine.fc1.weight().gradData(), SAME, "dW1");
        assertClose(raw.db1, engine.fc1.bias().gradData(), SAME, "db1");
        assertClose(raw.dg1, engine.bn1.weight().gradData(), SAME, "dγ1");
        assertClose(raw.dbe1, engine.bn1.bias().gradData(), SAME, "dβ1");
        assertClose(raw.dw2, engine.fc2.weight().gradData(), SAME, "dW2");
        assertClose(raw.dg2, engine.bn2.weight().gradData(), SAME, "dγ2");
        assertClose(raw.dw3, engine.fc3.weight().gradData(), SAME, "dW3");
        assertClose(raw.db3, engine.fc3.bias().gradData(), SAME, "db3");
        for (int step = 0; step < 3; step++) {
            assertEquals(raw.step(), engine.step(), 1e-10, "loss at step " + step);
        }
        assertClose(raw.w1, engine.fc1.weight().data(), SAME, "W1 after 3 steps");
        assertClose(raw.runningVar2, engine.bn2.runningVar().data(), SAME, "runningVar of the second BatchNorm");
    }

    @Test
    void w4LossGradientsAndUpdatesMatchTheHandWrittenStep() {
        W4Raw raw = new W4Raw(6, 10, 0.1, 5);
        W4Engine engine = new W4Engine(new W4Raw(6, 10, 0.1, 5));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        DMatrixRMaj[] g1 = raw.conv1Gradients();
        assertClose(g1[0], engine.conv1.weight().gradData(), SAME, "dW conv1");
        assertClose(g1[1], engine.conv1.bias().gradData(), SAME, "db conv1 (0 up to rounding: BatchNorm follows)");
        assertClose(g1[2], engine.bn1.weight().gradData(), SAME, "dγ1");
        assertClose(g1[3], engine.bn1.bias().gradData(), SAME, "dβ1");
        DMatrixRMaj[] g2 = raw.conv2Gradients();
        assertClose(g2[0], engine.conv2.weight().gradData(), SAME, "dW conv2");
        assertClose(g2[2], engine.bn2.weight().gradData(), SAME, "dγ2");
        assertClose(g2[3], engine.bn2.bias().gradData(), SAME, "dβ2");
        assertClose(raw.dw3, engine.fc.weight().gradData(), SAME, "dW fc");
        assertClose(raw.db3, engine.fc.bias().gradData(), SAME, "db fc");
        for (int step = 0; step < 3; step++) {
            assertEquals(raw.step(), engine.step(), 1e-10, "loss at step " + step);
        }
        assertClose(raw.conv2Weight(), engine.conv2.weight().data(), SAME, "conv2's W after 3 steps");
        assertClose(raw.runningVar2(), engine.bn2.runningVar().data(), SAME, "runningVar of the second BatchNorm2d");
    }

    @Test
    void w2LossAndGradientsMatchTheHandWrittenStep() {
        W2Raw raw = new W2Raw(3, 6, 5, 4, 8);
        W2Engine engine = new W2Engine(new W2Raw(3, 6, 5, 4, 8));
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12);
        assertClose(raw.dwih, engine.cell.weightIh().gradData(), SAME, "dW_ih");
        assertClose(raw.dbih, engine.cell.biasIh().gradData(), SAME, "db_ih");
        assertClose(raw.dwhh, engine.cell.weightHh().gradData(), SAME, "dW_hh");
        assertClose(raw.dbhh, engine.cell.biasHh().gradData(), SAME, "db_hh");
        assertClose(raw.dgamma, engine.norm.weight().gradData(), SAME, "dγ");
        assertClose(raw.dbeta, engine.norm.bias().gradData(), SAME, "dβ");
        assertEquals(raw.lossAndGradients(), engine.lossAndGradients(), 1e-12, "a second call starts from zero gradients");
        assertClose(raw.dwhh, engine.cell.weightHh().gradData(), SAME, "dW_hh, second call");
    }
}
