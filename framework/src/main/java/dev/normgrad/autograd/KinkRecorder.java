package dev.normgrad.autograd;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Records, during one forward pass, which side of its kink every entry of every non-differentiable
 * op (ReLU, LeakyReLU, abs, ...) was on: above, below, or exactly on it. A gradient check compares
 * the recordings of two forwards: when some entry lies strictly above the kink in one and strictly
 * below in the other, the straight line between the two points crosses a kink and a difference
 * quotient over it measures no derivative. An entry exactly on the kink belongs to both sides (the
 * function is continuous there). Ops report through {@link Function#recordKinks}.
 *
 * <pre>{@code
 * try (KinkRecorder plus = KinkRecorder.start()) { f(xPlus); }
 * try (KinkRecorder minus = KinkRecorder.start()) { f(xMinus); }
 * String op = plus.firstCrossing(minus);   // null when no kink lies between the two points
 * }</pre>
 */
public final class KinkRecorder implements AutoCloseable {
    private static final ThreadLocal<KinkRecorder> CURRENT = new ThreadLocal<>();

    private final KinkRecorder outer;
    private final List<String> ops = new ArrayList<>();
    private final List<byte[]> sides = new ArrayList<>();

    private KinkRecorder(KinkRecorder outer) {
        this.outer = outer;
    }

    /** Starts recording on this thread; close to stop. */
    public static KinkRecorder start() {
        KinkRecorder r = new KinkRecorder(CURRENT.get());
        CURRENT.set(r);
        return r;
    }

    static KinkRecorder current() {
        return CURRENT.get();
    }

    void record(String op, DMatrixRMaj x, double kinkAt) {
        int n = x.getNumElements();
        byte[] side = new byte[n];
        for (int i = 0; i < n; i++) {
            double v = x.data[i];
            side[i] = (byte) (v > kinkAt ? 1 : v < kinkAt ? -1 : 0);
        }
        ops.add(op);
        sides.add(side);
    }

    /**
     * The name of the first op with an entry strictly on opposite sides of its kink in this
     * recording and in {@code other} (or whose recordings differ in number or size: the forward took
     * another path), or null when no kink lies between the two forwards.
     */
    public String firstCrossing(KinkRecorder other) {
        int n = Math.min(ops.size(), other.ops.size());
        for (int i = 0; i < n; i++) {
            byte[] a = sides.get(i);
            byte[] b = other.sides.get(i);
            if (!ops.get(i).equals(other.ops.get(i)) || a.length != b.length) {
                return ops.get(i);
            }
            for (int k = 0; k < a.length; k++) {
                if (a[k] * b[k] < 0) {
                    return ops.get(i);
                }
            }
        }
        if (ops.size() != other.ops.size()) {
            return ops.size() > n ? ops.get(n) : other.ops.get(n);
        }
        return null;
    }

    @Override
    public void close() {
        CURRENT.set(outer);
    }
}
