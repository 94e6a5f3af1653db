package dev.normgrad.tutorials.bench;

import dev.normgrad.nn.Linear;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import java.util.Random;

/**
 * Workload W1 through the engine, as a learner writes it:
 * <pre>{@code
 * Sequential model = new Sequential(new Linear(784, 256), new BatchNorm1d(256), new ReLU(),
 *         new Linear(256, 256), new BatchNorm1d(256), new ReLU(), new Linear(256, 10));
 * optimizer.zeroGrad(); criterion.apply(model.apply(x), labels).backward(); optimizer.step();
 * }</pre>
 * with the weights, batch and learning rate of a {@link W1Raw}, so the two compute the same step
 * (tested) and engine ÷ raw is the engine's overhead.
 */
public final class W1Engine {
    final Linear fc1;
    final Linear fc2;
    final Linear fc3;
    final BatchNorm1d bn1;
    final BatchNorm1d bn2;
    private final ClassifierStep step;

    /** The network, batch and learning rate of {@code raw}, copied. */
    public W1Engine(W1Raw raw) {
        Random unused = new Random(0);   // the weights are overwritten with raw's
        fc1 = new Linear(raw.w1.numCols, raw.w1.numRows, true, unused);
        fc2 = new Linear(raw.w2.numCols, raw.w2.numRows, true, unused);
        fc3 = new Linear(raw.w3.numCols, raw.w3.numRows, true, unused);
        bn1 = new BatchNorm1d(raw.w1.numRows);
        bn2 = new BatchNorm1d(raw.w2.numRows);
        RawMatrices.copy("W1Engine", raw.w1, fc1.weight().data());
        RawMatrices.copy("W1Engine", raw.b1, fc1.bias().data());
        RawMatrices.copy("W1Engine", raw.w2, fc2.weight().data());
        RawMatrices.copy("W1Engine", raw.b2, fc2.bias().data());
        RawMatrices.copy("W1Engine", raw.w3, fc3.weight().data());
        RawMatrices.copy("W1Engine", raw.b3, fc3.bias().data());
        RawMatrices.copy("W1Engine", raw.g1, bn1.weight().data());
        RawMatrices.copy("W1Engine", raw.be1, bn1.bias().data());
        RawMatrices.copy("W1Engine", raw.g2, bn2.weight().data());
        RawMatrices.copy("W1Engine", raw.be2, bn2.bias().data());
        step = new ClassifierStep(new Sequential(fc1, bn1, new ReLU(), fc2, bn2, new ReLU(), fc3), raw.lr, raw.x, raw.labels);
    }

    /** One training step: zero the gradients, forward, backward, SGD update. Returns the loss. */
    public double step() {
        return step.step();
    }

    /** Forward and backward without the update (for comparing gradients with the raw step). */
    double lossAndGradients() {
        return step.lossAndGradients();
    }
}
