package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997, experiment 4; in the form of Le, Jaitly &amp;
 * Hinton 2015): a sequence of T steps, each step two features {@code [value, marker]} with the
 * value uniform in [0, 1); exactly two steps are marked (marker 1, else 0), one uniformly in the
 * first half and one in the second half. The target is the sum of the two marked values.
 *
 * <p>Predicting the mean, 1, whatever the input gives the mean squared error
 * Var(u₁ + u₂) = 2 · 1/12 = 1/6 ≈ 0.167 ({@link #MEAN_BASELINE_MSE}); a model has learned something
 * only below that. To solve it the network must carry the first marked value over at least T/2
 * steps, which a plain tanh RNN fails to learn for long T: the gradient from the target to the first
 * marked step vanishes.
 *
 * <pre>{@code
 * AddingProblem task = new AddingProblem(50, new Random(1));
 * SequenceBatch batch = task.sample(64);     // 50 steps of 64×2, targets 64×1
 * }</pre>
 */
public final class AddingProblem {
    /** The mean squared error of always predicting the mean: Var(u₁ + u₂) = 1/6. */
    public static final double MEAN_BASELINE_MSE = 1.0 / 6.0;
    /** Features per step: the value and the marker. */
    public static final int FEATURES = 2;

    private final int length;
    private final Random random;

    /**
     * @param length T, the steps per sequence (at least 2)
     * @param random draws the values and the marked positions (seed it for the same data every run)
     */
    public AddingProblem(int length, Random random) {
        if (length < 2) {
            throw new IllegalArgumentException("AddingProblem: a sequence needs at least 2 steps (two marked ones), got " + length);
        }
        if (random == null) {
            throw new IllegalArgumentException("AddingProblem: the Random is null; pass new Random(seed)");
        }
        this.length = length;
        this.random = random;
    }

    /** N new sequences: T steps of N×2 [value, marker], targets N×1 (the sums), no labels. */
    public SequenceBatch sample(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("AddingProblem: batchSize must be positive, got " + batchSize);
        }
        double[][][] x = new double[length][batchSize][FEATURES];
        double[] sums = new double[batchSize];
        int half = length / 2;
        for (int n = 0; n < batchSize; n++) {
            for (int t = 0; t < length; t++) {
                x[t][n][0] = random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            x[first][n][1] = 1;
            x[second][n][1] = 1;
            sums[n] = x[first][n][0] + x[second][n][0];
        }
        List<Tensor> steps = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            steps.add(Tensor.of(x[t]));
        }
        return new SequenceBatch(steps, Tensor.column(sums), null);
    }

    /** T. */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "AddingProblem(length=" + length + ")";
    }
}
