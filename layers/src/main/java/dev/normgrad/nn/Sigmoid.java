package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * Logistic sigmoid, elementwise: {@code y = 1 / (1 + e⁻ˣ)}, {@code dx = dy · y(1 − y)}. Shapes: any →
 * same. Its derivative is at most 1/4, so each sigmoid layer shrinks the gradient by 4 or more: the
 * textbook case of vanishing gradients. For a binary classifier's output, prefer raw logits and
 * {@link dev.normgrad.loss.BCEWithLogitsLoss}. The op is {@link dev.normgrad.ops.Sigmoid}.
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
