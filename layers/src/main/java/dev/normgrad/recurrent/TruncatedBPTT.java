package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Truncated backpropagation through time (Williams &amp; Peng 1990; Sutskever 2013, §2.8.6): a long
 * sequence is cut into chunks of at most k steps; the state flows forward from chunk to chunk, but
 * is detached at every chunk boundary, so a backward goes at most k steps back. Memory is that of k
 * steps, not of the whole sequence, and the parameters can be updated after every chunk.
 *
 * <p>The object carries the (detached) state and the time index between calls, so that a per-step
 * normalization ({@link RecurrentBatchNorm}) sees the true step of every chunk. In a training loop:
 * <pre>{@code
 * TruncatedBPTT bptt = new TruncatedBPTT(lstm, 25);
 * for (List<Tensor> chunk : bptt.chunks(steps)) {        // steps: the whole sequence
 *     SequenceOutput out = bptt.forward(chunk);         // from the state the last chunk left
 *     Tensor loss = criterion.apply(head.apply(out.last()), target);
 *     optimizer.zeroGrad();
 *     loss.backward();                                  // at most 25 steps back
 *     Clip.gradNorm(parameters, 1.0);
 *     optimizer.step();
 * }
 * bptt.reset();                                         // before the next, unrelated sequence
 * }</pre>
 *
 * {@link #forwardWhole(List)} runs a whole sequence the same way in one call: the values are those
 * of an untruncated forward, but one backward from any loss reaches only back to the start of the
 * chunk each contribution came from.
 */
public class TruncatedBPTT {
    private final Recurrent layer;
    private final int k;
    private List<CellState> state;
    private int nextStep;

    /**
     * @param layer the sequence layer to run
     * @param k     the truncation length: chunks of at most k steps
     */
    public TruncatedBPTT(Recurrent layer, int k) {
        if (layer == null) {
            throw new IllegalArgumentException("TruncatedBPTT: the layer is null");
        }
        if (k <= 0) {
            throw new IllegalArgumentException("TruncatedBPTT: k must be at least 1 step, got " + k);
        }
        this.layer = layer;
        this.k = k;
    }

    /** The sequence cut into consecutive chunks of k steps (the last one may be shorter). */
    public List<List<Tensor>> chunks(List<Tensor> steps) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("TruncatedBPTT: the sequence is empty; pass at least one step");
        }
        List<List<Tensor>> chunks = new ArrayList<>();
        for (int from = 0; from < steps.size(); from += k) {
            chunks.add(List.copyOf(steps.subList(from, Math.min(steps.size(), from + k))));
        }
        return chunks;
    }

    /**
     * Runs the next chunk (at most k steps) from the carried state, numbering its steps after the
     * previous chunk's; then carries its final state forward, detached.
     */
    public SequenceOutput forward(List<Tensor> chunk) {
        if (chunk != null && chunk.size() > k) {
            throw new IllegalArgumentException("TruncatedBPTT: the chunk has " + chunk.size() + " steps, more than k = " + k
                    + "; cut the sequence with chunks(steps)");
        }
        SequenceOutput out = layer.forward(chunk, state, nextStep);
        state = out.detachedFinalStates();
        nextStep += chunk.size();
        return out;
    }

    /**
     * Runs the whole sequence chunk by chunk from the carried state and joins the chunks' outputs:
     * the same values as {@code layer.forward(steps)}, with the graph cut every k steps.
     */
    public SequenceOutput forwardWhole(List<Tensor> steps) {
        List<Tensor> outputs = new ArrayList<>();
        List<List<Tensor>> layerOutputs = new ArrayList<>();
        for (int l = 0; l < layer.numLayers(); l++) {
            layerOutputs.add(new ArrayList<>());
        }
        List<CellState> finals = null;
        for (List<Tensor> chunk : chunks(steps)) {
            SequenceOutput out = forward(chunk);
            outputs.addAll(out.outputs());
            for (int l = 0; l < layer.numLayers(); l++) {
                layerOutputs.get(l).addAll(out.layerOutputs().get(l));
            }
            finals = out.finalStates();
        }
        return new SequenceOutput(outputs, finals, layerOutputs);
    }

    /** Forgets the carried state (the next chunk starts from zeros) and restarts the time index at 0. */
    public void reset() {
        state = null;
        nextStep = 0;
    }

    /** The state the next chunk starts from (detached), or null for zeros. */
    public List<CellState> state() {
        return state;
    }

    /** The time index the next chunk's first step gets. */
    public int nextStep() {
        return nextStep;
    }

    /** The truncation length. */
    public int k() {
        return k;
    }
}
