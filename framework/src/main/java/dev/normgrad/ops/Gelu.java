package dev.normgrad.ops;

/**
 * Gaussian error linear unit, the exact form (PyTorch's default, {@code approximate='none'}):
 * <pre>
 *   y  = x·Φ(x) = x/2 · (1 + erf(x/√2))
 *   dx = dy · (Φ(x) + x·φ(x))            φ(x) = exp(−x²/2) / √(2π)
 * </pre>
 * Φ is the standard normal distribution function. Saves the input. Shapes: any, elementwise.
 * Paper: D. Hendrycks and K. Gimpel, "Gaussian Error Linear Units (GELUs)", 2016.
 *
 * <p>Φ is computed as {@code erfc(−x/√2)/2} rather than {@code (1 + erf(x/√2))/2}: the two are
 * equal, but the second cancels in the left tail (at x = −6 it keeps only ~7 correct digits), the
 * first keeps full precision. {@link #erf} and {@link #erfc} are W. J. Cody's rational Chebyshev
 * approximations ("Rational Chebyshev approximations for the error function", Math. Comp. 23,
 * 1969; the SPECFUN routine CALERF), accurate to about 1e-16 relative.
 */
public final class Gelu extends Elementwise {
    private static final double SQRT1_2 = 0.7071067811865476;     // 1/√2
    private static final double INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

    public Gelu() {
        super(Saves.INPUT);
    }

    @Override
    protected double apply(double x) {
        return x * normalCdf(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return normalCdf(x) + x * normalPdf(x);
    }

    /** Φ(x), the standard normal distribution function, as erfc(−x/√2)/2. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * SQRT1_2);
    }

    /** φ(x) = exp(−x²/2)/√(2π), the standard normal density. */
    public static double normalPdf(double x) {
        return INV_SQRT_2PI * StrictMath.exp(-0.5 * x * x);
    }

    // ---------------------------------------------------------------- Cody's erf and erfc

    // erf on |x| ≤ 0.46875
    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03};
    // erfc on 0.46875 < |x| ≤ 4
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
        1.23033935479799725e03, 2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03,
        1.23033935480374942e03};
    // erfc on |x| > 4
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3};
    private static final double THRESHOLD = 0.46875;
    private static final double ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;
    private static final double XSMALL = 1.11e-16;  // below this, erf(x) = 2x/√π to double precision
    private static final double XBIG = 26.543;      // above this, erfc(x) underflows to 0

    /** The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt (Cody's approximation, ~1e-16 relative). */
    public static double erf(double x) {
        double y = Math.abs(x);
        if (y <= THRESHOLD) {
            return x * small(y);
        }
        double r = (0.5 - erfcPositive(y)) + 0.5;
        return x < 0 ? -r : r;
    }

    /** The complementary error function erfc(x) = 1 − erf(x), without cancellation for large x. */
    public static double erfc(double x) {
        double y = Math.abs(x);
        if (y <= THRESHOLD) {
            return 1.0 - x * small(y);
        }
        double r = erfcPositive(y);
        return x < 0 ? 2.0 - r : r;
    }

    /** erf(y)/y for 0 ≤ y ≤ 0.46875. */
    private static double small(double y) {
        double ysq = y > XSMALL ? y * y : 0.0;
        double num = A[4] * ysq;
        double den = ysq;
        for (int i = 0; i < 3; i++) {
            num = (num + A[i]) * ysq;
            den = (den + B[i]) * ysq;
        }
        return (num + A[3]) / (den + B[3]);
    }

    /** erfc(y) for y > 0.46875 (NaN stays NaN). */
    private static double erfcPositive(double y) {
        double r;
        if (y <= 4.0) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            r = (num + C[7]) / (den + D[7]);
        } else if (y >= XBIG) {
            return 0.0;
        } else if (y > 4.0) {
            double ysq = 1.0 / (y * y);
            double num = P[5] * ysq;
            double den = ysq;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }
            r = ysq * (num + P[4]) / (den + Q[4]);
            r = (ONE_OVER_SQRT_PI - r) / y;
        } else {
            return Double.NaN;
        }
        // exp(−y²) split as exp(−t²)·exp(−(y−t)(y+t)), t = y rounded down to 1/16, to keep y² exact
        double t = Math.floor(y * 16.0) / 16.0;
        double del = (y - t) * (y + t);
        return StrictMath.exp(-t * t) * StrictMath.exp(-del) * r;
    }
}
