package dev.normgrad.recurrent;

import com.google.gson.GsonBuilder;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.diagnostics.SequenceGradients;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

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
     * ‖∂L/∂h_t‖ of each tensor (0 where no gradient reached it), through the diagnostics'
     * {@link SequenceGradients#norms}.
     */
    public static double[] gradNorms(List<Tensor> hiddenStates) {
        return SequenceGradients.norms(hiddenStates);
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
