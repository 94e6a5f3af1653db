package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.CrossEntropyLoss;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.optim.SGD;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

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
    private final Sequential model;
    private final SGD optimizer;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private final Tensor x;
    private final int[] labels;

    /** The network, batch and learning rate of {@code raw}, copied. */
    public W1Engine(W1Raw raw) {
        Random unused = new Random(0);   // the weights are overwritten with raw's
        fc1 = new Linear(raw.w1.numCols, raw.w1.numRows, true, unused);
        fc2 = new Linear(raw.w2.numCols, raw.w2.numRows, true, unused);
        fc3 = new Linear(raw.w3.numCols, raw.w3.numRows, true, unused);
        bn1 = new BatchNorm1d(raw.w1.numRows);
        bn2 = new BatchNorm1d(raw.w2.numRows);
        copy(raw.w1, fc1.weight().data());
        copy(raw.b1, fc1.bias().data());
        copy(raw.w2, fc2.weight().data());
        copy(raw.b2, fc2.bias().data());
        copy(raw.w3, fc3.weight().data());
        copy(raw.b3, fc3.bias().data());
        copy(raw.g1, bn1.weight().data());
        copy(raw.be1, bn1.bias().data());
        copy(raw.g2, bn2.weight().data());
        copy(raw.be2, bn2.bias().data());
        model = new Sequential(fc1, bn1, new ReLU(), fc2, bn2, new ReLU(), fc3);
        optimizer = new SGD(model.parameters(), raw.lr);
        x = Tensor.wrap(raw.x.copy());
        labels = raw.labels.clone();
    }

    /** One training step: zero the gradients, forward, backward, SGD update. Returns the loss. */
    public double step() {
        optimizer.zeroGrad();
        Tensor loss = criterion.apply(model.apply(x), labels);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /** Forward and backward without the update (for comparing gradients with the raw step). */
    double lossAndGradients() {
        optimizer.zeroGrad();
        Tensor loss = criterion.apply(model.apply(x), labels);
        loss.backward();
        return loss.item();
    }

    private static void copy(DMatrixRMaj from, DMatrixRMaj to) {
        if (from.numRows != to.numRows || from.numCols != to.numCols) {
            throw new IllegalStateException("W1Engine: " + from.numRows + "x" + from.numCols + " into "
                    + to.numRows + "x" + to.numCols);
        }
        System.arraycopy(from.data, 0, to.data, 0, from.getNumElements());
    }
}
