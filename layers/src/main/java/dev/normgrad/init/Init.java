package dev.normgrad.init;

import dev.normgrad.autograd.Tensor;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Weight initialisation, PyTorch's {@code torch.nn.init}: every method fills a tensor (a
 * {@link dev.normgrad.nn.Parameter} usually) <em>in place</em> and returns it. The tensor's values
 * are modified; its gradient and graph are not touched.
 *
 * <p>Fans, as PyTorch computes them for a 2-D weight stored out×in (a Linear layer's): {@code fanIn
 * = cols}, {@code fanOut = rows}.
 *
 * <table>
 *   <caption>What each scheme draws</caption>
 *   <tr><th>method</th><th>distribution</th><th>paper</th></tr>
 *   <tr><td>{@link #xavierUniform}</td><td>U(−a, a), a = gain·√(6 / (fanIn + fanOut))</td>
 *       <td>Glorot &amp; Bengio 2010</td></tr>
 *   <tr><td>{@link #xavierNormal}</td><td>N(0, σ²), σ = gain·√(2 / (fanIn + fanOut))</td><td>Glorot &amp; Bengio 2010</td></tr>
 *   <tr><td>{@link #kaimingUniform}</td><td>U(−b, b), b = gain·√(3 / fan)</td><td>He et al. 2015</td></tr>
 *   <tr><td>{@link #kaimingNormal}</td><td>N(0, σ²), σ = gain / √fan</td><td>He et al. 2015</td></tr>
 *   <tr><td>{@link #orthogonal}</td><td>gain·Q, Q from the QR decomposition of a Gaussian matrix</td>
 *       <td>Saxe et al. 2014</td></tr>
 * </table>
 * with {@code gain} from {@link #gain(Nonlinearity, double)} (tanh 5/3, ReLU √2, ...).
 *
 * <p><b>Randomness.</b> Every method takes a seeded {@link Random}; the overloads without one draw
 * from {@link #defaultRandom()}, one generator shared by the whole library (PyTorch's global
 * generator), which layers such as {@code Linear(in, out)} also use. It starts from a fixed seed,
 * so a program gives the same numbers on every run; {@link #manualSeed(long)} re-seeds it
 * ({@code torch.manual_seed}). The numbers differ from PyTorch's: the generators differ, the
 * distributions are the same.
 */
public final class Init {
    /** The seed {@link #defaultRandom()} starts from (PyTorch's default seed, 67280421310721). */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Random DEFAULT = new Random(DEFAULT_SEED);

    private Init() {
    }

    /** The nonlinearity that follows a layer, for {@link #gain(Nonlinearity, double)}. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    /** Which fan Kaiming initialisation preserves: the forward pass's (FAN_IN) or the backward pass's (FAN_OUT). */
    public enum FanMode { FAN_IN, FAN_OUT }

    // ---------------------------------------------------------------- the shared generator

    /** The generator shared by the library's default constructors and the overloads without a Random. */
    public static Random defaultRandom() {
        return DEFAULT;
    }

    /** Re-seeds {@link #defaultRandom()}: the layers built afterwards get the same weights on every run. */
    public static void manualSeed(long seed) {
        DEFAULT.setSeed(seed);
    }

    // ---------------------------------------------------------------- fans and gains

    /** fan_in of a 2-D weight stored out×in: its number of columns. */
    public static int fanIn(Tensor weight) {
        return weight.cols();
    }

    /** fan_out of a 2-D weight stored out×in: its number of rows. */
    public static int fanOut(Tensor weight) {
        return weight.rows();
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's {@code calculate_gain}): linear and
     * sigmoid 1, tanh 5/3, ReLU √2, leaky ReLU √(2 / (1 + slope²)), SELU 3/4.
     *
     * @param param the leaky ReLU's negative slope (ignored otherwise)
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        switch (nonlinearity) {
            case LINEAR:
            case SIGMOID:
                return 1.0;
            case TANH:
                return 5.0 / 3.0;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU:
                return Math.sqrt(2.0 / (1 + param * param));
            case SELU:
                return 3.0 / 4.0;
            default:
                throw new IllegalArgumentException("Init.gain: unknown nonlinearity " + nonlinearity);
        }
    }

    // ---------------------------------------------------------------- plain distributions

    /** Fills {@code t} with U(low, high) from {@code random}. Modified: t. */
    public static Tensor uniform(Tensor t, double low, double high, Random random) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("Init.uniform: need low <= high, got low=" + low + ", high=" + high);
        }
        DMatrixRMaj m = t.data();
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = low + (high - low) * random.nextDouble();
        }
        return t;
    }

    /** U(low, high) from {@link #defaultRandom()}. */
    public static Tensor uniform(Tensor t, double low, double high) {
        return uniform(t, low, high, DEFAULT);
    }

    /** Fills {@code t} with N(mean, std²) from {@code random}. Modified: t. */
    public static Tensor normal(Tensor t, double mean, double std, Random random) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: the standard deviation must be >= 0, got " + std);
        }
        DMatrixRMaj m = t.data();
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = mean + std * random.nextGaussian();
        }
        return t;
    }

    /** N(mean, std²) from {@link #defaultRandom()}. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, DEFAULT);
    }

    /** Fills {@code t} with {@code value}. Modified: t. */
    public static Tensor constant(Tensor t, double value) {
        t.data().fill(value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0.0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1.0);
    }

    // ---------------------------------------------------------------- Xavier / Glorot

    /**
     * Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)), so that the variance of
     * activations and of gradients is kept through a linear layer, averaged over both directions.
     * X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward neural
     * networks", AISTATS 2010. Modified: t.
     */
    public static Tensor xavierUniform(Tensor t, double gain, Random random) {
        double a = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -a, a, random);
    }

    /** Xavier uniform with gain 1 from {@link #defaultRandom()}. */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1.0, DEFAULT);
    }

    /** Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)) (Glorot &amp; Bengio 2010). Modified: t. */
    public static Tensor xavierNormal(Tensor t, double gain, Random random) {
        double std = gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
        return normal(t, 0.0, std, random);
    }

    /** Xavier normal with gain 1 from {@link #defaultRandom()}. */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1.0, DEFAULT);
    }

    // ---------------------------------------------------------------- Kaiming / He

    /**
     * Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan), gain = {@code gain(nonlinearity, a)}: the
     * variance gain / fan keeps the activations' (FAN_IN) or the gradients' (FAN_OUT) second moment
     * through a layer followed by that nonlinearity. K. He et al., "Delving Deep into Rectifiers",
     * ICCV 2015. PyTorch's Linear default is {@code kaimingUniform(w, √5, FAN_IN, LEAKY_RELU)},
     * which works out to U(−1/√fanIn, 1/√fanIn). Modified: t.
     *
     * @param a the negative slope of the leaky ReLU that follows (0 for ReLU)
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Random random) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, random);
    }

    /** Kaiming uniform with PyTorch's defaults (a = 0, FAN_IN, LEAKY_RELU: gain √2) from {@link #defaultRandom()}. */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, DEFAULT);
    }

    /**
     * PyTorch's default initialisation of a Linear or convolution layer: the weight by
     * {@code kaimingUniform(weight, √5, FAN_IN, LEAKY_RELU)}, which works out to U(−1/√fanIn, 1/√fanIn),
     * then the bias, if given, by U(−1/√fanIn, 1/√fanIn). fanIn is the weight's columns: the input
     * features of a Linear, (in channels / groups)·kH·kW of a convolution, as PyTorch computes it.
     * Modified: weight, bias.
     */
    public static void uniformFanIn(Tensor weight, Tensor bias, Random random) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, random);
        if (bias != null) {
            double bound = 1.0 / Math.sqrt(fanIn(weight));
            uniform(bias, -bound, bound, random);
        }
    }

    /** Kaiming/He normal: N(0, σ²) with σ = gain / √fan (He et al. 2015). Modified: t. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Random random) {
        return normal(t, 0.0, kaimingStd(t, a, mode, nonlinearity), random);
    }

    /** Kaiming normal with PyTorch's defaults (a = 0, FAN_IN, LEAKY_RELU) from {@link #defaultRandom()}. */
    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, DEFAULT);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int fan = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
        return gain(nonlinearity, a) / Math.sqrt(fan);
    }

    // ---------------------------------------------------------------- orthogonal

    /**
     * Orthogonal initialisation, as PyTorch's {@code orthogonal_}: draw G with N(0, 1) entries
     * (rows×cols; transposed when rows &lt; cols), take its QR decomposition G = QR, flip each column
     * of Q by the sign of R's diagonal (which makes Q unique, hence uniformly distributed over the
     * orthogonal matrices), transpose back, and scale by {@code gain}. Then WᵀW = gain²·I when
     * rows ≥ cols, WWᵀ = gain²·I otherwise. A. Saxe, J. McClelland, S. Ganguli, "Exact solutions to
     * the nonlinear dynamics of learning in deep linear neural networks", ICLR 2014. Modified: t.
     */
    public static Tensor orthogonal(Tensor t, double gain, Random random) {
        DMatrixRMaj g = new DMatrixRMaj(t.rows(), t.cols());
        for (int i = 0; i < g.getNumElements(); i++) {
            g.data[i] = random.nextGaussian();
        }
        t.data().setTo(orthogonalFrom(g, gain));
        return t;
    }

    /** Orthogonal with gain 1 from {@link #defaultRandom()}. */
    public static Tensor orthogonal(Tensor t) {
        return orthogonal(t, 1.0, DEFAULT);
    }

    /** The deterministic part of {@link #orthogonal}: G (rows×cols, not modified) → gain·Q. */
    static DMatrixRMaj orthogonalFrom(DMatrixRMaj gaussian, double gain) {
        boolean wide = gaussian.numRows < gaussian.numCols;
        DMatrixRMaj a = wide ? CommonOps_DDRM.transpose(gaussian, null) : gaussian.copy();
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        if (!qr.decompose(a)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "Init.orthogonal: the QR decomposition of a %dx%d Gaussian matrix failed", a.numRows, a.numCols));
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int j = 0; j < q.numCols; j++) {
            double sign = Math.signum(r.get(j, j));
            for (int i = 0; i < q.numRows; i++) {
                q.set(i, j, q.get(i, j) * sign * gain);
            }
        }
        return wide ? CommonOps_DDRM.transpose(q, null) : q;
    }
}
