package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000),
 * PyTorch's {@code LSTMCell}, gates stacked in PyTorch's order i, f, g, o:
 * <pre>
 *   a   = N_x(x_t·W_ihᵀ) + b_ih + N_h(h_{t−1}·W_hhᵀ) + b_hh          N×4H, cut into i, f, g, o
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(N_c(c_t))
 * </pre>
 * N_x, N_h, N_c are the identity unless a {@link CellNormalization} is given; c_t is carried to the
 * next step unnormalized (Ba et al. 2016; Cooijmans et al. 2016). Shapes: x_t N×inputSize, h and c
 * N×hiddenSize, weightIh 4H×inputSize, weightHh 4H×H. The additive path through c_t is why
 * gradients survive many more steps than in a plain RNN: ∂c_t/∂c_{t−1} = diag(σ(f)).
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(3, 8, CellNormalization.layerNorm(), new Random(0));
 * CellState s = cell.initialState(4);                 // h and c, zeros
 * for (int t = 0; t < xs.size(); t++) s = cell.forward(xs.get(t), s, t);
 * }</pre>
 */
public class LSTMCell extends RecurrentCell {

    /** A cell without normalization, initialised from {@link Init#defaultRandom()}. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** A cell initialised from {@link Init#defaultRandom()}. */
    public LSTMCell(int inputSize, int hiddenSize, CellNormalization normalization) {
        this(inputSize, hiddenSize, normalization, Init.defaultRandom());
    }

    /** A cell without normalization. */
    public LSTMCell(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, CellNormalization.none(), random);
    }

    /**
     * @param normalization where the cell normalizes; {@link CellNormalization#none()} for the plain cell
     * @param random        draws the initial weights
     */
    public LSTMCell(int inputSize, int hiddenSize, CellNormalization normalization, Random random) {
        super("LSTMCell", inputSize, hiddenSize, 4, true, normalization, random);
    }

    @Override
    public CellState forward(Tensor x, CellState state, int step) {
        checkStep(x, state, step);
        Tensor a = inputGates(x, step).add(hiddenGates(state.h(), step));
        Tensor i = gate(a, 0).sigmoid();
        Tensor f = gate(a, 1).sigmoid();
        Tensor g = gate(a, 2).tanh();
        Tensor o = gate(a, 3).sigmoid();
        Tensor c = f.mul(state.c()).add(i.mul(g));
        Tensor h = o.mul(normalizeCell(c, step).tanh());
        return CellState.of(h, c);
    }
}
