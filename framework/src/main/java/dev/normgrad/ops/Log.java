package dev.normgrad.ops;

/**
 * Natural logarithm, {@code y = ln x ; dx = dy / x} (saves the input). Non-positive inputs give NaN or −∞, as in PyTorch; anomaly mode names the op.
 */
public final class Log extends Elementwise {
    public Log() {
        super(Saves.INPUT);
    }

    @Override
    protected double apply(double x) {
        return StrictMath.log(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return 1.0 / x;
    }
}
