package dev.normgrad.optim;

/**
 * Thrown by {@link Optimizer#step()} when a gradient holds NaN or ±∞: the message names the
 * optimizer, the parameter (its index in {@link Optimizer#parameters()} and its shape), the value
 * and its position, and says how to find the cause. No parameter was updated.
 */
public class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int parameterIndex;

    public NonFiniteGradientException(String message, int parameterIndex) {
        super(message);
        this.parameterIndex = parameterIndex;
    }

    /** The position of the offending parameter in {@link Optimizer#parameters()}. */
    public int parameterIndex() {
        return parameterIndex;
    }
}
