package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;

/**
 * The state a recurrent cell carries from one time step to the next: the hidden state
 * {@code h} (N×hiddenSize) and, for an LSTM, the cell state {@code c} (N×hiddenSize; null for
 * RNN and GRU cells). PyTorch's {@code (h, c)} tuple.
 *
 * <pre>{@code
 * CellState s = cell.initialState(4);          // zeros
 * s = cell.forward(x, s, 0);                   // one step
 * s = s.detach();                              // cut the graph (truncated BPTT)
 * }</pre>
 *
 * @param h the hidden state, N×hiddenSize
 * @param c the LSTM cell state, N×hiddenSize, or null for cells without one
 */
public record CellState(Tensor h, Tensor c) {
    public CellState {
        if (h == null) {
            throw new IllegalArgumentException("CellState: the hidden state h is null");
        }
        if (c != null && (c.rows() != h.rows() || c.cols() != h.cols())) {
            throw new IllegalArgumentException("CellState: h is " + h.shape() + " but c is " + c.shape()
                    + "; both must be batch × hiddenSize");
        }
    }

    /** A state with a hidden state only (RNN, GRU). */
    public static CellState of(Tensor h) {
        return new CellState(h, null);
    }

    /** A hidden state and a cell state (LSTM). */
    public static CellState of(Tensor h, Tensor c) {
        return new CellState(h, c);
    }

    /** True for an LSTM state (it has a cell state {@code c}). */
    public boolean hasCellState() {
        return c != null;
    }

    /**
     * The same values cut from the graph: no gradient flows back through the returned state.
     * Truncated backpropagation through time carries state across chunks this way.
     */
    public CellState detach() {
        return new CellState(h.detach(), c == null ? null : c.detach());
    }
}
