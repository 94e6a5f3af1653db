package dev.normgrad.gemm;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;

/**
 * A {@link MatMulKernel.Gemm} through {@code dev.ludovic.netlib:blas} (the BLAS layer Apache Spark
 * uses), working on the EJML matrices' backing arrays with no copy.
 *
 * <p>EJML stores row-major; BLAS reads column-major. The array of a row-major r×s matrix X, read
 * column-major with leading dimension s, is Xᵀ. So {@code C = op(A)·op(B)} is computed as the
 * column-major product {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: B's array goes first, A's second, each with
 * BLAS flag {@code "N"} when its op is the identity (the array already reads as op(X)ᵀ) and
 * {@code "T"} when its op is the transpose; M = columns of C, N = rows of C, K the inner dimension,
 * and every leading dimension the row stride {@code numCols} (never {@code data.length}: EJML's
 * {@code reshape} never shrinks the array).
 *
 * <p>Products of fewer than {@link #crossover()} flops (m·n·k) go to EJML's
 * {@link MatMulKernel#EJML} instead: below that size the call overhead of BLAS costs more than its
 * faster inner loop saves. Results equal EJML's to rounding (tested to 1e-12 relative), whichever
 * implementation netlib loaded:
 * <ul>
 *   <li>{@code JNIBLAS}: the system's {@code libblas.so.3} by JNI (Linux). On Debian/Ubuntu
 *       {@code apt install libopenblas0-pthread} points it at OpenBLAS; {@link #library()} tells
 *       which library answered ("openblas", "mkl", "blis", "atlas", or "reference" for the slow
 *       Netlib reference BLAS);</li>
 *   <li>{@code VectorBLAS}: pure Java with the incubating Vector API, when the JVM runs with
 *       {@code --add-modules jdk.incubator.vector};</li>
 *   <li>{@code Java11BLAS}: plain Java loops, about as fast as EJML.</li>
 * </ul>
 * Modifies c only; a and b are not modified.
 */
public final class NetlibGemm implements MatMulKernel.Gemm {
    /** Which kind of implementation netlib loaded. */
    public enum Implementation {
        /** The system's BLAS by JNI. */
        NATIVE,
        /** Java with the Vector API (jdk.incubator.vector). */
        VECTOR,
        /** Plain Java loops. */
        JAVA
    }

    /** Native libraries worth calling: everything but the reference BLAS (slower than the Vector path). */
    private static final List<String> OPTIMISED = List.of("openblas", "mkl", "blis", "atlas");

    private final BLAS blas;
    private final Implementation implementation;
    private final String library;
    private final long crossover;

    private NetlibGemm(BLAS blas, Implementation implementation, String library, long crossover) {
        if (crossover < 0) {
            throw new IllegalArgumentException("NetlibGemm: crossover must be >= 0 flops, got " + crossover);
        }
        this.blas = blas;
        this.implementation = implementation;
        this.library = library;
        this.crossover = crossover;
    }

    /**
     * The system BLAS by JNI, if netlib could load one ({@code libblas.so.3}, or the library named by
     * the system property {@code dev.ludovic.netlib.blas.nativeLibPath}).
     *
     * @param crossover products of fewer flops (m·n·k) go to EJML; 0 sends every product to BLAS
     */
    public static Optional<NetlibGemm> nativeBlas(long crossover) {
        NativeBLAS blas = quietly(() -> {
            try {
                return NativeBLAS.getInstance();
            } catch (RuntimeException | LinkageError notInstalled) {
                return null;
            }
        });
        return blas == null ? Optional.empty()
                : Optional.of(new NetlibGemm(blas, Implementation.NATIVE, loadedLibrary(), crossover));
    }

    /**
     * netlib's Java implementation: the Vector API one when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, plain Java loops otherwise.
     *
     * @param crossover products of fewer flops (m·n·k) go to EJML; 0 sends every product to BLAS
     */
    public static NetlibGemm javaBlas(long crossover) {
        JavaBLAS blas = quietly(JavaBLAS::getInstance);
        boolean vector = blas.getClass().getSimpleName().startsWith("Vector");
        return new NetlibGemm(blas, vector ? Implementation.VECTOR : Implementation.JAVA, "", crossover);
    }

