package dev.normgrad.recurrent;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;

/**
 * Layer normalization of each row, composed from primitive ops:
 * y = γ ⊙ (x − mean(x)) / √(var(x) + eps) + β, biased variance over the columns.
 */
final class CellLayerNorm extends Module {
    private static final double EPS = 1e-5;
    private final int features;
    private final Parameter weight;
    private final Parameter bias;

    CellLayerNorm(int features) {
        this.features = features;
        this.weight = registerParameter("weight", new Parameter(1, features));
        this.bias = registerParameter("bias", new Parameter(1, features));
        resetParameters();
    }

    @Override
    public void resetParameters() {
        weight.data().fill(1.0);
        bias.data().zero();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.cols() != features) {
            throw new ShapeException("LayerNorm: input " + x.shape() + " has " + x.cols() + " features, expected " + features);
        }
        Tensor centered = x.sub(x.mean(1));
        Tensor variance = centered.mul(centered).mean(1);
        return centered.div(variance.add(EPS).sqrt()).mul(weight).add(bias);
    }

    @Override
    protected String extraRepr() {
        return String.valueOf(features);
    }
}
