package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.lang.reflect.Field;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The binary ops keep for backward only what their derivatives read (DESIGN: save the minimum):
 * add and sub nothing, mul both operands, div the divisor and the output — all through the one
 * {@link Broadcast} kernel.
 */
class BroadcastSavesMinimumTest {

    /** The matrices the op holds after a recorded forward: {a, b, z} (null when not kept). */
    private static Object[] saved(Broadcast op) throws ReflectiveOperationException {
        Object[] out = new Object[3];
        String[] names = {"a", "b", "z"};
        for (int i = 0; i < 3; i++) {
            Field f = Broadcast.class.getDeclaredField(names[i]);
            f.setAccessible(true);
            out[i] = f.get(op);
        }
        return out;
    }

    private static Object[] savedAfterForward(Supplier<Broadcast> make, Tensor a, Tensor b, Tensor[] result)
            throws ReflectiveOperationException {
        Broadcast op = make.get();
        result[0] = op.apply(a, b);
        return saved(op);
    }

    @Test
    void addAndSubKeepNoOperand() throws ReflectiveOperationException {
        Tensor a = Tensor.of(2, 2, 1, 2, 3, 4).requiresGrad(true);
        Tensor b = Tensor.row(5, 6).requiresGrad(true);
        Tensor[] z = new Tensor[1];
        for (Supplier<Broadcast> op : java.util.List.<Supplier<Broadcast>>of(Add::new, Sub::new)) {
            Object[] s = savedAfterForward(op, a, b, z);
            assertNull(s[0]);
            assertNull(s[1]);
            assertNull(s[2]);
        }
    }

    @Test
    void mulKeepsBothOperandsAndNotTheOutput() throws ReflectiveOperationException {
        Tensor a = Tensor.of(2, 2, 1, 2, 3, 4).requiresGrad(true);
        Tensor b = Tensor.row(5, 6).requiresGrad(true);
        Tensor[] z = new Tensor[1];
        Object[] s = savedAfterForward(Mul::new, a, b, z);
        assertSame(a.data(), s[0]);
        assertSame(b.data(), s[1]);
        assertNull(s[2]);
    }

    @Test
    void divKeepsTheDivisorAndTheOutputAndNotTheDividend() throws ReflectiveOperationException {
        Tensor a = Tensor.of(2, 2, 1, 2, 3, 4).requiresGrad(true);
        Tensor b = Tensor.row(5, 6).requiresGrad(true);
        Tensor[] z = new Tensor[1];
        Object[] s = savedAfterForward(Div::new, a, b, z);
        assertNull(s[0]);
        assertSame(b.data(), s[1]);
        assertSame(z[0].data(), s[2]);
    }

    /** A subclass that keeps only b: its partials see a and z as NaN, b as the saved value. */
    @Test
    void aValueTheOpDoesNotKeepReachesItsPartialsAsNaN() {
        final class ScaleByB extends Broadcast {
            double seenA = 0;
            double seenB = 0;
            double seenZ = 0;

            ScaleByB() {
                super(false, true, false);
            }

            @Override
            protected double apply(double a, double b) {
                return a * b;
            }

            @Override
            protected double partialA(double a, double b, double z) {
                seenA = a;
                seenB = b;
                seenZ = z;
                return b;
            }

            @Override
            protected double partialB(double a, double b, double z) {
                throw new AssertionError("b does not require grad: its partial must not be called");
            }

            @Override
            protected String symbol() {
                return "*";
            }
        }
        ScaleByB op = new ScaleByB();
        Tensor x = Tensor.row(2, 3).requiresGrad(true);
        Tensor y = op.apply(x, Tensor.scalar(7));
        assertEquals(14, y.get(0, 0));
        y.sum().backward();
        assertTrue(Double.isNaN(op.seenA));
        assertTrue(Double.isNaN(op.seenZ));
        assertEquals(7, op.seenB);
        assertNotNull(x.grad());
        assertEquals(7, x.grad().get(0, 1));
    }
}
