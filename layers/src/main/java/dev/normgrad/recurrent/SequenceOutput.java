package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;
import java.util.List;

/**
 * What a sequence layer ({@link Recurrent}, {@link RNN}, {@link LSTM}, {@link GRU}) returns for a
 * sequence of T steps run through L stacked layers.
 *
 * <p>Every tensor is the one the graph used, so after {@code loss.backward()} each
 * {@code layerOutputs().get(l).get(t).grad()} is the full ∂L/∂h_t of layer l (NormGrad keeps the
 * gradient of every tensor that requires grad): {@link HiddenGradients} reads them.
 *
 * @param outputs      the top layer's hidden state at every step, T tensors of N×hiddenSize
 *                     (PyTorch's {@code output})
 * @param finalStates  the state after the last step, one per layer, bottom first
 *                     (PyTorch's {@code h_n} and {@code c_n})
 * @param layerOutputs the hidden state of every layer at every step: {@code layerOutputs.get(l).get(t)};
 *                     the last entry is {@code outputs}
 */
public record SequenceOutput(List<Tensor> outputs, List<CellState> finalStates, List<List<Tensor>> layerOutputs) {
    public SequenceOutput {
        outputs = List.copyOf(outputs);
        finalStates = List.copyOf(finalStates);
        layerOutputs = layerOutputs.stream().map(List::copyOf).toList();
    }

    /** The top layer's output at the last step (what a sequence classifier or regressor reads). */
    public Tensor last() {
        return outputs.get(outputs.size() - 1);
    }

    /** The top layer's state after the last step. */
    public CellState finalState() {
        return finalStates.get(finalStates.size() - 1);
    }

    /** The number of time steps. */
    public int steps() {
        return outputs.size();
    }

    /** Every final state cut from the graph, to carry into the next chunk of truncated BPTT. */
    public List<CellState> detachedFinalStates() {
        return finalStates.stream().map(CellState::detach).toList();
    }

    /** All steps' top-layer outputs side by side: N × (T·hiddenSize), step 0 first. */
    public Tensor concatenated() {
        return outputs.size() == 1 ? outputs.get(0) : Tensor.concatColumns(outputs.toArray(new Tensor[0]));
    }
}
