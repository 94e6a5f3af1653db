package dev.normgrad.recurrent;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs recurrent cells over a sequence: one or more stacked layers, layer l reading layer l−1's
 * hidden states (PyTorch's {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} with {@code num_layers}).
 * {@link RNN}, {@link LSTM} and {@link GRU} build one from their cells; any cells whose sizes chain
 * can be stacked here directly.
 *
 * <pre>
 *   for l = 0 … L−1, t = 0 … T−1:   (h_t^l, c_t^l) = cell_l(h_t^{l−1}, (h_{t−1}^l, c_{t−1}^l), t)     h_t^{−1} = x_t
 * </pre>
 *
 * <p>A sequence is a {@code List<Tensor>}, one N×inputSize tensor per time step. The result
 * ({@link SequenceOutput}) holds every step's output (the top layer's h_t), every layer's h_t and
 * the final state of every layer. The initial state is zero unless given (one {@link CellState} per
 * layer, bottom first). Parameters are named after the layer: {@code l0.weightIh}, {@code l1.biasHh},
 * {@code l0.normIh.weight}.
 *
 * <p>As a {@link Module} taking one tensor, the layer reads an N×(T·inputSize) tensor as T steps
 * side by side and returns the top layer's outputs side by side, N×(T·hiddenSize); and
 * {@code apply(x_0, x_1, …)} runs the steps given, which makes a sequence layer {@code Checkable}:
 * {@code GradCheck.check(lstm, x0, x1, x2)}.
 *
 * <p>Backward through the unrolled sequence is iterative (no recursion), so 10,000 steps need no
 * larger stack; memory grows linearly in T (every step's activations are kept for backward). For
 * long sequences, see {@link TruncatedBPTT}.
 */
public class Recurrent extends Module {
    private final String kind;
    private final List<RecurrentCell> cells;

    /** Stacks the cells, bottom first; cell l's inputSize must be cell l−1's hiddenSize. */
    public Recurrent(RecurrentCell... cells) {
        this("Recurrent", Arrays.asList(cells));
    }

    /**
     * For subclasses: {@code kind} names the layer in messages.
     */
    protected Recurrent(String kind, List<? extends RecurrentCell> cells) {
        this.kind = kind;
        if (cells == null || cells.isEmpty()) {
            throw new IllegalArgumentException(kind + ": needs at least one cell (numLayers >= 1)");
        }
        List<RecurrentCell> list = new ArrayList<>();
        for (int l = 0; l < cells.size(); l++) {
            RecurrentCell cell = cells.get(l);
            if (cell == null) {
                throw new IllegalArgumentException(kind + ": cell " + l + " is null");
            }
            if (l > 0 && cell.inputSize() != list.get(l - 1).hiddenSize()) {
                throw new IllegalArgumentException(kind + ": layer " + l + " has inputSize " + cell.inputSize()
                        + " but layer " + (l - 1) + " outputs hiddenSize " + list.get(l - 1).hiddenSize()
                        + "; stacked layers must chain");
            }
            list.add(registerModule("l" + l, cell));
        }
        this.cells = List.copyOf(list);
    }

    // ------------------------------------------------------------------ sequences

    /** Runs the sequence from the zero state, numbering the steps from 0. */
    public SequenceOutput forward(List<Tensor> steps) {
        return forward(steps, null, 0);
    }

    /**
     * Runs the sequence from {@code initial} (one state per layer, bottom first; null for zeros).
     */
    public SequenceOutput forward(List<Tensor> steps, List<CellState> initial) {
        return forward(steps, initial, 0);
    }

    /**
     * Runs the sequence from {@code initial}, numbering its steps {@code firstStep},
     * {@code firstStep + 1}, … (a chunk of a longer sequence in truncated BPTT keeps the time
     * index a per-step normalization needs).
     *
     * @param steps     T ≥ 1 tensors, each N×inputSize with the same N. Not modified.
     * @param initial   one state per layer (h, and c for an LSTM, each N×hiddenSize), or null for zeros
     * @param firstStep the time index of {@code steps.get(0)}
     */
    public SequenceOutput forward(List<Tensor> steps, List<CellState> initial, int firstStep) {
        int batch = checkSequence(steps);
        List<CellState> start = initial == null ? initialState(batch) : checkInitial(initial, batch);
        if (firstStep < 0) {
            throw new IllegalArgumentException(kind + ": firstStep must be >= 0, got " + firstStep);
        }
        List<List<Tensor>> layerOutputs = new ArrayList<>(cells.size());
        List<CellState> finals = new ArrayList<>(cells.size());
        List<Tensor> input = steps;
        for (int l = 0; l < cells.size(); l++) {
            RecurrentCell cell = cells.get(l);
            CellState state = start.get(l);
            List<Tensor> out = new ArrayList<>(input.size());
            for (int t = 0; t < input.size(); t++) {
                state = cell.forward(input.get(t), state, firstStep + t);
                out.add(state.h());
            }
            layerOutputs.add(out);
            finals.add(state);
            input = out;
        }
        return new SequenceOutput(input, finals, layerOutputs);
    }

    /** The zero state of every layer for a batch of {@code batchSize} sequences. */
    public List<CellState> initialState(int batchSize) {
        List<CellState> states = new ArrayList<>(cells.size());
        for (RecurrentCell cell : cells) {
            states.add(cell.initialState(batchSize));
        }
        return states;
    }

    private int checkSequence(List<Tensor> steps) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException(kind + ": the sequence is empty; pass at least one step "
                    + "(a List<Tensor> with one N×" + inputSize() + " tensor per time step)");
        }
        Tensor first = steps.get(0);
        for (int t = 0; t < steps.size(); t++) {
            Tensor x = steps.get(t);
            if (x == null) {
                throw new IllegalArgumentException(kind + ": step " + t + " of the sequence is null");
            }
            if (x.rows() != first.rows()) {
                throw new ShapeException(kind + ": step " + t + " is " + x.shape() + " but step 0 is " + first.shape()
                        + ": steps of different batch sizes (" + x.rows() + " and " + first.rows()
                        + "); every step must hold the same N sequences");
            }
            if (x.cols() != inputSize()) {
                throw new ShapeException(kind + ": step " + t + " is " + x.shape() + " but inputSize = " + inputSize()
                        + ": wrong feature count; every step must be N×" + inputSize());
            }
        }
        return first.rows();
    }

    private List<CellState> checkInitial(List<CellState> initial, int batch) {
        if (initial.size() != cells.size()) {
            throw new IllegalArgumentException(kind + ": " + initial.size() + " initial states given for "
                    + cells.size() + " layers; pass one CellState per layer, bottom first (or null for zeros)");
        }
        for (int l = 0; l < cells.size(); l++) {
            CellState s = initial.get(l);
            RecurrentCell cell = cells.get(l);
            if (s == null) {
                throw new IllegalArgumentException(kind + ": the initial state of layer " + l + " is null");
            }
            checkStateShape("h", s.h(), l, batch, cell.hiddenSize());
            if (cell.hasCellState()) {
                if (s.c() == null) {
                    throw new IllegalArgumentException(kind + ": the initial state of layer " + l
                            + " has no cell state c; an LSTM layer needs CellState.of(h, c)");
                }
                checkStateShape("c", s.c(), l, batch, cell.hiddenSize());
            }
        }
        return initial;
    }

    private void checkStateShape(String which, Tensor s, int layer, int batch, int hidden) {
        if (s.rows() != batch || s.cols() != hidden) {
            throw new ShapeException(kind + ": initial state " + which + " of layer " + layer + " is " + s.shape()
                    + " but must be " + ShapeException.shape(batch, hidden) + " (batch " + batch
                    + " × hiddenSize " + hidden + "): state of the wrong shape");
        }
    }

    // ------------------------------------------------------------------ as a Module of one tensor

    /**
     * Reads {@code x} (N×(T·inputSize)) as T steps side by side, runs them from the zero state and
     * returns the top layer's outputs side by side, N×(T·hiddenSize).
     */
    @Override
    public Tensor forward(Tensor x) {
        int in = inputSize();
        if (x.cols() % in != 0) {
            throw new ShapeException(kind + ": input " + x.shape() + " is not T steps of inputSize = " + in
                    + " features side by side (" + x.cols() + " columns is not a multiple of " + in
                    + "); pass a List<Tensor> to forward(List) instead");
        }
        int steps = x.cols() / in;
        if (steps == 1) {
            return forward(List.of(x)).concatenated();
        }
        List<Tensor> list = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            list.add(x.sliceColumns(t * in, (t + 1) * in));
        }
        return forward(list).concatenated();
    }

    /**
     * One tensor: {@link #forward(Tensor)} with this module's hooks. Several tensors: the steps of
     * a sequence, x_0, x_1, …, returning the top layer's outputs side by side, N×(T·hiddenSize).
     */
    @Override
    public Tensor apply(Tensor... steps) {
        if (steps.length == 1) {
            return super.apply(steps);
        }
        return forward(Arrays.asList(steps)).concatenated();
    }

    // ------------------------------------------------------------------ accessors

    public int numLayers() {
        return cells.size();
    }

    /** The cell of layer {@code l} (0 = bottom). */
    public RecurrentCell cell(int l) {
        return cells.get(l);
    }

    public List<RecurrentCell> cells() {
        return cells;
    }

    /** The features of each input step (the bottom cell's inputSize). */
    public int inputSize() {
        return cells.get(0).inputSize();
    }

    /** The features of each output step (the top cell's hiddenSize). */
    public int hiddenSize() {
        return cells.get(cells.size() - 1).hiddenSize();
    }

    @Override
    protected String extraRepr() {
        return "numLayers=" + cells.size();
    }

    /** For the subclasses' {@code extraRepr}: the layer's constructor arguments. */
    String describe(String extra) {
        return inputSize() + ", " + cells.get(0).hiddenSize() + ", numLayers=" + cells.size() + extra
                + ", normalization=" + cells.get(0).normalization();
    }
}
