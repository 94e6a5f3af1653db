package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * The gated recurrent unit (Cho et al. 2014), PyTorch's {@code GRUCell}, gates stacked r, z, n, with
 * PyTorch's placement of b_hn inside the reset product:
 * <pre>
 *   a = N_x(x_t·W_ihᵀ) + b_ih,   b = N_h(h_{t−1}·W_hhᵀ) + b_hh      each N×3H, cut into r, z, n parts
 *   r = σ(a_r + b_r)
 *   z = σ(a_z + b_z)
 *   n = tanh(a_n + r ⊙ b_n)          = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}  = n + z ⊙ (h_{t−1} − n)
 * </pre>
 * N_x, N_h are the identity unless a {@link CellNormalization} is given. Shapes: x_t N×inputSize,
 * h N×hiddenSize, weightIh 3H×inputSize, weightHh 3H×H.
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(3, 8, new Random(0));
 * CellState s = cell.initialState(4);
 * for (int t = 0; t < xs.size(); t++) s = cell.forward(xs.get(t), s, t);
 * }</pre>
 */
public class GRUCell extends RecurrentCell {

    /** A cell without normalization, initialised from {@link Init#defaultRandom()}. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** A cell initialised from {@link Init#defaultRandom()}. */
    public GRUCell(int inputSize, int hiddenSize, CellNormalization normalization) {
        this(inputSize, hiddenSize, normalization, Init.defaultRandom());
    }

    /** A cell without normalization. */
    public GRUCell(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, CellNormalization.none(), random);
    }

    /**
     * @param normalization where the cell normalizes; {@link CellNormalization#none()} for the plain cell
     * @param random        draws the initial weights
     */
    public GRUCell(int inputSize, int hiddenSize, CellNormalization normalization, Random random) {
        super("GRUCell", inputSize, hiddenSize, 3, false, normalization, random);
    }

    @Override
    public CellState forward(Tensor x, CellState state, int step) {
        checkStep(x, state, step);
        Tensor h = state.h();
        Tensor a = inputGates(x, step);
        Tensor b = hiddenGates(h, step);
        Tensor r = gate(a, 0).add(gate(b, 0)).sigmoid();
        Tensor z = gate(a, 1).add(gate(b, 1)).sigmoid();
        Tensor n = gate(a, 2).add(r.mul(gate(b, 2))).tanh();
        return CellState.of(n.add(z.mul(h.sub(n))));
    }
}
