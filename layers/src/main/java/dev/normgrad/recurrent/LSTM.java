package dev.normgrad.recurrent;

import java.util.ArrayList;
import java.util.List;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * A stack of {@link LSTMCell}s run over a sequence (PyTorch's {@code nn.LSTM}); each layer carries
 * (h, c). See {@link LSTMCell} for the equations and {@link Recurrent} for the sequence format.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(2, 32, 1, CellNormalization.layerNorm(), new Random(0));   // Ba et al. 2016
 * SequenceOutput out = lstm.forward(steps);     // steps: List<Tensor>, one N×2 tensor per step
 * Tensor last = out.last();                     // N×32, the top layer's h_T
 * Tensor cT = out.finalState().c();             // N×32
 * }</pre>
 */
public class LSTM extends Recurrent {

    /** One layer without normalization, initialised from {@link Init#defaultRandom()}. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** Layers initialised from {@link Init#defaultRandom()}. */
    public LSTM(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization) {
        this(inputSize, hiddenSize, numLayers, normalization, Init.defaultRandom());
    }

    /** One layer without normalization. */
    public LSTM(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, 1, CellNormalization.none(), random);
    }

    /**
     * @param numLayers     stacked layers; layer l > 0 reads layer l−1's hidden states
     * @param normalization where every cell normalizes
     * @param random        draws the initial weights, layer 0 first
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization, Random random) {
        super("LSTM", cells(inputSize, hiddenSize, numLayers, normalization, random));
    }

    private static List<LSTMCell> cells(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization,
                                        Random random) {
        checkLayers("LSTM", numLayers);
        List<LSTMCell> cells = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            cells.add(new LSTMCell(l == 0 ? inputSize : hiddenSize, hiddenSize, normalization, random));
        }
        return cells;
    }

    static void checkLayers(String kind, int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException(kind + ": numLayers must be at least 1, got " + numLayers);
        }
    }

    @Override
    protected String extraRepr() {
        return describe("");
    }
}
