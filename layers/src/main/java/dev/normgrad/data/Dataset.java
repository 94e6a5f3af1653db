package dev.normgrad.data;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A classification data set: an N×F matrix of features (one sample per row) and N integer labels in
 * 0..C−1. Immutable: {@link #features()} gives a copy, {@link #labels()} a copy.
 *
 * <pre>{@code
 * Dataset digits = Digits.load();                          // 1797×64, labels 0..9
 * Dataset.Split s = digits.split(0.2, new Random(0));      // stratified 80/20
 * Standardizer z = Standardizer.fit(s.train());
 * Dataset train = z.transform(s.train()), test = z.transform(s.test());
 * }</pre>
 */
public final class Dataset {
    private final DMatrixRMaj features;
    private final int[] labels;
    private final int numClasses;

    /** A training and a test set. */
    public record Split(Dataset train, Dataset test) {
    }

    /**
     * @param features   N×F, copied
     * @param labels     N labels in 0..numClasses−1, copied
     * @param numClasses C (a subset may lack some classes, so it is given rather than inferred)
     */
    public Dataset(DMatrixRMaj features, int[] labels, int numClasses) {
        if (features == null || labels == null) {
            throw new IllegalArgumentException("Dataset: features and labels must not be null");
        }
        if (features.numRows != labels.length) {
            throw new ShapeException("Dataset: features are " + ShapeException.shape(features.numRows, features.numCols)
                    + " but there are " + labels.length + " labels; give one label per row");
        }
        if (features.numRows == 0 || features.numCols == 0) {
            throw new IllegalArgumentException("Dataset: needs at least one sample and one feature, got "
                    + ShapeException.shape(features.numRows, features.numCols));
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Dataset: numClasses must be positive, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Dataset: label " + labels[i] + " (row " + i + ") is out of range for "
                        + numClasses + " classes (0.." + (numClasses - 1) + ")");
            }
        }
        this.features = features.copy();
        this.labels = labels.clone();
        this.numClasses = numClasses;
    }

    /** A data set whose number of classes is the largest label + 1. */
    public Dataset(Tensor features, int[] labels) {
        this(features.data(), labels, labels == null ? 1 : Math.max(1, Arrays.stream(labels).max().orElse(0) + 1));
    }

    /** N, the number of samples. */
    public int size() {
        return labels.length;
    }

    /** F, the number of features per sample. */
    public int numFeatures() {
        return features.numCols;
    }

    /** C, the number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** The features as a new N×F tensor (a copy, not requiring grad). */
    public Tensor features() {
        return Tensor.wrap(features.copy());
    }

    /** The labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Label of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** How many samples each class has, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** The labels one-hot encoded, N×C (a target for {@code MSELoss}, or for BCE with one output per class). */
    public Tensor oneHot() {
        DMatrixRMaj m = new DMatrixRMaj(labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            m.set(i, labels[i], 1.0);
        }
        return Tensor.wrap(m);
    }

    /** The labels as an N×1 column of numbers (a target for {@code BCEWithLogitsLoss} on two classes). */
    public Tensor labelColumn() {
        DMatrixRMaj m = new DMatrixRMaj(labels.length, 1);
        for (int i = 0; i < labels.length; i++) {
            m.data[i] = labels[i];
        }
        return Tensor.wrap(m);
    }

    /** The samples at {@code indices}, in that order (repeats allowed). */
    public Dataset subset(int[] indices) {
        DMatrixRMaj f = new DMatrixRMaj(indices.length, features.numCols);
        int[] y = new int[indices.length];
        int cols = features.numCols;
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("Dataset.subset: index " + i + " is outside 0.." + (labels.length - 1));
            }
            System.arraycopy(features.data, i * cols, f.data, k * cols, cols);
            y[k] = labels[i];
        }
        return new Dataset(f, y, numClasses);
    }

    /**
     * A seeded, <em>stratified</em> train/test split: within each class, the samples are shuffled and
     * round(testFraction × class size) of them go to the test set, so both sets keep the class
     * proportions. Each set is then shuffled (classes interleaved). The same {@code random} seed
     * gives the same split.
     *
     * @param testFraction in (0, 1), e.g. 0.2 for an 80/20 split
     */
    public Split split(double testFraction, Random random) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("Dataset.split: testFraction must be in (0, 1), got " + testFraction);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            int[] order = toArray(members);
            shuffle(order, random);
            int nTest = (int) Math.round(testFraction * order.length);
            for (int k = 0; k < order.length; k++) {
                (k < nTest ? test : train).add(order[k]);
            }
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("Dataset.split: a test fraction of " + testFraction + " of " + size()
                    + " samples leaves the " + (train.isEmpty() ? "training" : "test") + " set empty");
        }
        int[] trainIdx = toArray(train);
        int[] testIdx = toArray(test);
        shuffle(trainIdx, random);
        shuffle(testIdx, random);
        return new Split(subset(trainIdx), subset(testIdx));
    }

    /** Fisher–Yates shuffle in place. Modified: a. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The raw feature matrix (shared, for this package). */
    DMatrixRMaj featureMatrix() {
        return features;
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " samples, " + numFeatures() + " features, " + numClasses + " classes)";
    }
}
