package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.TanhRecurrenceOp;
import java.util.Locale;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * The Elman recurrent cell, PyTorch's {@code RNNCell}:
 * <pre>
 *   h_t = φ(N_x(x_t·W_ihᵀ) + b_ih + N_h(h_{t−1}·W_hhᵀ) + b_hh),    φ = tanh or ReLU
 * </pre>
 * with N_x, N_h the identity unless a {@link CellNormalization} is given. Shapes: x_t N×inputSize,
 * h N×hiddenSize, weightIh hiddenSize×inputSize, weightHh hiddenSize×hiddenSize. Through many steps
 * the gradient is multiplied by W_hhᵀ·diag(φ′) once per step: it vanishes when that product is
 * small and explodes when it is large (Bengio, Simard &amp; Frasconi 1994; Pascanu, Mikolov &amp; Bengio 2013).
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(3, 8, RNNCell.Nonlinearity.TANH, CellNormalization.layerNorm(), new Random(0));
 * CellState s = cell.initialState(4);
 * for (int t = 0; t < xs.size(); t++) s = cell.forward(xs.get(t), s, t);
 * }</pre>
 */
public class RNNCell extends RecurrentCell {
    /** The cell's activation φ. */
    public enum Nonlinearity {
        TANH, RELU;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Nonlinearity nonlinearity;

    /** A tanh cell without normalization, initialised from {@link Init#defaultRandom()}. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** A cell initialised from {@link Init#defaultRandom()}. */
    public RNNCell(int inputSize, int hiddenSize, Nonlinearity nonlinearity, CellNormalization normalization) {
        this(inputSize, hiddenSize, nonlinearity, normalization, Init.defaultRandom());
    }

    /** A tanh cell without normalization. */
    public RNNCell(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, Nonlinearity.TANH, CellNormalization.none(), random);
    }

    /**
     * @param nonlinearity  tanh (PyTorch's default) or ReLU
     * @param normalization where the cell normalizes; {@link CellNormalization#none()} for the plain cell
     * @param random        draws the initial weights
     */
    public RNNCell(int inputSize, int hiddenSize, Nonlinearity nonlinearity, CellNormalization normalization, Random random) {
        super("RNNCell", inputSize, hiddenSize, 1, false, normalization, random);
        if (nonlinearity == null) {
            throw new IllegalArgumentException("RNNCell: the nonlinearity is null; use Nonlinearity.TANH or RELU");
        }
        this.nonlinearity = nonlinearity;
    }

    @Override
    public CellState forward(Tensor x, CellState state, int step) {
        checkStep(x, state, step);
        if (nonlinearity == Nonlinearity.TANH && !normalizesHidden()) {
            // the same h' in one op (TanhRecurrenceOp): four N×hidden tensors fewer per step
            return CellState.of(new TanhRecurrenceOp().apply(inputGates(x, step), state.h(), weightHh(), biasHh()));
        }
        Tensor pre = inputGates(x, step).add(hiddenGates(state.h(), step));
        return CellState.of(nonlinearity == Nonlinearity.TANH ? pre.tanh() : pre.relu());
    }

    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    protected String extraRepr() {
        return inputSize() + ", " + hiddenSize() + ", nonlinearity=" + nonlinearity + ", normalization=" + normalization();
    }
}
