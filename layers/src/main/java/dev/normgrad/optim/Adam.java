package dev.normgrad.optim;

import dev.normgrad.autograd.Tensor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * Adam, with PyTorch's formulas exactly (step t counts from 1, per parameter):
 * <pre>
 *   g ← ∇w + λ·w                              (weight decay as L2 in the gradient; not AdamW)
 *   m ← β₁·m + (1 − β₁)·g                      (first moment)
 *   v ← β₂·v + (1 − β₂)·g²                     (second moment)
 *   w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ undo the pull of m and v towards their zero start; ε is
 * added after the correction of √v, as in PyTorch (the paper's m̂ / (√v̂ + ε)). Defaults: β₁ = 0.9,
 * β₂ = 0.999, ε = 1e-8, λ = 0. D. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization",
 * ICLR 2015.
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final DMatrixRMaj[] m;
    private final DMatrixRMaj[] v;

    /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay. */
    public Adam(Collection<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param beta1       decay of the first moment, in [0, 1)
     * @param beta2       decay of the second moment, in [0, 1)
     * @param eps         added to the denominator, ≥ 0
     * @param weightDecay λ ≥ 0, added to the gradient as λ·w
     */
    public Adam(Collection<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, null, lr, beta1, beta2, eps, weightDecay);
    }

    /** Adam with the defaults over {@code model.namedParameters()}: messages name the parameter. */
    public Adam(Map<String, ? extends Tensor> namedParams, double lr) {
        this(namedParams, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /** Adam over {@code model.namedParameters()}: messages name the parameter. */
    public Adam(Map<String, ? extends Tensor> namedParams, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(namedParams == null ? null : namedParams.values(), namedParams == null ? null : List.copyOf(namedParams.keySet()),
                lr, beta1, beta2, eps, weightDecay);
    }

    private Adam(Collection<? extends Tensor> params, List<String> names, double lr, double beta1, double beta2, double eps,
                 double weightDecay) {
        super(params, names, lr);
        check(beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new DMatrixRMaj[parameters().size()];
        this.v = new DMatrixRMaj[parameters().size()];
    }

    private static void check(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got beta1=" + beta1 + ", beta2=" + beta2);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("Adam: eps must be >= 0, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("Adam: weightDecay must be >= 0, got " + weightDecay);
        }
    }

    @Override
    protected void update(int index, DMatrixRMaj w, DMatrixRMaj grad, int step) {
        if (m[index] == null) {
            m[index] = new DMatrixRMaj(w.numRows, w.numCols);
            v[index] = new DMatrixRMaj(w.numRows, w.numCols);
        }
        double[] mk = m[index].data;
        double[] vk = v[index].data;
        double stepSize = learningRate() / (1 - StrictMath.pow(beta1, step));
        double correction2Sqrt = Math.sqrt(1 - StrictMath.pow(beta2, step));
        int n = w.getNumElements();
        for (int k = 0; k < n; k++) {
            double g = grad.data[k] + weightDecay * w.data[k];
            mk[k] = beta1 * mk[k] + (1 - beta1) * g;
            vk[k] = beta2 * vk[k] + (1 - beta2) * g * g;
            double denom = Math.sqrt(vk[k]) / correction2Sqrt + eps;
            w.data[k] -= stepSize * mk[k] / denom;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Adam(lr=%s, betas=(%s, %s), eps=%s, weightDecay=%s)",
                learningRate(), beta1, beta2, eps, weightDecay);
    }
}
