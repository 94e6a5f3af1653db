package dev.normgrad.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * Records, during one forward pass, which side of its kink every non-differentiable op (ReLU,
 * LeakyReLU, abs, ...) was on. A gradient check records the forwards at x + h and x − h: when
 * the two recordings differ, the finite difference straddles a kink and the entry is a kink, not a
 * failure. Ops report through {@link Function#recordKinks}.
 *
 * <pre>{@code
 * try (KinkRecorder plus = KinkRecorder.start()) { f(xPlus); }
 * try (KinkRecorder minus = KinkRecorder.start()) { f(xMinus); }
 * String op = plus.firstDifference(minus);   // null when no kink was crossed
 * }</pre>
 */
public final class KinkRecorder implements AutoCloseable {
    private static final ThreadLocal<KinkRecorder> CURRENT = new ThreadLocal<>();

    private final KinkRecorder outer;
    private final List<String> ops = new ArrayList<>();
    private final List<Long> signatures = new ArrayList<>();

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
        long h = 1125899906842597L;
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            double v = x.data[i];
            h = 31 * h + (v > kinkAt ? 1 : v < kinkAt ? 2 : 3);
        }
        ops.add(op);
        signatures.add(h);
    }

    /**
     * The name of the first op whose branches differ between this recording and {@code other},
     * or null when every op stayed on the same side of its kinks.
     */
    public String firstDifference(KinkRecorder other) {
        int n = Math.min(ops.size(), other.ops.size());
        for (int i = 0; i < n; i++) {
            if (!Objects.equals(signatures.get(i), other.signatures.get(i))) {
                return ops.get(i);
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
