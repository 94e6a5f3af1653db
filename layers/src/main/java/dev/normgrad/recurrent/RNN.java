package dev.normgrad.recurrent;

import java.util.ArrayList;
import java.util.List;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * A stack of {@link RNNCell}s run over a sequence (PyTorch's {@code nn.RNN}):
 * h_t^l = φ(N_x(h_t^{l−1}·W_ihᵀ) + b_ih + N_h(h_{t−1}^l·W_hhᵀ) + b_hh), h_t^{−1} = x_t.
 * See {@link Recurrent} for the sequence format and the result.
 *
 * <pre>{@code
 * RNN rnn = new RNN(2, 32, 1, RNNCell.Nonlinearity.TANH, CellNormalization.layerNorm(), new Random(0));
 * SequenceOutput out = rnn.forward(steps);      // steps: List<Tensor>, one N×2 tensor per step
 * Tensor last = out.last();                     // N×32
 * }</pre>
 */
public class RNN extends Recurrent {
    private final RNNCell.Nonlinearity nonlinearity;

    /** One tanh layer without normalization, initialised from {@link Init#defaultRandom()}. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** Layers initialised from {@link Init#defaultRandom()}. */
    public RNN(int inputSize, int hiddenSize, int numLayers, RNNCell.Nonlinearity nonlinearity,
               CellNormalization normalization) {
        this(inputSize, hiddenSize, numLayers, nonlinearity, normalization, Init.defaultRandom());
    }

    /** One tanh layer without normalization. */
    public RNN(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(), random);
    }

    /**
     * @param numLayers     stacked layers; layer l > 0 reads layer l−1's hidden states
     * @param nonlinearity  tanh or ReLU
     * @param normalization where every cell normalizes
     * @param random        draws the initial weights, layer 0 first
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, RNNCell.Nonlinearity nonlinearity,
               CellNormalization normalization, Random random) {
        super("RNN", cells(inputSize, hiddenSize, numLayers, nonlinearity, normalization, random));
        this.nonlinearity = nonlinearity;
    }

    private static List<RNNCell> cells(int inputSize, int hiddenSize, int numLayers, RNNCell.Nonlinearity nonlinearity,
                                       CellNormalization normalization, Random random) {
        LSTM.checkLayers("RNN", numLayers);
        List<RNNCell> cells = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            cells.add(new RNNCell(l == 0 ? inputSize : hiddenSize, hiddenSize, nonlinearity, normalization, random));
        }
        return cells;
    }

    /** The activation of every layer's cell. */
    public RNNCell.Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    protected String extraRepr() {
        return describe(", nonlinearity=" + nonlinearity);
    }
}
