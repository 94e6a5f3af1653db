package dev.normgrad.data;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * Per-feature standardisation, z = (x − μ) / σ, with μ and σ fitted on the training set only and
 * then applied unchanged to the test set (fitting on the test set would leak it into training).
 * σ is the population standard deviation (divide by N, as scikit-learn's StandardScaler), computed
 * in two passes (mean first). A constant column has σ = 0; its scale is taken as 1, so it becomes
 * 0 instead of NaN (the digits' always-blank corner pixels are such columns).
 *
 * <pre>{@code
 * Standardizer z = Standardizer.fit(split.train());
 * Dataset train = z.transform(split.train()), test = z.transform(split.test());
 * }</pre>
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits μ and σ per column of {@code x} (N×F). Not modified: x. */
    public static Standardizer fit(Tensor x) {
        DMatrixRMaj m = x.data();
        int n = m.numRows;
        int f = m.numCols;
        double[] mean = new double[f];
        double[] scale = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                mean[j] += m.data[i * f + j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = m.data[i * f + j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++) {
            double std = Math.sqrt(scale[j] / n);
            scale[j] = std > 0 ? std : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** Fits on a data set's features. */
    public static Standardizer fit(Dataset train) {
        return fit(Tensor.wrap(train.featureMatrix()));
    }

    /** (x − μ) / σ as a new tensor. Not modified: x. */
    public Tensor transform(Tensor x) {
        return Tensor.wrap(apply(x.data()));
    }

    /** A new data set with standardised features and the same labels. */
    public Dataset transform(Dataset d) {
        return new Dataset(apply(d.featureMatrix()), d.labels(), d.numClasses());
    }

    private DMatrixRMaj apply(DMatrixRMaj x) {
        int f = mean.length;
        if (x.numCols != f) {
            throw new ShapeException("Standardizer: fitted on " + f + " features, but this input is "
                    + ShapeException.shape(x.numRows, x.numCols) + "; transform data with the same columns");
        }
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, f);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < f; j++) {
                out.data[i * f + j] = (x.data[i * f + j] - mean[j]) / scale[j];
            }
        }
        return out;
    }

    /** μ per feature (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** σ per feature, 1 where the fitted column was constant (a copy). */
    public double[] scale() {
        return scale.clone();
    }
}
