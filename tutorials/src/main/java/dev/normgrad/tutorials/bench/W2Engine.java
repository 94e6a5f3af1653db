package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.MSELoss;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Parameter;
import dev.normgrad.norm.LayerNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Workload W2 through the engine: the tanh RNN cell {@code h = tanh(ih(x) + hh(h))} (ih, hh:
 * {@link Linear} layers with biases, PyTorch's RNNCell), {@link LayerNorm} on the hidden state
 * each step, MSE on the last one; forward and backward. The weights, inputs and target are a
 * {@link W2Raw}'s, so the two compute the same step (tested) and engine ÷ raw is the engine's
 * overhead.
 */
public final class W2Engine {
    final Linear ih;
    final Linear hh;
    final LayerNorm norm;
    private final List<Parameter> parameters = new ArrayList<>();
    private final MSELoss criterion = new MSELoss();
    private final List<Tensor> xs = new ArrayList<>();
    private final Tensor h0;
    private final Tensor target;

    /** The cell, LayerNorm, inputs and target of {@code raw}, copied. */
    public W2Engine(W2Raw raw) {
        Random unused = new Random(0);   // the weights are overwritten with raw's
        int input = raw.wih.numCols;
        int hidden = raw.wih.numRows;
        ih = new Linear(input, hidden, true, unused);
        hh = new Linear(hidden, hidden, true, unused);
        norm = new LayerNorm(hidden);
        RawMatrices.copy("W2Engine", raw.wih, ih.weight().data());
        RawMatrices.copy("W2Engine", raw.bih, ih.bias().data());
        RawMatrices.copy("W2Engine", raw.whh, hh.weight().data());
        RawMatrices.copy("W2Engine", raw.bhh, hh.bias().data());
        RawMatrices.copy("W2Engine", raw.gamma, norm.weight().data());
        RawMatrices.copy("W2Engine", raw.beta, norm.bias().data());
        parameters.addAll(ih.parameters());
        parameters.addAll(hh.parameters());
        parameters.addAll(norm.parameters());
        for (DMatrixRMaj x : raw.xs) {
            xs.add(Tensor.wrap(x.copy()));
        }
        h0 = Tensor.zeros(raw.target.numRows, hidden);
        target = Tensor.wrap(raw.target.copy());
    }

    /** Zero the gradients, forward over every step, backward. Returns the loss. */
    public double lossAndGradients() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        Tensor h = h0;
        for (Tensor x : xs) {
            h = norm.apply(ih.apply(x).add(hh.apply(h)).tanh());
        }
        Tensor loss = criterion.apply(h, target);
        loss.backward();
        return loss.item();
    }
}
