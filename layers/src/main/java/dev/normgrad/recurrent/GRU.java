package dev.normgrad.recurrent;

import java.util.ArrayList;
import java.util.List;
import dev.normgrad.init.Init;
import java.util.Random;

/**
 * A stack of {@link GRUCell}s run over a sequence (PyTorch's {@code nn.GRU}). See {@link GRUCell}
 * for the equations and {@link Recurrent} for the sequence format.
 *
 * <pre>{@code
 * GRU gru = new GRU(8, 16, 2, CellNormalization.none(), new Random(0));
 * SequenceOutput out = gru.forward(steps);
 * }</pre>
 */
public class GRU extends Recurrent {

    /** One layer without normalization, initialised from {@link Init#defaultRandom()}. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Init.defaultRandom());
    }

    /** Layers initialised from {@link Init#defaultRandom()}. */
    public GRU(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization) {
        this(inputSize, hiddenSize, numLayers, normalization, Init.defaultRandom());
    }

    /** One layer without normalization. */
    public GRU(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, 1, CellNormalization.none(), random);
    }

    /**
     * @param numLayers     stacked layers; layer l > 0 reads layer l−1's hidden states
     * @param normalization where every cell normalizes
     * @param random        draws the initial weights, layer 0 first
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization, Random random) {
        super("GRU", cells(inputSize, hiddenSize, numLayers, normalization, random));
    }

    private static List<GRUCell> cells(int inputSize, int hiddenSize, int numLayers, CellNormalization normalization,
                                       Random random) {
        LSTM.checkLayers("GRU", numLayers);
        List<GRUCell> cells = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            cells.add(new GRUCell(l == 0 ? inputSize : hiddenSize, hiddenSize, normalization, random));
        }
        return cells;
    }

    @Override
    protected String extraRepr() {
        return describe("");
    }
}
