package dev.normgrad.tutorials.experiments;

import dev.normgrad.init.Init;
import dev.normgrad.nn.Linear;
import java.util.Locale;
import java.util.Random;

/**
 * How an experiment initialises the weights of its {@link Linear} layers (every one, the output layer
 * included, as Glorot &amp; Bengio do). Biases start at 0, except with {@link #pytorchDefault()}, which
 * keeps the layer's own initialisation.
 *
 * <table>
 *   <caption>The schemes</caption>
 *   <tr><th>factory</th><th>W</th><th>label</th></tr>
 *   <tr><td>{@link #normal(double)}</td><td>N(0, σ²), the same σ for every layer</td><td>{@code N(0,0.1^2)}</td></tr>
 *   <tr><td>{@link #pytorchDefault()}</td><td>U(−1/√fanIn, 1/√fanIn) (Glorot &amp; Bengio's "standard" initialisation,
 *       PyTorch's Linear default)</td><td>{@code default}</td></tr>
 *   <tr><td>{@link #xavier()}</td><td>U(−a, a), a = √(6 / (fanIn + fanOut)) (Glorot &amp; Bengio's "normalized"
 *       initialisation, gain 1)</td><td>{@code xavier}</td></tr>
 *   <tr><td>{@link #he()}</td><td>N(0, 2 / fanIn) (He et al. 2015, gain √2, fan-in)</td><td>{@code he}</td></tr>
 * </table>
 *
 * @param label the scheme's name in results and charts
 * @param kind  which distribution
 * @param std   σ for {@link Kind#NORMAL}, unused (0) otherwise
 */
public record WeightInit(String label, Kind kind, double std) {
    /** The distribution families. */
    public enum Kind { NORMAL, PYTORCH_DEFAULT, XAVIER, HE }

    /** N(0, σ²) for every weight, biases 0. */
    public static WeightInit normal(double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("WeightInit.normal: σ must be > 0, got " + std);
        }
        return new WeightInit(String.format(Locale.ROOT, "N(0,%s^2)", trim(std)), Kind.NORMAL, std);
    }

    /** U(−1/√fanIn, 1/√fanIn) for weights and biases: what {@code new Linear(in, out)} draws. */
    public static WeightInit pytorchDefault() {
        return new WeightInit("default", Kind.PYTORCH_DEFAULT, 0);
    }

    /** Xavier/Glorot uniform with gain 1, biases 0. */
    public static WeightInit xavier() {
        return new WeightInit("xavier", Kind.XAVIER, 0);
    }

    /** He/Kaiming normal, N(0, 2/fanIn), biases 0. */
    public static WeightInit he() {
        return new WeightInit("he", Kind.HE, 0);
    }

    /** Re-initialises {@code layer} from {@code random}. Modified: the layer's weight and bias. */
    public void apply(Linear layer, Random random) {
        switch (kind) {
            case NORMAL:
                Init.normal(layer.weight(), 0.0, std, random);
                break;
            case PYTORCH_DEFAULT:
                double bound = 1.0 / Math.sqrt(layer.inFeatures());
                Init.uniform(layer.weight(), -bound, bound, random);
                if (layer.bias() != null) {
                    Init.uniform(layer.bias(), -bound, bound, random);
                }
                return;
            case XAVIER:
                Init.xavierUniform(layer.weight(), 1.0, random);
                break;
            case HE:
                Init.kaimingNormal(layer.weight(), 0.0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, random);
                break;
            default:
                throw new IllegalStateException("WeightInit: unknown kind " + kind);
        }
        if (layer.bias() != null) {
            Init.zeros(layer.bias());
        }
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
