package dev.normgrad.tutorials.coursework;

import dev.normgrad.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * The gradient check most people write first, kept here to show what it gets wrong: it perturbs
 * each entry of x by ±h, calls the forward, and reduces the output with {@code sum()} — or, given a
 * projection P, with Σ y ⊙ P. It does not put back state a forward changes (running statistics, a
 * dropout generator), does not know about kinks, and is only as precise as the forward's
 * arithmetic. Use {@code GradCheck} instead; this class exists for the chapter's demonstrations.
 */
public final class NaiveGradCheck {
    /** A forward pass to check. */
    @FunctionalInterface
    public interface Forward {
        Tensor apply(Tensor x);
    }

    private NaiveGradCheck() {
    }

    /** The central-difference gradient of Σ f(x) with respect to x, step h; x is restored afterwards. */
    public static DMatrixRMaj numericThroughSum(Forward f, Tensor x, double h) {
        return numeric(f, x, null, h);
    }

    /**
     * The central-difference gradient of Σ f(x) ⊙ P with respect to x, step h (P null: the sum);
     * x's values are restored afterwards, nothing else is.
     */
    public static DMatrixRMaj numeric(Forward f, Tensor x, DMatrixRMaj projection, double h) {
        DMatrixRMaj value = x.data();
        DMatrixRMaj grad = new DMatrixRMaj(value.numRows, value.numCols);
        for (int k = 0; k < value.getNumElements(); k++) {
            double original = value.data[k];
            value.data[k] = original + h;
            double plus = reduce(f.apply(x).data(), projection);
            value.data[k] = original - h;
            double minus = reduce(f.apply(x).data(), projection);
            value.data[k] = original;
            grad.data[k] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    /** The analytic gradient of Σ f(x) ⊙ P (P null: the sum) by one forward and backward on a copy of x. */
    public static DMatrixRMaj analytic(Forward f, Tensor x, DMatrixRMaj projection) {
        Tensor in = x.copy().requiresGrad(true);
        Tensor y = f.apply(in);
        if (projection == null) {
            y.sum().backward();
        } else {
            y.backward(Tensor.wrap(projection));
        }
        return in.gradData() == null ? new DMatrixRMaj(x.rows(), x.cols()) : in.gradData().copy();
    }

    /** max |a − b| over the entries. */
    public static double maxAbsDifference(DMatrixRMaj a, DMatrixRMaj b) {
        double worst = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
        }
        return worst;
    }

    private static double reduce(DMatrixRMaj y, DMatrixRMaj projection) {
        double s = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            s += projection == null ? y.data[i] : y.data[i] * projection.data[i];
        }
        return s;
    }
}
