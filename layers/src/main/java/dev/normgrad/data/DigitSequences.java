package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The handwritten digits ({@link Digits}) read as sequences: each 8×8 image row by row, 8 time
 * steps of 8 pixels (the small cousin of "sequential MNIST", Le, Jaitly &amp; Hinton 2015, read by
 * rows). A recurrent classifier sees one row per step and predicts the digit after the last.
 *
 * <pre>{@code
 * SequenceBatch all = DigitSequences.load();                   // 8 steps of 1797×8, pixels in [0, 1]
 * Dataset.Split split = Digits.load().split(0.2, new Random(0));
 * for (Batch b : new DataLoader(split.train(), 64, new Random(1))) {
 *     List<Tensor> steps = DigitSequences.rows(b.features().div(16));
 *     ...
 * }
 * }</pre>
 */
public final class DigitSequences {
    /** Time steps per image: its 8 rows. */
    public static final int STEPS = 8;
    /** Features per step: the 8 pixels of a row. */
    public static final int FEATURES = 8;

    private DigitSequences() {
    }

    /** The bundled digits as one batch of 1797 sequences, pixels scaled from 0..16 to [0, 1]. */
    public static SequenceBatch load() {
        Dataset digits = Digits.load();
        return of(new Dataset(digits.features().div(16.0), digits.labels()));
    }

    /** {@code images} read row by row (values as given), one-hot targets and the labels. */
    public static SequenceBatch of(Dataset images) {
        return new SequenceBatch(rows(images.features()), images.oneHot(), images.labels());
    }

    /**
     * The 8 row-steps of N flattened 8×8 images: step t is columns 8t … 8t+7, N×8.
     *
     * @param images N×64, each row an image flattened row-major (as {@link Digits} stores them). Not modified.
     */
    public static List<Tensor> rows(Tensor images) {
        if (images.cols() != STEPS * FEATURES) {
            throw new IllegalArgumentException("DigitSequences.rows: images " + images.shape()
                    + " are not 8×8 = 64 pixels per row (flattened row-major, as Digits.load() gives them)");
        }
        List<Tensor> steps = new ArrayList<>(STEPS);
        double[] x = images.data().data;
        for (int t = 0; t < STEPS; t++) {
            double[] step = new double[images.rows() * FEATURES];
            for (int n = 0; n < images.rows(); n++) {
                System.arraycopy(x, n * 64 + t * FEATURES, step, n * FEATURES, FEATURES);
            }
            steps.add(Tensor.of(images.rows(), FEATURES, step));
        }
        return steps;
    }
}
