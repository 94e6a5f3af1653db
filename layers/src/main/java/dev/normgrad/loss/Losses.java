package dev.normgrad.loss;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.BinaryCrossEntropyWithLogits;
import org.ejml.data.DMatrixRMaj;

/**
 * The loss functions, as static functions of tensors (PyTorch's {@code torch.nn.functional}); the
 * classes {@link MSELoss}, {@link CrossEntropyLoss} and {@link BCEWithLogitsLoss} call them. Each
 * returns a 1×1 tensor, the mean over the batch (PyTorch's {@code reduction='mean'}), ready for
 * {@code backward()}.
 *
 * <table>
 *   <caption>Losses</caption>
 *   <tr><th>function</th><th>value</th><th>gradient w.r.t. the input</th><th>built from</th></tr>
 *   <tr><td>{@link #mse}</td><td>(1/(N·F)) Σ (x − t)²</td><td>2(x − t)/(N·F)</td><td>sub, pow, mean</td></tr>
 *   <tr><td>{@link #crossEntropy}</td><td>−(1/N) Σᵢ log softmax(zᵢ)[yᵢ]</td><td>(softmax(z) − onehot(y))/N</td>
 *       <td>logSoftmax, mul by a one-hot mask, sum</td></tr>
 *   <tr><td>{@link #bceWithLogits}</td><td>(1/(N·F)) Σ max(x, 0) − x·t + log(1 + e^(−|x|))</td>
 *       <td>(σ(x) − t)/(N·F)</td><td>the op {@link BinaryCrossEntropyWithLogits} (closed-form derivative), mean</td></tr>
 * </table>
 * The gradients are derived by autograd through the ops named in the last column.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean squared error, {@code mean((input − target)²)} over every entry. Shapes: input and target
     * N×F, the same (no broadcasting: a mismatch is almost always a bug). Gradients flow to both.
     */
    public static Tensor mse(Tensor input, Tensor target) {
        requireSameShape("mse", input, target);
        return input.sub(target).pow(2).mean();
    }

    /**
     * Softmax cross-entropy on integer class labels:
     * <pre>
     *   L = −(1/N) Σᵢ log softmax(zᵢ)[yᵢ],   log softmax(z)ⱼ = zⱼ − m − log Σₖ exp(zₖ − m),  m = maxₖ zₖ
     *   dL/dzᵢ = (softmax(zᵢ) − onehot(yᵢ)) / N
     * </pre>
     * The log-sum-exp is shifted by the row maximum, so logits of ±1e4 give finite values. Composed
     * from {@code logSoftmax()}, a product with a constant one-hot mask, and a sum.
     *
     * @param logits N×C raw scores (no softmax applied before: that would apply it twice)
     * @param labels N class indices, each in 0..C−1. Not modified.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        DMatrixRMaj oneHot = oneHot("crossEntropy", logits, labels);
        return logits.logSoftmax().mul(Tensor.wrap(oneHot)).sum().mul(-1.0 / logits.rows());
    }

    /**
     * Binary cross-entropy on logits, the stable form:
     * <pre>
     *   L = mean( max(x, 0) − x·t + log(1 + exp(−|x|)) ) = mean( −[t·log σ(x) + (1 − t)·log(1 − σ(x))] )
     *   dL/dx = (σ(x) − t) / (N·F)         dL/dt = −x / (N·F)
     * </pre>
     * Shapes: logits and targets the same, N×F (F independent binary outputs); targets in [0, 1]
     * (soft labels allowed). Built on the op {@link BinaryCrossEntropyWithLogits}, whose derivative is
     * written in closed form, followed by a mean.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        requireSameShape("bceWithLogits", logits, targets);
        return new BinaryCrossEntropyWithLogits().apply(logits, targets).mean();
    }

    /**
     * The N×C one-hot matrix of {@code labels}, checking that there is one label per row and each is
     * a valid class index.
     */
    static DMatrixRMaj oneHot(String loss, Tensor logits, int[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException(loss + ": the labels are null");
        }
        int n = logits.rows();
        int c = logits.cols();
        if (labels.length != n) {
            throw new ShapeException(loss + ": logits are " + logits.shape() + " (one row per sample) but there are "
                    + labels.length + " labels; pass one label per row");
        }
        DMatrixRMaj oneHot = new DMatrixRMaj(n, c);
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException(loss + ": label " + y + " (row " + i + ") is out of range for " + c
                        + " classes; labels must be class indices 0.." + (c - 1) + " (logits " + logits.shape()
                        + ": is the last layer's output size the number of classes?)");
            }
            oneHot.data[i * c + y] = 1.0;
        }
        return oneHot;
    }

    private static void requireSameShape(String loss, Tensor input, Tensor target) {
        if (input.rows() != target.rows() || input.cols() != target.cols()) {
            throw new ShapeException(loss + ": input " + input.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
    }
}
