package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ReproducibleMath}: accurate (tanh within 2 ulp of fdlibm's {@link StrictMath#tanh}), right at
 * the special values, and the same bits as on the machine that wrote this test — bits that every
 * JVM and CPU must reproduce, since the functions use only exactly rounded arithmetic and StrictMath.
 */
class ReproducibleMathTest {

    @Test
    void tanhIsWithinTwoUlpOfStrictMathTanh() {
        SplittableRandom rng = new SplittableRandom(11);
        double worst = 0;
        double[] scales = {1e-8, 1e-3, 0.3, 0.625, 1, 3, 20};
        for (int i = 0; i < 1_000_000; i++) {
            double x = (2 * rng.nextDouble() - 1) * scales[i % scales.length];
            double expected = StrictMath.tanh(x);
            worst = Math.max(worst, Math.abs(ReproducibleMath.tanh(x) - expected) / Math.ulp(expected));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        for (double x : new double[] {0.625, -0.625, Math.nextUp(0.625), Math.nextDown(0.625), 1e-300, Double.MIN_VALUE,
            19.0, 19.1, 30.0, 710, -710, 1e308}) {
            assertTrue(Math.abs(ReproducibleMath.tanh(x) - StrictMath.tanh(x)) <= 2 * Math.ulp(StrictMath.tanh(x)), "x = " + x);
        }
    }

    @Test
    void tanhsExponentialIsWithinTwoUlpOfStrictMathExp() {
        SplittableRandom rng = new SplittableRandom(13);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double y = 1 + 39 * rng.nextDouble();
            double expected = StrictMath.exp(y);
            worst = Math.max(worst, Math.abs(ReproducibleMath.expAbove(y) - expected) / Math.ulp(expected));
        }
        for (double y : new double[] {1, 1.25, 40, 0.6931471805599453 * 32, 0.6931471805599453 * 1.5}) {
            worst = Math.max(worst, Math.abs(ReproducibleMath.expAbove(y) - StrictMath.exp(y)) / Math.ulp(StrictMath.exp(y)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void tanhSpecialValues() {
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ReproducibleMath.tanh(0.0)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ReproducibleMath.tanh(-0.0)));
        assertEquals(1.0, ReproducibleMath.tanh(Double.POSITIVE_INFINITY));
        assertEquals(1.0, ReproducibleMath.tanh(20.000001));
        assertEquals(-1.0, ReproducibleMath.tanh(-1e300));
        assertEquals(-1.0, ReproducibleMath.tanh(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(ReproducibleMath.tanh(Double.NaN)));
    }

    @Test
    void sigmoidIsSymmetricAndNeverOverflows() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int i = 0; i < 100_000; i++) {
            double x = (2 * rng.nextDouble() - 1) * 40;
            double s = ReproducibleMath.sigmoid(x);
            assertTrue(s >= 0 && s <= 1, "sigmoid(" + x + ") = " + s);
            assertEquals(1 - ReproducibleMath.sigmoid(-x), s, 2 * Math.ulp(1.0), "σ(x) = 1 − σ(−x) at " + x);
        }
        assertEquals(0.0, ReproducibleMath.sigmoid(-800));
        assertEquals(1.0, ReproducibleMath.sigmoid(800));
        assertEquals(0.5, ReproducibleMath.sigmoid(0));
        assertEquals(0.0, ReproducibleMath.sigmoid(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, ReproducibleMath.sigmoid(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(ReproducibleMath.sigmoid(Double.NaN)));
    }

    /** x, then the bits of tanh(x) and of sigmoid(x), computed once and required of every machine. */
    private static final Object[][] BITS = {
        {-20.0, 0xbff0000000000000L, 0x3e21b4865556b5d4L},
        {-3.75, 0xbfeff6f17a754772L, 0x3f978761313f225aL},
        {-1.0, 0xbfe85efab514f394L, 0x3fd136561454ba86L},
        {-0.625, 0xbfe1bf47eabb8f95L, 0x3fd65033af8acd79L},
        {-0.3, 0xbfd2a4dda7d914faL, 0x3fdb3c5574372aebL},
        {-1.0E-9, 0xbe112e0be826d695L, 0x3fdfffffffbb47d1L},
        {0.1, 0x3fb983d7795f413aL, 0x3fe0cca12729afb8L},
        {0.5, 0x3fdd9353d7568af3L, 0x3fe3eb2fd4d34391L},
        {0.625000001, 0x3fe1bf47eb1ab9ebL, 0x3fe4d7e62859cf58L},
        {0.7, 0x3fe356fb17af2e90L, 0x3fe561cb52a19476L},
        {1.3, 0x3feb933c726e9b3aL, 0x3fe9258f68070e5eL},
        {2.5, 0x3fef9258260a71c2L, 0x3fed9291ddb596f8L},
        {7.0, 0x3feffffc832750f2L, 0x3feff889631d483cL},
        {19.0, 0x3fefffffffffffffL, 0x3feffffffcfdf520L},
        {19.1, 0x3ff0000000000000L, 0x3feffffffd473c9cL},
    };

    @Test
    void theSameBitsOnEveryMachine() {
        for (Object[] row : BITS) {
            double x = (Double) row[0];
            assertEquals(Long.toHexString((Long) row[1]), Long.toHexString(Double.doubleToRawLongBits(ReproducibleMath.tanh(x))),
                    "tanh(" + x + ")");
            assertEquals(Long.toHexString((Long) row[2]), Long.toHexString(Double.doubleToRawLongBits(ReproducibleMath.sigmoid(x))),
                    "sigmoid(" + x + ")");
        }
    }
}
