package dev.normgrad.tutorials.experiments;

import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;

/** The nonlinearity between the layers of an experiment's MLP. */
public enum Activation {
    /** σ(s) = 1 / (1 + e^(−s)), in (0, 1); slope at most 1/4. */
    SIGMOID,
    /** tanh(s), in (−1, 1); slope at most 1. */
    TANH,
    /** max(s, 0). */
    RELU;

    /** A new layer computing this nonlinearity. */
    public Module module() {
        switch (this) {
            case SIGMOID:
                return new Sigmoid();
            case TANH:
                return new Tanh();
            case RELU:
                return new ReLU();
            default:
                throw new IllegalStateException("Activation: unknown " + this);
        }
    }

    /** The name charts and JSON use: {@code "sigmoid"}, {@code "tanh"}, {@code "relu"}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
