package dev.normgrad.gemm;

import java.util.Locale;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one place every matrix product in NormGrad goes through, so that its kernel can be swapped
 * (a native BLAS, a vectorised loop) without touching any op.
 *
 * <h2>Which kernel runs</h2>
 * Chosen on first use from the system property {@code normgrad.gemm}
 * ({@code -Dnormgrad.gemm=auto|ejml|netlib}, default {@code auto}); {@link #current()}{@code .name()}
 * and {@link #describe()} say which one it is.
 * <ul>
 *   <li>{@code auto}: {@link NetlibGemm} when netlib finds a fast implementation — an optimised
 *       native BLAS by JNI (OpenBLAS: {@code apt install libopenblas0-pthread} on Debian/Ubuntu),
 *       else its Vector API kernel (run the JVM with {@code --add-modules jdk.incubator.vector}) —
 *       with products under the measured crossover sent to EJML; otherwise EJML for everything.
 *       Netlib's reference BLAS and its plain-Java loops are not faster than EJML, so auto skips them.</li>
 *   <li>{@code ejml}: EJML's single-threaded {@link CommonOps_DDRM} products ({@link #EJML}).</li>
 *   <li>{@code netlib}: netlib for every product, whatever its size: the best implementation it
 *       has (optimised native, else Vector, else plain Java).</li>
 * </ul>
 * {@code normgrad.gemm.crossover} (flops, m·n·k) overrides auto's crossover.
 * Every kernel gives EJML's result to rounding (tested to 1e-12 relative), so a machine without a
 * native BLAS gets the same numbers, only slower.
 */
public final class MatMulKernel {
    /** A GEMM: {@code c = op(a)·op(b)} or {@code c += op(a)·op(b)}, op = identity or transpose. */
    public interface Gemm {
        void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate);

        /** A short name shown by benchmarks and reports, e.g. "ejml". */
        String name();
    }

    /** EJML's products. */
    public static final Gemm EJML = new Gemm() {
        @Override
        public void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
            if (accumulate) {
                if (transA && transB) {
                    CommonOps_DDRM.multAddTransAB(a, b, c);
                } else if (transA) {
                    CommonOps_DDRM.multAddTransA(a, b, c);
                } else if (transB) {
                    CommonOps_DDRM.multAddTransB(a, b, c);
                } else {
                    CommonOps_DDRM.multAdd(a, b, c);
                }
            } else if (transA && transB) {
                CommonOps_DDRM.multTransAB(a, b, c);
            } else if (transA) {
                CommonOps_DDRM.multTransA(a, b, c);
            } else if (transB) {
                CommonOps_DDRM.multTransB(a, b, c);
            } else {
                CommonOps_DDRM.mult(a, b, c);
            }
        }

        @Override
        public String name() {
            return "ejml";
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** The system property that picks the kernel: auto, ejml or netlib. */
    public static final String PROPERTY = "normgrad.gemm";

    /** The system property that overrides auto's crossover, in flops (m·n·k). */
    public static final String CROSSOVER_PROPERTY = "normgrad.gemm.crossover";

    /**
     * Auto's crossover for a native optimised BLAS: products of fewer flops (m·n·k) go to EJML, which
     * wins on the smallest products, where a call into the library costs more than the arithmetic.
     * {@code GemmCrossover} (tutorials) measures where the two meet on a machine; override with
     * {@value #CROSSOVER_PROPERTY}.
     */
    public static final long NATIVE_CROSSOVER = 1000;

    /**
     * Auto's crossover for netlib's Vector API kernel, found the same way ({@code GemmCrossover}).
     */
    public static final long VECTOR_CROSSOVER = 1000;

    /** A kernel and why it was chosen. */
    private record Choice(Gemm kernel, String reason) {
    }

    private static volatile Choice current;

    private MatMulKernel() {
    }

    /** {@code c = op(a)·op(b)} ({@code accumulate} false) or {@code c += op(a)·op(b)}. c: modified; a, b: not. */
    public static void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
        choice().kernel.gemm(transA, a, transB, b, c, accumulate);
    }

    /** The kernel in use; chosen from {@value #PROPERTY} on first call. */
    public static Gemm current() {
        return choice().kernel;
    }

    /** A sentence saying which kernel runs and why, and how to get a faster one when there is. */
    public static String describe() {
        Choice c = choice();
        return c.kernel + ": " + c.reason;
    }

    /**
     * The kernel a mode names: "auto", "ejml" or "netlib" (see the class comment). Does not change
     * the kernel in use (that is {@link #use}).
     *
     * @throws IllegalArgumentException for any other mode
     */
    public static Gemm select(String mode) {
        return choose(mode).kernel;
    }

    /** Replaces the kernel for every later product. */
    public static void use(Gemm kernel) {
        if (kernel == null) {
            throw new IllegalArgumentException("MatMulKernel.use: the kernel is null");
        }
        current = new Choice(kernel, "set by MatMulKernel.use");
    }

    private static Choice choice() {
        Choice c = current;
        if (c == null) {
            synchronized (MatMulKernel.class) {
                if (current == null) {
                    current = choose(System.getProperty(PROPERTY, "auto"));
                }
                c = current;
            }
        }
        return c;
    }

    private static Choice choose(String mode) {
        switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "ejml":
                return new Choice(EJML, PROPERTY + "=ejml");
            case "netlib":
                return netlib();
            case "auto":
            case "":
                return auto();
            default:
                throw new IllegalArgumentException("MatMulKernel: -D" + PROPERTY + "=" + mode
                        + " is not a kernel; use auto (the default), ejml or netlib");
        }
    }

    private static Choice auto() {
        Optional<NetlibGemm> nat = NetlibGemm.nativeBlas(crossover(NATIVE_CROSSOVER));
        if (nat.isPresent() && nat.get().isFast()) {
            return new Choice(nat.get(), "auto: native " + nat.get().library() + " BLAS found by JNI");
        }
        NetlibGemm java = NetlibGemm.javaBlas(crossover(VECTOR_CROSSOVER));
        String noNative = nat.isPresent()
                ? "the native BLAS is " + nat.get().library() + ", slower than EJML"
                : "no native BLAS (Debian/Ubuntu: apt install libopenblas0-pthread)";
        if (java.isFast()) {
            return new Choice(java, "auto: " + noNative + "; the Vector API is on");
        }
        return new Choice(EJML, "auto: " + noNative
                + ", and the Vector API is off (run java with --add-modules jdk.incubator.vector)");
    }

    private static Choice netlib() {
        Optional<NetlibGemm> nat = NetlibGemm.nativeBlas(0);
        if (nat.isPresent() && nat.get().isFast()) {
            return new Choice(nat.get(), PROPERTY + "=netlib: native " + nat.get().library() + " BLAS");
        }
        NetlibGemm java = NetlibGemm.javaBlas(0);
        return new Choice(java, PROPERTY + "=netlib: " + (java.isFast() ? "the Vector API kernel" : "plain Java loops")
                + (nat.isPresent() ? ", faster than the native " + nat.get().library() + " BLAS" : ""));
    }

    private static long crossover(long measured) {
        String value = System.getProperty(CROSSOVER_PROPERTY);
        if (value == null || value.isBlank()) {
            return measured;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MatMulKernel: -D" + CROSSOVER_PROPERTY + "=" + value
                    + " is not a number of flops (m·n·k), e.g. 32768", e);
        }
    }
}
