package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.DataLoader;
import dev.normgrad.data.Dataset;
import dev.normgrad.loss.Losses;
import dev.normgrad.loss.Metrics;
import dev.normgrad.nn.Module;
import dev.normgrad.optim.Optimizer;
import java.util.Iterator;
import java.util.Random;

/** The training loop pieces the experiments share: softmax cross-entropy, mini-batch steps, evaluation. */
public final class Training {
    private Training() {
    }

    /** Loss and accuracy of a model on a data set. */
    public record Evaluation(double loss, double accuracy) {
    }

    /**
     * Shuffled mini-batches without end: epoch after epoch, a new order each epoch from {@code random},
     * every batch exactly {@code batchSize} samples (the last, smaller batch of an epoch is dropped, so
     * BatchNorm never sees a batch of one).
     */
    public static Iterator<Batch> batches(Dataset data, int batchSize, Random random) {
        DataLoader loader = new DataLoader(data, batchSize, true, true, random);
        return new Iterator<>() {
            private Iterator<Batch> epoch = loader.iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                if (!epoch.hasNext()) {
                    epoch = loader.iterator();
                }
                return epoch.next();
            }
        };
    }

    /** One step: zero the gradients, cross-entropy of the batch, backward, update. Returns the loss. */
    public static double step(Module model, Optimizer optimizer, Batch batch) {
        optimizer.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.apply(batch.features()), batch.labels());
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /**
     * Cross-entropy and accuracy on the whole of {@code data}, in evaluation mode (running statistics,
     * no dropout) and without a graph; the model's mode is restored afterwards.
     */
    public static Evaluation evaluate(Module model, Dataset data) {
        boolean training = model.isTraining();
        model.eval();
        try (NoGrad off = NoGrad.enter()) {
            Tensor logits = model.apply(data.features());
            return new Evaluation(Losses.crossEntropy(logits, data.labels()).item(), Metrics.accuracy(logits, data.labels()));
        } finally {
            model.train(training);
        }
    }

    /** Test accuracy in evaluation mode: {@code evaluate(model, data).accuracy()}. */
    public static double accuracy(Module model, Dataset data) {
        return evaluate(model, data).accuracy();
    }
}