    /** The same implementation with another crossover. */
    public NetlibGemm withCrossover(long flops) {
        return new NetlibGemm(blas, implementation, library, flops);
    }

    /** NATIVE, VECTOR or JAVA. */
    public Implementation implementation() {
        return implementation;
    }

    /**
     * For the native implementation, the library that answered: "openblas", "mkl", "blis", "atlas",
     * "reference" (Netlib's reference BLAS), or its file name; "" for the Java implementations.
     */
    public String library() {
        return library;
    }

    /** True for a native optimised BLAS or the Vector API path: the paths that beat EJML on large products ({@code ./normgrad bench gemm}). */
    public boolean isFast() {
        return implementation == Implementation.VECTOR
                || implementation == Implementation.NATIVE && OPTIMISED.contains(library);
    }

    /** Products of fewer flops (m·n·k) than this go to EJML. */
    public long crossover() {
        return crossover;
    }

    /** Whether an m×k by k×n product goes to EJML: fewer flops (m·n·k) than the crossover. */
    public boolean sendsToEjml(int m, int n, int k) {
        return (long) m * n * k < crossover;
    }

    /** "netlib:JNIBLAS(openblas)", "netlib:VectorBLAS" or "netlib:Java11BLAS". */
    @Override
    public String name() {
        String impl = blas.getClass().getSimpleName();
        return "netlib:" + impl + (library.isEmpty() ? "" : "(" + library + ")");
    }

    @Override
    public String toString() {
        return name() + (crossover > 0 ? " (products under " + crossover + " flops: ejml)" : "");
    }

    @Override
    public void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
        int m = transA ? a.numCols : a.numRows;
        int k = transA ? a.numRows : a.numCols;
        int kb = transB ? b.numCols : b.numRows;
        int n = transB ? b.numRows : b.numCols;
        if (sendsToEjml(m, n, k)) {
            MatMulKernel.EJML.gemm(transA, a, transB, b, c, accumulate);
            return;
        }
        if (k != kb) {
            throw new MatrixDimensionException("gemm: inner dimensions differ: op(a) is " + m + "x" + k
                    + ", op(b) is " + kb + "x" + n);
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: the output c must not be one of the inputs");
        }
        if (accumulate) {
            if (c.numRows != m || c.numCols != n) {
                throw new MatrixDimensionException("gemm: accumulating into a " + c.numRows + "x" + c.numCols
                        + " matrix, but the product is " + m + "x" + n);
            }
        } else {
            c.reshape(m, n);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c.data, 0, m * n, 0.0);
            }
            return;
        }
        // Column-major Cᵀ (n×m) = op(B)ᵀ (n×k) · op(A)ᵀ (k×m); each array read column-major is its matrix transposed.
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
                1.0, b.data, b.numCols, a.data, a.numCols,
                accumulate ? 1.0 : 0.0, c.data, n);
    }

    /** Runs netlib's first loading with its own warnings off: we report the choice ourselves (MatMulKernel.describe()). */
    private static <T> T quietly(Supplier<T> load) {
        Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level previous = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            return load.get();
        } finally {
            log.setLevel(previous);
        }
    }

    /**
     * Which BLAS the dynamic linker mapped for JNIBLAS, read from /proc/self/maps (Linux, where netlib
     * ships its JNI glue): the symlink libblas.so.3 resolves through update-alternatives to e.g.
     * /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3.
     */
    static String loadedLibrary() {
        TreeSet<String> paths = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String path = line.substring(slash);
                String file = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                if (file.contains("blas") && file.contains(".so") && !file.contains("netlibblasjni")
                        || file.startsWith("libmkl")) {
                    paths.add(path.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException | RuntimeException noProcFs) {
            return "unknown";
        }
        return classify(paths);
    }

    /** "openblas", "mkl", "blis", "atlas", "reference", the file name, or "unknown". */
    static String classify(Iterable<String> blasPaths) {
        String other = null;
        for (String path : blasPaths) {
            for (String name : OPTIMISED) {
                if (path.contains(name)) {
                    return name;
                }
            }
            if (path.contains("/blas/libblas.so")) {
                other = "reference";
            } else if (other == null) {
                other = path.substring(path.lastIndexOf('/') + 1);
            }
        }
        return other == null ? "unknown" : other;
    }
}
