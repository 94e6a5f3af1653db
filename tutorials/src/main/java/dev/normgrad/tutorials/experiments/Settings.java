package dev.normgrad.tutorials.experiments;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an experiment on the digits trains, with named fields, so that a chapter's sweep reads
 * {@code Settings.defaults().withSteps(3000)} and a learner changes one number by its name. Immutable:
 * every {@code withX} returns a copy with one field changed.
 *
 * @param hidden       the width of each hidden layer, input side first
 * @param activation   the nonlinearity after each hidden layer
 * @param init         how every Linear's weights are drawn
 * @param batchSize    training examples per step
 * @param learningRate the optimizer's step size
 * @param steps        training steps
 * @param evalEvery    steps between two measurements of the test accuracy (step 0 is measured)
 * @param seeds        the runs to make: each seed draws its own weights and batch order (the split of the
 *                     digits stays {@link DigitsSplit#load}'s of the first seed)
 * @param eps          BatchNorm's ε, added to the variance inside the square root
 * @param momentum     BatchNorm's momentum (PyTorch's convention: the weight of the new batch in the
 *                     running statistics), or null for the cumulative average
 */
public record Settings(int[] hidden, Activation activation, WeightInit init, int batchSize, double learningRate, int steps,
                       int evalEvery, long[] seeds, double eps, Double momentum) {

    public Settings {
        if (hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("Settings: hidden widths must be at least one positive width, got "
                    + Arrays.toString(hidden));
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("Settings: batchSize must be at least 2 (BatchNorm needs two examples), got " + batchSize);
        }
        if (steps < 0 || evalEvery < 1) {
            throw new IllegalArgumentException("Settings: steps must be >= 0 and evalEvery >= 1, got " + steps + ", " + evalEvery);
        }
        if (seeds.length == 0) {
            throw new IllegalArgumentException("Settings: give at least one seed");
        }
        hidden = hidden.clone();
        seeds = seeds.clone();
    }

    /**
     * The course's usual network and budget: 3 hidden layers of 100 ReLU units with He's initialisation,
     * SGD at learning rate 0.1 on batches of 32 for 300 steps, test accuracy every 10 steps, seeds 1, 2
     * and 3; BatchNorm with PyTorch's ε = 1e-5 and momentum 0.1.
     */
    public static Settings defaults() {
        return new Settings(new int[] {100, 100, 100}, Activation.RELU, WeightInit.he(), 32, 0.1, 300, 10, new long[] {1, 2, 3},
                1e-5, 0.1);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    /** The first seed: the one a chapter draws its figures from. */
    public long seed() {
        return seeds[0];
    }

    public Settings withHidden(int... widths) {
        return new Settings(widths, activation, init, batchSize, learningRate, steps, evalEvery, seeds, eps, momentum);
    }

    public Settings withActivation(Activation a) {
        return new Settings(hidden, a, init, batchSize, learningRate, steps, evalEvery, seeds, eps, momentum);
    }

    public Settings withInit(WeightInit w) {
        return new Settings(hidden, activation, w, batchSize, learningRate, steps, evalEvery, seeds, eps, momentum);
    }

    public Settings withBatchSize(int b) {
        return new Settings(hidden, activation, init, b, learningRate, steps, evalEvery, seeds, eps, momentum);
    }

    public Settings withLearningRate(double lr) {
        return new Settings(hidden, activation, init, batchSize, lr, steps, evalEvery, seeds, eps, momentum);
    }

    public Settings withSteps(int n) {
        return new Settings(hidden, activation, init, batchSize, learningRate, n, evalEvery, seeds, eps, momentum);
    }

    public Settings withEvalEvery(int n) {
        return new Settings(hidden, activation, init, batchSize, learningRate, steps, n, seeds, eps, momentum);
    }

    public Settings withSeeds(long... s) {
        return new Settings(hidden, activation, init, batchSize, learningRate, steps, evalEvery, s, eps, momentum);
    }

    public Settings withEps(double e) {
        return new Settings(hidden, activation, init, batchSize, learningRate, steps, evalEvery, seeds, e, momentum);
    }

    /** @param m the new batch's weight in the running statistics, or null for the cumulative average */
    public Settings withMomentum(Double m) {
        return new Settings(hidden, activation, init, batchSize, learningRate, steps, evalEvery, seeds, eps, m);
    }

    /** One line a learner can read back: {@code hidden [100, 100, 100], relu, init he, batch 32, lr 0.1, 300 steps, ...}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "hidden %s, %s, init %s, batch %d, lr %s, %d steps, test accuracy every %d, seeds %s, "
                        + "BatchNorm eps %s and momentum %s", Arrays.toString(hidden), activation.label(), init.label(), batchSize,
                format(learningRate), steps, evalEvery, Arrays.toString(seeds), format(eps),
                momentum == null ? "none (cumulative average)" : format(momentum));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && Arrays.equals(hidden, s.hidden) && activation == s.activation && init.equals(s.init)
                && batchSize == s.batchSize && learningRate == s.learningRate && steps == s.steps && evalEvery == s.evalEvery
                && Arrays.equals(seeds, s.seeds) && eps == s.eps && java.util.Objects.equals(momentum, s.momentum);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(hidden), activation, init, batchSize, learningRate, steps, evalEvery,
                Arrays.hashCode(seeds), eps, momentum);
    }

    /** A setting as short as it is exact: 0.1, 1e-05, 3000. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.valueOf((long) v);
        }
        if (Math.abs(v) >= 1e-3) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.6e", v).replaceAll("\\.?0+e", "e");
    }
}
