package dev.normgrad.ops;

/**
 * NormGrad's own scalar functions: each gives the same bits on every JVM, operating system and
 * CPU, so that a seeded run prints the same numbers on a learner's laptop as in the tutorial.
 *
 * <p>Why not {@link Math}: {@code Math.exp}, {@code log}, {@code pow}, {@code tanh}... may differ in
 * the last bit between machines (HotSpot replaces them with CPU-specific intrinsics; the
 * specification allows 1 ulp), and one differing bit in a step grows through training into a
 * different fifth digit. {@link StrictMath} is bit-for-bit fdlibm's by specification, and pure
 * Java arithmetic (+, −, ×, ÷, {@code Math.sqrt}, {@code abs}, {@code min}, {@code max}, {@code fma})
 * is exactly rounded on every JVM since Java 17. NormGrad's ops and layers use only those (a test
 * scans their sources) and the functions here, which are built from them.
 */
public final class ReproducibleMath {
    // Cephes' tanh (S. L. Moshier, Cephes Math Library, tanh.c): x + x³·P(x²)/Q(x²) on |x| ≤ 0.625
    private static final double P0 = -9.64399179425052238628E-1;
    private static final double P1 = -9.92877231001918586564E1;
    private static final double P2 = -1.61468768441708447952E3;
    private static final double Q0 = 1.12811678491632931402E2;
    private static final double Q1 = 2.23548839060100448583E3;
    private static final double Q2 = 4.84406305325125486048E3;

    // e^y = 2^(k/32)·e^r, k = round(32·y/ln 2), |r| ≤ ln 2/64; ln 2/32 split so that k·HI is exact
    private static final double THIRTY_TWO_OVER_LN2 = 32 / 0.6931471805599453;
    private static final double LN2_OVER_32_HI = 6.93147180369123816490e-01 / 32;
    private static final double LN2_OVER_32_LO = 1.90821492927058770002e-10 / 32;
    /** 2^(j/32), j = 0..31. */
    private static final double[] TWO_TO_J_OVER_32 = new double[32];

    static {
        for (int j = 0; j < 32; j++) {
            TWO_TO_J_OVER_32[j] = StrictMath.pow(2, j / 32.0);
        }
    }

    private ReproducibleMath() {
    }

    /**
     * The hyperbolic tangent, within 2 ulp of {@link StrictMath#tanh} (tested on a million inputs),
     * and several times faster: {@code StrictMath.tanh} is a native call into fdlibm per value, and a
     * recurrent step takes batch × hidden of them. For |x| &gt; 0.625, {@code 1 − 2/(e^{2|x|} + 1)}
     * with the sign of x (no cancellation: there tanh &gt; 0.55), the exponential by {@link #expAbove}; for
     * |x| &gt; 20 it rounds to ±1. Below, Cephes' rational minimax approximation
     * {@code x + x³·P(x²)/Q(x²)} (relative error 2.5e-16 at most). NaN gives NaN, ±0 gives ±0,
     * ±∞ gives ±1.
     */
    public static double tanh(double x) {
        double z = Math.abs(x);
        if (z > 0.625) {
            return z > 20 ? Math.copySign(1.0, x) : Math.copySign(1.0 - 2.0 / (expAbove(2 * z) + 1.0), x);
        }
        if (x == 0) {
            return x;   // keeps the sign of −0
        }
        double s = x * x;
        return x + x * s * (((P0 * s + P1) * s + P2) / (((s + Q0) * s + Q1) * s + Q2));
    }

    /**
     * e^y for 1 ≤ y ≤ 40, within 2 ulp of {@link StrictMath#exp} (tested), for {@link #tanh}:
     * y = (k/32)·ln 2 + r with k the nearest integer to 32y/ln 2 and |r| ≤ ln 2/64, so
     * e^y = 2^(k div 32) · 2^((k mod 32)/32) · e^r, the middle factor from a table of 32 values and e^r
     * from its Taylor polynomial of degree 6 (truncation below 4e-18 there). Cheaper than the
     * general exponential, which must also handle every range and special value.
     */
    static double expAbove(double y) {
        int k = (int) (y * THIRTY_TWO_OVER_LN2 + 0.5);
        double r = (y - k * LN2_OVER_32_HI) - k * LN2_OVER_32_LO;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
        return TWO_TO_J_OVER_32[k & 31] * p * Double.longBitsToDouble((long) ((k >> 5) + 1023) << 52);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e⁻ˣ)}, without overflow: for x &lt; 0 as
     * {@code eˣ / (1 + eˣ)}, whose exponential cannot overflow either.
     */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1.0 + e);
    }
}
