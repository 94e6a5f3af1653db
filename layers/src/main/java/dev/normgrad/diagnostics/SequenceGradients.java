package dev.normgrad.diagnostics;

import dev.normgrad.autograd.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * How much gradient reaches each time step of an unrolled recurrent computation: ‖∂L/∂h_t‖ for the
 * hidden states h_1…h_T, after backward. A vanishing gradient shows as norms falling by orders of
 * magnitude from t = T back to t = 1; an exploding one as norms growing.
 *
 * <pre>{@code
 * List<Tensor> hs = rnn.forward(xs);            // h_1..h_T, each N×H, inside the graph
 * loss(hs.get(hs.size() - 1)).backward();
 * double[] norms = SequenceGradients.norms(hs); // norms[t-1] = ‖∂L/∂h_t‖
 * }</pre>
 * This works because every NormGrad tensor that requires grad keeps its gradient, intermediate ones
 * included. {@link Diagnostics#recordSequence} stores the same numbers with the step's other statistics.
 *
 * @param step  the training step they were recorded at
 * @param name  which sequence ({@code "encoder"})
 * @param norms {@code norms[t]} = ‖∂L/∂h_{t+1}‖ (Frobenius norm over the batch), in time order
 */
public record SequenceGradients(int step, String name, double[] norms) {
    public SequenceGradients {
        norms = norms.clone();
    }

    @Override
    public double[] norms() {
        return norms.clone();
    }

    /**
     * ‖∂L/∂h_t‖ for every state, in order. A state no gradient reached (the loss does not depend on it)
     * has norm 0.
     *
     * @throws IllegalArgumentException if the list is empty or a state does not require grad (made
     *                                  inside {@code NoGrad}, or detached: it has no gradient to show)
     * @throws IllegalStateException    if no state has a gradient: backward has not run yet
     */
    public static double[] norms(List<? extends Tensor> states) {
        if (states == null || states.isEmpty()) {
            throw new IllegalArgumentException("SequenceGradients.norms: no hidden states given; pass h_1..h_T of the unrolled computation");
        }
        double[] out = new double[states.size()];
        boolean any = false;
        for (int t = 0; t < states.size(); t++) {
            Tensor h = states.get(t);
            if (h == null || !h.requiresGrad()) {
                throw new IllegalArgumentException("SequenceGradients.norms: state " + t + (h == null ? " is null" : " " + h.shape()
                        + " does not require grad, so it cannot hold ∂L/∂h; compute the states inside the graph "
                        + "(not inside NoGrad, not detached)"));
            }
            DMatrixRMaj g = h.gradData();
            if (g != null) {
                any = true;
                out[t] = frobenius(g);
            }
        }
        if (!any) {
            throw new IllegalStateException("SequenceGradients.norms: none of the " + states.size()
                    + " hidden states has a gradient; call backward() on the loss first");
        }
        return out;
    }

    /** √(Σ m²), scaled so that large entries do not overflow (EJML's normF). */
    static double frobenius(DMatrixRMaj m) {
        return NormOps_DDRM.normF(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceGradients s && step == s.step && name.equals(s.name) && Arrays.equals(norms, s.norms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, name, Arrays.hashCode(norms));
    }

    @Override
    public String toString() {
        return "SequenceGradients[step=" + step + ", name=" + name + ", norms=" + Arrays.toString(norms) + "]";
    }
}
