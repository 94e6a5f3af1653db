package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.MSELoss;
import dev.normgrad.nn.Parameter;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.CellState;
import dev.normgrad.recurrent.RNNCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Workload W2 through the engine: the library's tanh {@link RNNCell} (PyTorch's RNNCell,
 * {@code h = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)}), {@link LayerNorm} on the hidden state each
 * step, MSE on the last one; forward and backward. The weights, inputs and target are a
 * {@link W2Raw}'s, so the two compute the same step (tested) and engine ÷ raw is the engine's
 * overhead.
 */
public final class W2Engine {
    final RNNCell cell;
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
        cell = new RNNCell(input, hidden, RNNCell.Nonlinearity.TANH, CellNormalization.none(), unused);
        norm = new LayerNorm(hidden);
        RawMatrices.copy("W2Engine", raw.wih, cell.weightIh().data());
        RawMatrices.copy("W2Engine", raw.bih, cell.biasIh().data());
        RawMatrices.copy("W2Engine", raw.whh, cell.weightHh().data());
        RawMatrices.copy("W2Engine", raw.bhh, cell.biasHh().data());
        RawMatrices.copy("W2Engine", raw.gamma, norm.weight().data());
        RawMatrices.copy("W2Engine", raw.beta, norm.bias().data());
        parameters.addAll(cell.parameters());
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
        for (int t = 0; t < xs.size(); t++) {
            h = norm.apply(cell.forward(xs.get(t), CellState.of(h), t).h());
        }
        Tensor loss = criterion.apply(h, target);
        loss.backward();
        return loss.item();
    }
}
