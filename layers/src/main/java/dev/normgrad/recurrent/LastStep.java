package dev.normgrad.recurrent;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;

/**
 * Keeps the last time step of a sequence laid side by side: N × (T·F) → N × F, the last F
 * columns. A recurrent layer used as a plain module ({@link Recurrent#forward(Tensor)}) returns every
 * step's hidden state side by side; a classifier that reads the sequence and answers at its end
 * takes only the last one (PyTorch's {@code output[:, -1]}, {@link SequenceOutput#last()}):
 *
 * <pre>{@code
 * // the 8×8 digits read row by row: 8 steps of 8 pixels, a 32-unit LSTM, a class after the last row
 * Module model = new Sequential(new LSTM(8, 32), new LastStep(32), new Linear(32, 10));
 * }</pre>
 * The gradient flows to the last step's columns only. A width that is not a multiple of F is an
 * error naming the layer and the sizes.
 */
public class LastStep extends Module {
    private final int features;

    /** @param features F, the features of one step (the recurrent layer's hiddenSize) */
    public LastStep(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("LastStep: features must be at least 1, got " + features);
        }
        this.features = features;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.cols() % features != 0) {
            throw new ShapeException("LastStep(features=" + features + "): input is " + input.shape() + ", expected T steps of "
                    + features + " features side by side (a width that is a multiple of " + features + ")");
        }
        return input.cols() == features ? input : input.sliceColumns(input.cols() - features, input.cols());
    }

    /** F, the features of one step. */
    public int features() {
        return features;
    }

    @Override
    protected String extraRepr() {
        return "features=" + features;
    }
}
