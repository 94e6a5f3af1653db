package dev.normgrad.tutorials.bench;

import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.tutorials.experiments.Nets;
import java.util.Random;

/**
 * Workload W4 through the engine, as a learner writes it: the course's small CNN with BatchNorm2d,
 * {@link Nets#digitsCnn}, and
 * <pre>{@code
 * optimizer.zeroGrad(); criterion.apply(model.apply(x), labels).backward(); optimizer.step();
 * }</pre>
 * with the weights, batch and learning rate of a {@link W4Raw}, so the two compute the same step
 * (tested) and engine ÷ raw is the engine's overhead.
 */
public final class W4Engine {
    final Sequential model;
    final Conv2d conv1;
    final Conv2d conv2;
    final BatchNorm2d bn1;
    final BatchNorm2d bn2;
    final Linear fc;
    private final ClassifierStep step;

    /** The network, batch and learning rate of {@code raw}, copied. */
    public W4Engine(W4Raw raw) {
        model = Nets.digitsCnn(Nets.ImageNorm.BATCH_NORM, new Random(0));   // the weights are overwritten with raw's
        conv1 = (Conv2d) model.get(0);
        bn1 = (BatchNorm2d) model.get(1);
        conv2 = (Conv2d) model.get(4);
        bn2 = (BatchNorm2d) model.get(5);
        fc = (Linear) model.get(9);
        RawMatrices.copy("W4Engine", raw.conv1Weight(), conv1.weight().data());
        RawMatrices.copy("W4Engine", raw.conv1Bias(), conv1.bias().data());
        RawMatrices.copy("W4Engine", raw.conv2Weight(), conv2.weight().data());
        RawMatrices.copy("W4Engine", raw.conv2Bias(), conv2.bias().data());
        RawMatrices.copy("W4Engine", raw.w3, fc.weight().data());
        RawMatrices.copy("W4Engine", raw.b3, fc.bias().data());
        step = new ClassifierStep(model, raw.lr, raw.x, raw.labels);
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
