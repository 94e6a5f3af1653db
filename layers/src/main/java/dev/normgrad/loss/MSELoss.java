package dev.normgrad.loss;

import dev.normgrad.autograd.Tensor;

/**
 * Mean squared error, {@code mean((input − target)²)}: see {@link Losses#mse}. A loss object holds
 * no state; it exists so that a training loop reads like PyTorch's ({@code criterion = nn.MSELoss()}).
 *
 * <pre>{@code
 * MSELoss criterion = new MSELoss();
 * Tensor loss = criterion.apply(model.apply(x), target);   // 1×1
 * }</pre>
 */
public final class MSELoss {
    /** The 1×1 mean squared error of {@code input} (N×F) against {@code target} (N×F). */
    public Tensor apply(Tensor input, Tensor target) {
        return Losses.mse(input, target);
    }

    @Override
    public String toString() {
        return "MSELoss()";
    }
}
