package dev.normgrad.diagnostics;

/**
 * When one output of an activation counts as saturated: in a flat region where its derivative is
 * near zero, so almost no gradient flows back through it. Decided per entry from the layer's input
 * {@code x} and output {@code y} (same shape; the layers that have a rule are elementwise).
 *
 * <p>The thresholds follow Karpathy's "Building makemore part 3" for tanh and give sigmoid the same
 * reading: in each, the local derivative is below about 0.06 (tanh: 1 − 0.97² ≈ 0.059) or 0.03
 * (sigmoid: 0.03 · 0.97 ≈ 0.029).
 */
@FunctionalInterface
public interface SaturationRule {
    boolean isSaturated(double x, double y);

    /** tanh: |y| &gt; 0.97. */
    SaturationRule TANH = (x, y) -> Math.abs(y) > 0.97;

    /** sigmoid: y within 0.03 of 0 or of 1. */
    SaturationRule SIGMOID = (x, y) -> y < 0.03 || y > 0.97;

    /** ReLU: x ≤ 0, the flat side where the unit passes no gradient (a "dead" unit if always so). */
    SaturationRule RELU = (x, y) -> x <= 0;

    /** LeakyReLU: x &lt; 0, the side where only the negative slope (0.01 by default) passes gradient. */
    SaturationRule LEAKY_RELU = (x, y) -> x < 0;

    /** GELU: x &lt; −3, its flat negative tail (|y| &lt; 0.005 and |dy/dx| &lt; 0.013 there). */
    SaturationRule GELU = (x, y) -> x < -3;
}
