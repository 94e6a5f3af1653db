package dev.normgrad.recurrent;

import com.google.gson.GsonBuilder;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * The per-step gradient profile of a recurrent layer: ‖∂L/∂h_t‖ for every step t of a sequence
 * and every stacked layer, read after {@code loss.backward()} — where vanishing and exploding
 * gradients become visible (Bengio, Simard &amp; Frasconi 1994; Pascanu, Mikolov &amp; Bengio 2013).
 *
 * <p>∂L/∂h_t is the total derivative: through the output at step t and through every later step.
 * NormGrad keeps the gradient of every tensor that requires grad, so the hidden states that
 * {@link SequenceOutput} holds carry it after the backward (PyTorch needs {@code retain_grad()}).
 * A step the loss does not depend on (a state the backward never reached) has norm 0. The norm is
 * the Frobenius norm over the batch: ‖G‖ = √(Σ_ij G_ij²), PyTorch's {@code h.grad.norm()}.
 *
 * <p>Steps count from 0 as the sequence's outputs do: h_t is the state after step t, PyTorch's
 * {@code output[t]}, so {@code gradNorms[t]} = ‖∂L/∂h_t‖ for t = 0 … T−1. {@link #gradNorms(List)} gives
 * the same profile for states unrolled by hand, and
 * {@link dev.normgrad.diagnostics.Diagnostics#recordSequence} stores it with a training step.
 *
 * <pre>{@code
 * SequenceOutput out = rnn.forward(steps);
 * loss(out.last()).backward();
 * HiddenGradients g = HiddenGradients.of(out);
 * double[] profile = g.layer(0).gradNorms();     // ‖∂L/∂h_0‖ … ‖∂L/∂h_{T−1}‖
 * String json = g.toJson();
 * }</pre>
 *
 * @param layers one profile per stacked layer, bottom first
 */
public record HiddenGradients(List<Layer> layers) {

    /**
     * The profile of one layer.
     *
     * @param layer     the layer index, 0 at the bottom
     * @param gradNorms ‖∂L/∂h_t‖ for t = 0 … T−1
     */
    public record Layer(int layer, double[] gradNorms) {
        public Layer {
            gradNorms = gradNorms.clone();
        }

        @Override
        public double[] gradNorms() {
            return gradNorms.clone();
        }

        /** ‖∂L/∂h_t‖. */
        public double at(int step) {
            return gradNorms[step];
        }

        /**
         * ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖: far below 1 when the gradient vanishes on its way back,
         * far above 1 when it explodes.
         */
        public double firstToLast() {
            return gradNorms[0] / gradNorms[gradNorms.length - 1];
        }
    }

    public HiddenGradients {
        layers = List.copyOf(layers);
    }

    /** The profile of every layer of {@code output}, after a backward through it. */
    public static HiddenGradients of(SequenceOutput output) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < output.layerOutputs().size(); l++) {
            layers.add(new Layer(l, gradNorms(output.layerOutputs().get(l))));
        }
        return new HiddenGradients(layers);
    }

    /**
     * ‖∂L/∂h_t‖ of each state, in order; a state no gradient reached (the loss does not depend on it)
     * has norm 0.
     *
     * <pre>{@code
     * List<Tensor> hs = unroll(xs);                      // h_0 … h_{T−1}, each N×H, inside the graph
     * loss(hs.get(hs.size() - 1)).backward();
     * double[] norms = HiddenGradients.gradNorms(hs);    // norms[t] = ‖∂L/∂h_t‖
     * }</pre>
     *
     * @throws IllegalArgumentException if the list is empty or a state does not require grad (made
     *                                  inside {@code NoGrad}, or detached: it has no gradient to show)
     * @throws IllegalStateException    if no state has a gradient: backward has not run yet
     */
    public static double[] gradNorms(List<? extends Tensor> hiddenStates) {
        if (hiddenStates == null || hiddenStates.isEmpty()) {
            throw new IllegalArgumentException("HiddenGradients.gradNorms: no hidden states given; pass h_0 … h_{T−1} of the unrolled computation");
        }
        double[] out = new double[hiddenStates.size()];
        boolean any = false;
        for (int t = 0; t < hiddenStates.size(); t++) {
            Tensor h = hiddenStates.get(t);
            if (h == null || !h.requiresGrad()) {
                throw new IllegalArgumentException("HiddenGradients.gradNorms: state " + t + (h == null ? " is null" : " " + h.shape()
                        + " does not require grad, so it cannot hold ∂L/∂h; compute the states inside the graph "
                        + "(not inside NoGrad, not detached)"));
            }
            DMatrixRMaj g = h.gradData();
            if (g != null) {
                any = true;
                out[t] = NormOps_DDRM.normF(g);   // scaled, so that large entries do not overflow
            }
        }
        if (!any) {
            throw new IllegalStateException("HiddenGradients.gradNorms: none of the " + hiddenStates.size()
                    + " hidden states has a gradient; call backward() on the loss first");
        }
        return out;
    }

    /** Layer {@code l}'s profile (0 = bottom). */
    public Layer layer(int l) {
        return layers.get(l);
    }

    /** The top layer's profile. */
    public Layer top() {
        return layers.get(layers.size() - 1);
    }

    /**
     * {@code {"layers":[{"layer":0,"gradNorms":[…]}, …]}}, one entry per layer, steps in order.
     */
    public String toJson() {
        return new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(this);
    }

    /** Reads what {@link #toJson()} wrote. */
    public static HiddenGradients fromJson(String json) {
        return new GsonBuilder().create().fromJson(json, HiddenGradients.class);
    }
}
