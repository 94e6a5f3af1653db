package dev.normgrad.diagnostics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one layer did during one training step, recorded by {@link Diagnostics}. Statistics pool every
 * call of the layer in the step (a recurrent cell applied T times counts all T outputs).
 *
 * <p><b>Activations</b> (the layer's output, every entry of every forward in the step):
 * {@code count} finite values, their {@code mean} and {@code std} (population standard deviation,
 * dividing by the count, so a LayerNorm output reads std 1), {@code saturation} (the fraction in the
 * flat region of the layer's {@link SaturationRule}; NaN for layers that have none, such as Linear),
 * {@code nonFinite} (NaN or ±∞ entries, left out of every other statistic), and a {@code histogram}
 * with {@link #HISTOGRAM_BINS} fixed bins: bin 0 counts values below −3, bin 61 values of 3 or more,
 * and bin k + 31 (k = −30…29) the values v with k ≤ 10·v &lt; k + 1 — width 0.1 from −3 to 3.
 *
 * <p><b>Gradients</b>: {@code gradNorm} is ‖∂L/∂y‖ for the layer's output y (over all calls: the
 * square root of the summed squares), from the backward hook; NaN when no backward reached it.
 * {@code parameters} holds the layer's own parameters (not its children's), filled by
 * {@link Diagnostics#beforeStep()} / {@link Diagnostics#afterStep()}; empty if those were not called.
 *
 * <p>Every double is NaN when it was not measured; JSON writes NaN as {@code null}.
 *
 * @param step      the step index given to {@link Diagnostics#step(int)}
 * @param layer     the layer's dotted path in the model ({@code "2"}, {@code "1.inner"}; {@code ""} for the model itself)
 * @param type      the layer's class name ({@code Tanh})
 * @param calls     forwards through the layer in the step
 */
public record LayerStats(int step, String layer, String type, int calls, long count, double mean, double std,
                         double saturation, long nonFinite, long[] histogram, double gradNorm, List<ParameterStats> parameters) {
    /** Number of histogram bins: an underflow bin, 60 bins of width 0.1 on [−3, 3), an overflow bin. */
    public static final int HISTOGRAM_BINS = 62;
    /** Lower edge of the first bounded bin. */
    public static final double HISTOGRAM_LOW = -3.0;
    /** Upper edge of the last bounded bin. */
    public static final double HISTOGRAM_HIGH = 3.0;
    /** Width of a bounded bin. */
    public static final double HISTOGRAM_BIN_WIDTH = 0.1;

    public LayerStats {
        histogram = histogram.clone();
        parameters = List.copyOf(parameters);
    }

    /** The histogram counts (a copy). */
    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    /** The bin of value v (finite): 0 below −3, 61 at 3 or above, else floor(10·v) + 31. */
    public static int histogramBin(double v) {
        if (v < HISTOGRAM_LOW) {
            return 0;
        }
        if (v >= HISTOGRAM_HIGH) {
            return HISTOGRAM_BINS - 1;
        }
        // 10·v may round up to 30.0 just below 3: clamp into the last bounded bin
        int k = Math.max(-30, Math.min(29, (int) Math.floor(v * 10)));
        return k + 31;
    }

    /** The lower edge of bin b (−∞ for bin 0). */
    public static double histogramLowerEdge(int bin) {
        if (bin == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return (bin - 31) / 10.0;
    }

    /** Records compare arrays by identity; these stats compare their histograms by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LayerStats s && step == s.step && calls == s.calls && count == s.count
                && Double.compare(mean, s.mean) == 0 && Double.compare(std, s.std) == 0
                && Double.compare(saturation, s.saturation) == 0 && nonFinite == s.nonFinite
                && Double.compare(gradNorm, s.gradNorm) == 0 && layer.equals(s.layer) && type.equals(s.type)
                && Arrays.equals(histogram, s.histogram) && parameters.equals(s.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, layer, type, calls, count, mean, std, saturation, nonFinite, Arrays.hashCode(histogram),
                gradNorm, parameters);
    }

    @Override
    public String toString() {
        return "LayerStats[step=" + step + ", layer=" + label() + ", calls=" + calls + ", count=" + count + ", mean=" + mean
                + ", std=" + std + ", saturation=" + saturation + ", nonFinite=" + nonFinite + ", histogram="
                + Arrays.toString(histogram) + ", gradNorm=" + gradNorm + ", parameters=" + parameters + "]";
    }

    /** "2 (Tanh)", or the type alone for the model itself: a label for tables and charts. */
    public String label() {
        return layer.isEmpty() ? type : layer + " (" + type + ")";
    }

    /** The stats of the parameter named {@code name} ({@code "weight"}), or null. */
    public ParameterStats parameter(String name) {
        for (ParameterStats p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
