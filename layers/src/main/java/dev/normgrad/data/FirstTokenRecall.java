package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A memory task of length T: remember the first token of the sequence until the end (the simplest
 * form of the copy task of Hochreiter &amp; Schmidhuber 1997 and Arjovsky, Shah &amp; Bengio 2016).
 *
 * <pre>
 *   features per step: K one-hot symbol columns, then a recall cue column     (K + 1)
 *   step 0:          the token to remember, a symbol drawn uniformly from K
 *   steps 1 … T−2:   distractors, random symbols from the same K
 *   step T−1:        no symbol, the recall cue set to 1
 *   label:           the step-0 symbol
 * </pre>
 * Guessing gives accuracy 1/K and cross-entropy log K; doing better needs the state to carry the
 * first token across T−1 steps of distractors.
 *
 * <pre>{@code
 * FirstTokenRecall task = new FirstTokenRecall(20, 4, new Random(1));
 * SequenceBatch batch = task.sample(32);     // 20 steps of 32×5, labels 0..3
 * }</pre>
 */
public final class FirstTokenRecall {
    private final int length;
    private final int symbols;
    private final Random random;

    /**
     * @param length  T, steps per sequence (at least 2: the token and the cue)
     * @param symbols K, the number of distinct tokens (at least 2)
     * @param random  draws the tokens (seed it for the same data every run)
     */
    public FirstTokenRecall(int length, int symbols, Random random) {
        if (length < 2 || symbols < 2) {
            throw new IllegalArgumentException("FirstTokenRecall: needs length >= 2 and symbols >= 2, got length="
                    + length + ", symbols=" + symbols);
        }
        if (random == null) {
            throw new IllegalArgumentException("FirstTokenRecall: the Random is null; pass new Random(seed)");
        }
        this.length = length;
        this.symbols = symbols;
        this.random = random;
    }

    /** N new sequences: T steps of N×(K+1), labels the first tokens, targets their one-hot rows. */
    public SequenceBatch sample(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("FirstTokenRecall: batchSize must be positive, got " + batchSize);
        }
        int features = symbols + 1;
        double[][][] x = new double[length][batchSize][features];
        int[] labels = new int[batchSize];
        double[][] oneHot = new double[batchSize][symbols];
        for (int n = 0; n < batchSize; n++) {
            labels[n] = random.nextInt(symbols);
            oneHot[n][labels[n]] = 1;
            x[0][n][labels[n]] = 1;
            for (int t = 1; t < length - 1; t++) {
                x[t][n][random.nextInt(symbols)] = 1;
            }
            x[length - 1][n][symbols] = 1;
        }
        List<Tensor> steps = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            steps.add(Tensor.of(x[t]));
        }
        return new SequenceBatch(steps, Tensor.of(oneHot), labels);
    }

    public int length() {
        return length;
    }

    /** K. */
    public int symbols() {
        return symbols;
    }

    /** K + 1: the symbols and the recall cue. */
    public int features() {
        return symbols + 1;
    }

    @Override
    public String toString() {
        return "FirstTokenRecall(length=" + length + ", symbols=" + symbols + ")";
    }
}
