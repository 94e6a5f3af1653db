package dev.normgrad.optim;

import dev.normgrad.autograd.Tensor;
import java.util.Collection;

/**
 * Gradient clipping, applied between {@code backward()} and {@code step()}.
 */
public final class Clip {
    private Clip() {
    }

    /**
     * Global gradient-norm clipping, PyTorch's {@code clip_grad_norm_}: the norm is taken over all
     * gradients together, as one long vector, and when it exceeds {@code maxNorm} every gradient is
     * scaled by the same factor, which keeps the update's direction:
     * <pre>
     *   total = √(Σ_p ‖∇p‖²)          c = maxNorm / (total + 1e-6)          if c &lt; 1:  ∇p ← c·∇p
     * </pre>
     * The 1e-6 is PyTorch's (it keeps c finite for a zero gradient). Parameters without a gradient are
     * skipped. R. Pascanu, T. Mikolov, Y. Bengio, "On the difficulty of training recurrent neural
     * networks", ICML 2013.
     *
     * @param params  the parameters whose gradients are clipped. Modified: their gradients.
     * @param maxNorm the largest total norm allowed, &gt; 0
     * @return the total norm before clipping (plot it: spikes are exploding gradients)
     * @throws IllegalStateException when the total norm is NaN or infinite
     */
    public static double gradNorm(Collection<? extends Tensor> params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("Clip.gradNorm: maxNorm must be a positive number, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Tensor p : params) {
            if (p.gradData() == null) {
                continue;
            }
            double[] g = p.gradData().data;
            int n = p.gradData().getNumElements();
            for (int k = 0; k < n; k++) {
                sumSquares += g[k] * g[k];
            }
        }
        double total = Math.sqrt(sumSquares);
        if (!Double.isFinite(total)) {
            throw new IllegalStateException("Clip.gradNorm: the total gradient norm is " + total
                    + ": the gradients contain NaN or infinite values (or entries above ~1e154), which clipping cannot repair "
                    + "(run the forward and backward inside Anomaly.detect() to find the op that produced them)");
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                if (p.gradData() == null) {
                    continue;
                }
                double[] g = p.gradData().data;
                int n = p.gradData().getNumElements();
                for (int k = 0; k < n; k++) {
                    g[k] *= coef;
                }
            }
        }
        return total;
    }
}
