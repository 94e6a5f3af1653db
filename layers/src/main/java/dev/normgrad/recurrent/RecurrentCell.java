package dev.normgrad.recurrent;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import dev.normgrad.ops.LinearOp;
import java.util.Random;

/**
 * What RNN, LSTM and GRU cells share: PyTorch's four parameters, its default initialisation, the
 * normalization sites, and the checks on inputs and state.
 *
 * <pre>
 *   weightIh  (gates·hiddenSize) × inputSize     PyTorch's weight_ih
 *   weightHh  (gates·hiddenSize) × hiddenSize    weight_hh
 *   biasIh    1 × (gates·hiddenSize)             bias_ih
 *   biasHh    1 × (gates·hiddenSize)             bias_hh
 *   every entry initialised U(−1/√hiddenSize, 1/√hiddenSize) from the cell's Random
 * </pre>
 *
 * The gate blocks are stacked in PyTorch's order (LSTM: i, f, g, o; GRU: r, z, n), so one product
 * {@code x·W_ihᵀ} computes all of them and {@code sliceColumns} cuts them apart.
 *
 * <p>A cell computes one step: {@link #forward(Tensor, CellState, int)} takes the input x_t
 * (N×inputSize), the previous state and the time step index t, which a per-step normalization
 * ({@link RecurrentBatchNorm}) needs; the others ignore it. Sequence layers ({@link Recurrent})
 * run a cell over every step.
 */
public abstract class RecurrentCell extends Module {
    private final String kind;
    private final int inputSize;
    private final int hiddenSize;
    private final int gates;
    private final boolean hasCellState;
    private final CellNormalization normalization;
    private final Random random;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;
    private final Module normIh;
    private final Module normHh;
    private final Module normC;

