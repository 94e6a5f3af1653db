package dev.normgrad.optim;

import dev.normgrad.autograd.Tensor;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Stochastic gradient descent with momentum and weight decay, PyTorch's formulas exactly:
 * <pre>
 *   g ← ∇w + λ·w                  (weight decay λ: L2 regularisation added to the gradient)
 *   v ← μ·v + g                    (momentum μ; on the first step v = g)
 *   w ← w − lr·v                   (without momentum: w ← w − lr·g)
 * </pre>
 * Note the placement of lr: PyTorch (and NormGrad) scale the velocity by lr at the update, where
 * Sutskever et al. 2013 write v ← μ·v − lr·g; the two agree while lr is constant. B. Polyak, "Some
 * methods of speeding up the convergence of iteration methods", 1964.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameters(), 0.1, 0.9, 1e-4);
 * }</pre>
 */
public class SGD extends Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final DMatrixRMaj[] velocity;

    /** Plain SGD: w ← w − lr·∇w. */
    public SGD(Collection<? extends Tensor> params, double lr) {
        this(params, lr, 0.0, 0.0);
    }

    /**
     * @param momentum    μ ≥ 0 (0.9 is usual)
     * @param weightDecay λ ≥ 0
     */
    public SGD(Collection<? extends Tensor> params, double lr, double momentum, double weightDecay) {
        super(params, lr);
        this.momentum = checkMomentum(momentum);
        this.weightDecay = checkWeightDecay(weightDecay);
        this.velocity = new DMatrixRMaj[parameters().size()];
    }

    /** Plain SGD over {@code model.namedParameters()}: messages name the parameter. */
    public SGD(Map<String, ? extends Tensor> namedParams, double lr) {
        this(namedParams, lr, 0.0, 0.0);
    }

    /** SGD over {@code model.namedParameters()}: messages name the parameter. */
    public SGD(Map<String, ? extends Tensor> namedParams, double lr, double momentum, double weightDecay) {
        super(namedParams, lr);
        this.momentum = checkMomentum(momentum);
        this.weightDecay = checkWeightDecay(weightDecay);
        this.velocity = new DMatrixRMaj[parameters().size()];
    }

    private static double checkMomentum(double momentum) {
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + momentum);
        }
        return momentum;
    }

    private static double checkWeightDecay(double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("SGD: weightDecay must be >= 0, got " + weightDecay);
        }
        return weightDecay;
    }

    @Override
    protected void update(int index, DMatrixRMaj w, DMatrixRMaj grad, int step) {
        int n = w.getNumElements();
        double lr = learningRate();
        if (momentum == 0) {
            for (int k = 0; k < n; k++) {
                w.data[k] -= lr * (grad.data[k] + weightDecay * w.data[k]);
            }
            return;
        }
        DMatrixRMaj v = velocity[index];
        boolean first = v == null;
        if (first) {
            v = velocity[index] = new DMatrixRMaj(w.numRows, w.numCols);
        }
        for (int k = 0; k < n; k++) {
            double g = grad.data[k] + weightDecay * w.data[k];
            v.data[k] = first ? g : momentum * v.data[k] + g;
            w.data[k] -= lr * v.data[k];
        }
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SGD(lr=%s, momentum=%s, weightDecay=%s)", learningRate(), momentum, weightDecay);
    }
}
