package dev.normgrad.loss;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;

/**
 * How good predictions are, as plain numbers (no gradient): the predicted class of each row and
 * the fraction predicted right.
 */
public final class Metrics {
    private Metrics() {
    }

    /** The column of each row's largest score (the first one on ties): the predicted classes. Shapes: N×C → N. */
    public static int[] argmax(Tensor scores) {
        int n = scores.rows();
        int c = scores.cols();
        double[] d = scores.data().data;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (d[i * c + j] > d[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The fraction of rows whose largest score is at the true label, in [0, 1]. Shapes: N×C and N labels. */
    public static double accuracy(Tensor logits, int[] labels) {
        if (labels == null || labels.length != logits.rows()) {
            throw new ShapeException("accuracy: logits are " + logits.shape() + " but there are "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels; pass one label per row");
        }
        int[] predicted = argmax(logits);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return right / (double) labels.length;
    }
}