    /**
     * @param kind          the class name for messages
     * @param gates         gate blocks stacked in the weights (1 RNN, 4 LSTM, 3 GRU)
     * @param hasCellState  true for an LSTM, which also normalizes c_t
     * @param random        draws the initial weights (kept for {@link #resetParameters()})
     */
    protected RecurrentCell(String kind, int inputSize, int hiddenSize, int gates, boolean hasCellState,
                            CellNormalization normalization, Random random) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(kind + ": inputSize and hiddenSize must be positive, got "
                    + inputSize + " and " + hiddenSize);
        }
        if (normalization == null) {
            throw new IllegalArgumentException(kind + ": the normalization is null; use CellNormalization.none() for none");
        }
        if (random == null) {
            throw new IllegalArgumentException(kind + ": the Random is null; pass new Random(seed)");
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.gates = gates;
        this.hasCellState = hasCellState;
        this.normalization = normalization;
        this.random = random;
        this.weightIh = registerParameter("weightIh", new Parameter(gates * hiddenSize, inputSize));
        this.weightHh = registerParameter("weightHh", new Parameter(gates * hiddenSize, hiddenSize));
        this.biasIh = registerParameter("biasIh", new Parameter(1, gates * hiddenSize));
        this.biasHh = registerParameter("biasHh", new Parameter(1, gates * hiddenSize));
        this.normIh = register("normIh", normalization.create(CellNormalization.Site.INPUT, gates * hiddenSize));
        this.normHh = register("normHh", normalization.create(CellNormalization.Site.HIDDEN, gates * hiddenSize));
        this.normC = hasCellState ? register("normC", normalization.create(CellNormalization.Site.CELL, hiddenSize)) : null;
        resetParameters();
    }

    private Module register(String name, Module module) {
        return module == null ? null : registerModule(name, module);
    }

    /**
     * One time step: the state after reading {@code x} (N×inputSize) from {@code state}.
     *
     * @param x     the input at this step, N×inputSize. Not modified.
     * @param state the previous state (h, and c for an LSTM), each N×hiddenSize. Not modified.
     * @param step  the time step index t, from 0 (selects the statistics of a per-step normalization)
     */
    public abstract CellState forward(Tensor x, CellState state, int step);

    /** One step at time step 0. */
    public CellState forward(Tensor x, CellState state) {
        return forward(x, state, 0);
    }

    /** One step from the zero state, returning h' (PyTorch's {@code cell(x)}). */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, initialState(x.rows()), 0).h();
    }

    /** The zero state for a batch of {@code batchSize} sequences (h, and c for an LSTM). */
    public CellState initialState(int batchSize) {
        Tensor h = Tensor.zeros(batchSize, hiddenSize);
        return hasCellState() ? CellState.of(h, Tensor.zeros(batchSize, hiddenSize)) : CellState.of(h);
    }

    /** True for an LSTM: its state carries a cell state c. */
    public boolean hasCellState() {
        return hasCellState;
    }

    /** Every weight and bias U(−1/√hiddenSize, 1/√hiddenSize) (PyTorch's default); normalizations reset too. */
    @Override
    public void resetParameters() {
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (Parameter p : new Parameter[] {weightIh, weightHh, biasIh, biasHh}) {
            double[] d = p.data().data;
            for (int i = 0; i < p.data().getNumElements(); i++) {
                d[i] = -bound + 2 * bound * random.nextDouble();
            }
        }
        for (Module m : children().values()) {
            m.resetParameters();
        }
    }

    // ------------------------------------------------------------------ pieces for the subclasses

    /** N_x(x·W_ihᵀ) + b_ih: every gate's input part, N×(gates·hiddenSize). */
    protected Tensor inputGates(Tensor x, int step) {
        return normIh == null ? new LinearOp().apply(x, weightIh, biasIh)   // fused: same values, one pass less
                : normalize(normIh, x.matmulTransposeB(weightIh), step).add(biasIh);
    }

    /** Whether the recurrent part is normalized (N_h is not the identity). */
    protected boolean normalizesHidden() {
        return normHh != null;
    }

    /** N_h(h·W_hhᵀ) + b_hh: every gate's recurrent part, N×(gates·hiddenSize). */
    protected Tensor hiddenGates(Tensor h, int step) {
        return normHh == null ? new LinearOp().apply(h, weightHh, biasHh)
                : normalize(normHh, h.matmulTransposeB(weightHh), step).add(biasHh);
    }

    /** N_c(c): the LSTM's cell state as the output tanh sees it (c itself when not normalized). */
    protected Tensor normalizeCell(Tensor c, int step) {
        return normalize(normC, c, step);
    }

    private static Tensor normalize(Module norm, Tensor x, int step) {
        if (norm == null) {
            return x;
        }
        return norm instanceof PerTimeStep perStep ? perStep.forward(x, step) : norm.apply(x);
    }

    /** Gate block {@code k} (0-based) of a gates·hiddenSize-wide tensor. */
    protected Tensor gate(Tensor all, int k) {
        return all.sliceColumns(k * hiddenSize, (k + 1) * hiddenSize);
    }

    /** Fails with a message naming the cell and the shapes unless x and the state fit. */
    protected void checkStep(Tensor x, CellState state, int step) {
        if (x == null) {
            throw new IllegalArgumentException(kind + ": the input is null");
        }
        if (state == null) {
            throw new IllegalArgumentException(kind + ": the state is null; start from initialState(batchSize)");
        }
        if (x.cols() != inputSize) {
            throw new ShapeException(kind + ": input " + x.shape() + " has " + x.cols()
                    + " features but this cell has inputSize = " + inputSize + " (wrong feature count)");
        }
        checkStateShape("h", state.h(), x.rows());
        if (hasCellState()) {
            if (state.c() == null) {
                throw new IllegalArgumentException(kind + ": the state has no cell state c; an LSTM needs CellState.of(h, c)");
            }
            checkStateShape("c", state.c(), x.rows());
        }
        if (step < 0) {
            throw new IllegalArgumentException(kind + ": the time step must be >= 0, got " + step);
        }
    }

    private void checkStateShape(String which, Tensor s, int batch) {
        if (s.rows() != batch || s.cols() != hiddenSize) {
            throw new ShapeException(kind + ": state " + which + " is " + s.shape() + " but must be "
                    + ShapeException.shape(batch, hiddenSize) + " (batch " + batch + " of the input × hiddenSize "
                    + hiddenSize + "): state of the wrong shape");
        }
    }

    // ------------------------------------------------------------------ accessors

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** The number of gate blocks stacked in the weights: 1 (RNN), 4 (LSTM), 3 (GRU). */
    public int gates() {
        return gates;
    }

    public CellNormalization normalization() {
        return normalization;
    }

    /** (gates·hiddenSize) × inputSize. */
    public Parameter weightIh() {
        return weightIh;
    }

    /** (gates·hiddenSize) × hiddenSize. */
    public Parameter weightHh() {
        return weightHh;
    }

    /** 1 × (gates·hiddenSize). */
    public Parameter biasIh() {
        return biasIh;
    }

    /** 1 × (gates·hiddenSize). */
    public Parameter biasHh() {
        return biasHh;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + ", normalization=" + normalization;
    }
}
