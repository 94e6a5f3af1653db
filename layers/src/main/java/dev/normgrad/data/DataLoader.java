package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Yields a data set in mini-batches, one epoch per iteration: {@code for (Batch b : loader)}. With
 * {@code shuffle}, every epoch (every call to {@link #iterator()}) visits the samples in a new order
 * drawn from the given {@link Random}, so a seeded generator gives the same sequence of batches on
 * every run. The last batch is smaller when the batch size does not divide N; {@code dropLast}
 * drops it instead (useful with BatchNorm, which cannot train on a batch of one).
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, 32, new Random(0));
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     for (Batch b : loader) { ... b.features() ... b.labels() ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Random random;

    /** Shuffled batches, the last partial batch kept. */
    public DataLoader(Dataset dataset, int batchSize, Random random) {
        this(dataset, batchSize, true, false, random);
    }

    /**
     * @param shuffle  a new random order every epoch (otherwise the data set's order)
     * @param dropLast drop the last batch when it has fewer than {@code batchSize} samples
     * @param random   the generator for the order (may be null when {@code shuffle} is false)
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Random random) {
        if (dataset == null) {
            throw new IllegalArgumentException("DataLoader: the data set is null");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
        }
        if (shuffle && random == null) {
            throw new IllegalArgumentException("DataLoader: shuffling needs a random generator; pass new Random(seed)");
        }
        if (dropLast && batchSize > dataset.size()) {
            throw new IllegalArgumentException("DataLoader: batchSize " + batchSize + " is larger than the data set ("
                    + dataset.size() + " samples) and dropLast is on, so there would be no batch at all");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.random = random;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** One epoch of batches (reshuffled on every call when shuffling). */
    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Dataset.shuffle(order, random);
        }
        int batches = numBatches();
        DMatrixRMaj features = dataset.featureMatrix();
        int cols = features.numCols;
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: the epoch is over");
                }
                int from = next * batchSize;
                int size = Math.min(batchSize, n - from);
                DMatrixRMaj x = new DMatrixRMaj(size, cols);
                int[] y = new int[size];
                for (int k = 0; k < size; k++) {
                    int i = order[from + k];
                    System.arraycopy(features.data, i * cols, x.data, k * cols, cols);
                    y[k] = dataset.label(i);
                }
                next++;
                return new Batch(Tensor.wrap(x), y);
            }
        };
    }

    @Override
    public String toString() {
        return "DataLoader(batchSize=" + batchSize + ", shuffle=" + shuffle + ", dropLast=" + dropLast + ", "
                + numBatches() + " batches of " + dataset + ")";
    }
}
