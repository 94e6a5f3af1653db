package dev.normgrad.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Small synthetic classification sets, drawn from a seeded {@link Random} (the same seed gives the
 * same set), and a reader for your own CSV files.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Interleaved spirals in the plane (CS231n's toy set): class k has {@code perClass} points
     * <pre>
     *   rᵢ = i/(n−1),   tᵢ = 4k + 4·i/(n−1) + noise·ε,   ε ~ N(0, 1),   xᵢ = (rᵢ sin tᵢ, rᵢ cos tᵢ)
     * </pre>
     * Not linearly separable: a linear classifier gets about 1/classes of it right, a small MLP
     * nearly all. Features N×2, N = perClass·classes, ordered by class.
     *
     * @param noise the standard deviation of the angle noise, in radians (0.2 is CS231n's)
     */
    public static Dataset spirals(int perClass, int classes, double noise, Random random) {
        if (perClass < 2 || classes < 1) {
            throw new IllegalArgumentException("Datasets.spirals: need perClass >= 2 and classes >= 1, got perClass="
                    + perClass + ", classes=" + classes);
        }
        requireNonNegative("spirals", "noise", noise);
        DMatrixRMaj x = new DMatrixRMaj(perClass * classes, 2);
        int[] y = new int[perClass * classes];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perClass; i++) {
                int row = k * perClass + i;
                double r = (double) i / (perClass - 1);
                double t = 4.0 * k + 4.0 * i / (perClass - 1) + noise * random.nextGaussian();
                x.set(row, 0, r * StrictMath.sin(t));
                x.set(row, 1, r * StrictMath.cos(t));
                y[row] = k;
            }
        }
        return new Dataset(x, y, classes);
    }

    /**
     * Isotropic Gaussian blobs, one per class (scikit-learn's {@code make_blobs}): the centres are
     * drawn uniformly in [−10, 10]^features, then each point is its centre plus N(0, std²) noise per
     * feature. Features N×features, N = perClass·classes, ordered by class.
     */
    public static Dataset blobs(int perClass, int classes, int features, double std, Random random) {
        if (classes < 1 || features < 1) {
            throw new IllegalArgumentException("Datasets.blobs: need classes >= 1 and features >= 1, got classes="
                    + classes + ", features=" + features);
        }
        double[][] centers = new double[classes][features];
        for (double[] c : centers) {
            for (int j = 0; j < features; j++) {
                c[j] = -10 + 20 * random.nextDouble();
            }
        }
        return blobs(perClass, centers, std, random);
    }

    /** Gaussian blobs around the given centres (one class per centre, each a row of F coordinates). */
    public static Dataset blobs(int perClass, double[][] centers, double std, Random random) {
        if (perClass < 1 || centers == null || centers.length == 0) {
            throw new IllegalArgumentException("Datasets.blobs: need perClass >= 1 and at least one centre");
        }
        requireNonNegative("blobs", "std", std);
        int f = centers[0].length;
        DMatrixRMaj x = new DMatrixRMaj(perClass * centers.length, f);
        int[] y = new int[perClass * centers.length];
        for (int k = 0; k < centers.length; k++) {
            if (centers[k].length != f) {
                throw new IllegalArgumentException("Datasets.blobs: centre " + k + " has " + centers[k].length
                        + " coordinates, centre 0 has " + f);
            }
            for (int i = 0; i < perClass; i++) {
                int row = k * perClass + i;
                for (int j = 0; j < f; j++) {
                    x.set(row, j, centers[k][j] + std * random.nextGaussian());
                }
                y[row] = k;
            }
        }
        return new Dataset(x, y, centers.length);
    }

    /**
     * Reads a CSV file (plain or gzip-compressed) of {@code numFeatures} numbers then an integer label
     * per line, no header. The number of classes is the largest label + 1. A malformed line is
     * reported with the file name, line and column.
     */
    public static Dataset readCsv(Path file, int numFeatures) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("Datasets.readCsv: numFeatures must be positive, got " + numFeatures);
        }
        try {
            return CsvReader.read(Files.newInputStream(file), file.toString(), numFeatures, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not be opened: " + e.getMessage(), e);
        }
    }

    private static void requireNonNegative(String method, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Datasets." + method + ": " + name + " must be >= 0, got " + v);
        }
    }
}
