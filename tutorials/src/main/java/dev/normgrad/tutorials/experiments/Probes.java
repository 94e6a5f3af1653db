package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Dataset;
import dev.normgrad.gradcheck.Checkable;
import dev.normgrad.loss.Metrics;
import dev.normgrad.nn.Module;
import dev.normgrad.norm.RunningStatsNormalization;
import java.util.Arrays;

/**
 * Measurements that look inside a model without changing it: what one layer outputs on a batch,
 * accuracy when BatchNorm uses the batch's own statistics, the data statistics a BatchNorm layer sees.
 * Each saves the model's buffers and mode and restores them, so a measurement in the middle of
 * training leaves the training run exactly as it was.
 */
public final class Probes {
    private Probes() {
    }

    /**
     * The output of {@code layer} (a module inside {@code model}) when {@code model} runs on
     * {@code input}, without a graph. In training mode ({@code trainingMode}) BatchNorm normalizes with
     * {@code input}'s own statistics; its running statistics are restored afterwards.
     */
    public static Tensor layerOutput(Module model, Module layer, Tensor input, boolean trainingMode) {
        Tensor[] captured = new Tensor[1];
        Module.ForwardHook hook = layer.addForwardHook((m, in, out) -> captured[0] = out.detach());
        Checkable.State state = model.saveState();
        boolean training = model.isTraining();
        model.train(trainingMode);
        try (NoGrad off = NoGrad.enter()) {
            model.apply(input);
        } finally {
            model.train(training);
            state.restore();
            layer.removeHook(hook);
        }
        if (captured[0] == null) {
            throw new IllegalArgumentException("Probes.layerOutput: " + layer.getClass().getSimpleName()
                    + " did not run in the model's forward; pass a layer of this model");
        }
        return captured[0];
    }

    /** Column {@code j} of {@code t} as an array. */
    public static double[] column(Tensor t, int j) {
        double[] c = new double[t.rows()];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.get(i, j);
        }
        return c;
    }

    /** All entries of {@code t} (a copy). */
    public static double[] values(Tensor t) {
        return Arrays.copyOf(t.data().data, t.rows() * t.cols());
    }

    /**
     * Accuracy on {@code data} when every BatchNorm normalizes with the statistics of the batch it is
     * given (training mode) instead of its running statistics: the data is cut, in order, into batches
     * of {@code batchSize} (a last batch of one sample joins the previous one). Buffers and mode are
     * restored afterwards.
     */
    public static double accuracyWithBatchStatistics(Module model, Dataset data, int batchSize) {
        if (batchSize < 2) {
            throw new IllegalArgumentException("Probes.accuracyWithBatchStatistics: a batch needs at least 2 samples, got "
                    + batchSize);
        }
        Checkable.State state = model.saveState();
        boolean training = model.isTraining();
        model.train();
        int n = data.size();
        int right = 0;
        try (NoGrad off = NoGrad.enter()) {
            int from = 0;
            while (from < n) {
                int to = Math.min(n, from + batchSize);
                if (n - to == 1) {
                    to = n;
                }
                int[] idx = new int[to - from];
                for (int k = 0; k < idx.length; k++) {
                    idx[k] = from + k;
                }
                Dataset batch = data.subset(idx);
                int[] predicted = Metrics.argmax(model.apply(batch.features()));
                for (int k = 0; k < idx.length; k++) {
                    if (predicted[k] == batch.label(k)) {
                        right++;
                    }
                }
                from = to;
            }
        } finally {
            model.train(training);
            state.restore();
        }
        return right / (double) n;
    }

    /**
     * How far a BatchNorm layer's running statistics are from the statistics of what it actually
     * receives when {@code model} runs on all of {@code data} with its current weights (in evaluation
     * mode): {@link #meanError} and {@link #varianceError}, returned as {meanError, varError}.
     */
    public static double[] runningStatisticsError(Module model, RunningStatsNormalization bn, Dataset data) {
        Tensor input = layerInput(model, bn, data.features());
        double[][] stats = columnMeanAndVariance(input);
        return new double[] {meanError(bn.runningMean().data().data, stats[0], stats[1]),
                relativeError(bn.runningVar().data().data, stats[1])};
    }

    /**
     * ‖m − μ‖ / ‖σ‖: how far an estimated mean m is from the true μ, in units of the data's spread
     * (σ² the true variances, per feature). Relative to ‖μ‖ would blow up for centred data.
     */
    public static double meanError(double[] estimate, double[] mean, double[] variance) {
        double diff = 0;
        double spread = 0;
        for (int i = 0; i < mean.length; i++) {
            diff += (estimate[i] - mean[i]) * (estimate[i] - mean[i]);
            spread += variance[i];
        }
        return Math.sqrt(diff / spread);
    }

    /** ‖v − σ²‖ / ‖σ²‖: the relative error of estimated variances v. */
    public static double varianceError(double[] estimate, double[] variance) {
        return relativeError(estimate, variance);
    }

    /** The input that {@code layer} receives when {@code model} runs on {@code x} in evaluation mode. */
    public static Tensor layerInput(Module model, Module layer, Tensor x) {
        Tensor[] captured = new Tensor[1];
        Module.ForwardHook hook = layer.addForwardHook((m, in, out) -> captured[0] = in.detach());
        Checkable.State state = model.saveState();
        boolean training = model.isTraining();
        model.eval();
        try (NoGrad off = NoGrad.enter()) {
            model.apply(x);
        } finally {
            model.train(training);
            state.restore();
            layer.removeHook(hook);
        }
        return captured[0];
    }

    /** Per column: the mean and the unbiased variance, {means, variances}. */
    public static double[][] columnMeanAndVariance(Tensor x) {
        int n = x.rows();
        int c = x.cols();
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] d = x.data().data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                mean[j] += d[i * c + j];
            }
        }
        for (int j = 0; j < c; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double e = d[i * c + j] - mean[j];
                var[j] += e * e;
            }
        }
        for (int j = 0; j < c; j++) {
            var[j] /= n - 1;
        }
        return new double[][] {mean, var};
    }

    /** ‖a − b‖ / ‖b‖ (‖a − b‖ when b is zero). */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < b.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            ref += b[i] * b[i];
        }
        return ref == 0 ? Math.sqrt(diff) : Math.sqrt(diff / ref);
    }
}
