package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.CrossEntropyLoss;
import dev.normgrad.nn.Sequential;
import dev.normgrad.optim.SGD;
import org.ejml.data.DMatrixRMaj;

/**
 * A classifier's training step through the engine, as a learner writes it (W1 and W4):
 * <pre>{@code
 * optimizer.zeroGrad(); criterion.apply(model.apply(x), labels).backward(); optimizer.step();
 * }</pre>
 * with plain SGD and cross-entropy, on one fixed batch.
 */
final class ClassifierStep {
    private final Sequential model;
    private final SGD optimizer;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private final Tensor x;
    private final int[] labels;

    /** Trains {@code model} by SGD at {@code lr} on a copy of the batch {@code x}, {@code labels}. */
    ClassifierStep(Sequential model, double lr, DMatrixRMaj x, int[] labels) {
        this.model = model;
        this.optimizer = new SGD(model.parameters(), lr);
        this.x = Tensor.wrap(x.copy());
        this.labels = labels.clone();
    }

    /** One training step: zero the gradients, forward, backward, SGD update. Returns the loss. */
    double step() {
        double loss = lossAndGradients();
        optimizer.step();
        return loss;
    }

    /** Forward and backward without the update (for comparing gradients with the raw step). */
    double lossAndGradients() {
        optimizer.zeroGrad();
        Tensor loss = criterion.apply(model.apply(x), labels);
        loss.backward();
        return loss.item();
    }
}
