package dev.normgrad.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GEMM path equals EJML's product to 1e-12 relative (to the largest entry), over shapes from
 * 1×1 to tall, wide and odd, all four transpose forms, with and without accumulation, on matrices
 * whose backing arrays are larger than their shape. The paths are those this JVM can load: netlib's
 * Java implementation always (plain loops here; the Vector API one in the second surefire run,
 * which adds {@code --add-modules jdk.incubator.vector}), the native BLAS when the machine has one,
 * and the kernels auto and netlib pick.
 */
class NetlibGemmTest {
    /** m×k×n: op(A) is m×k, op(B) is k×n. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 5, 1}, {1, 1, 7}, {6, 1, 1}, {5, 1, 3}, {2, 3, 4}, {7, 13, 5},
        {200, 3, 2}, {3, 200, 2}, {2, 3, 200}, {33, 17, 65}, {64, 64, 64}, {128, 100, 40}, {40, 130, 9},
    };

    /** A value no GEMM writes: cells of the backing array past the matrix keep it. */
    private static final double SENTINEL = 12345.678;

    private static List<MatMulKernel.Gemm> kernels() {
        List<MatMulKernel.Gemm> kernels = new ArrayList<>();
        kernels.add(NetlibGemm.javaBlas(0));
        NetlibGemm.nativeBlas(0).ifPresent(kernels::add);
        kernels.add(NetlibGemm.javaBlas(500));   // small products to EJML, large to BLAS, in one kernel
        kernels.add(MatMulKernel.select("auto"));
        kernels.add(MatMulKernel.select("netlib"));
        return kernels;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (MatMulKernel.Gemm kernel : kernels()) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        cases.add(Arguments.of(kernel, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, accumulate));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** A random r×c matrix on an array longer than r·c, the extra cells holding the sentinel. */
    private static DMatrixRMaj oversized(int r, int c, Random rng) {
        DMatrixRMaj x = new DMatrixRMaj(r + 3, c + 2);
        x.reshape(r, c);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = i < r * c ? rng.nextGaussian() : SENTINEL;
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3} transA={4} transB={5} accumulate={6}")
    @MethodSource("cases")
    void equalsEjmlToRounding(MatMulKernel.Gemm kernel, int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        Random rng = new Random(31L * m + 17L * k + n + (transA ? 1 : 0) + (transB ? 2 : 0));
        DMatrixRMaj a = oversized(transA ? k : m, transA ? m : k, rng);
        DMatrixRMaj b = oversized(transB ? n : k, transB ? k : n, rng);
        DMatrixRMaj c;
        if (accumulate) {
            c = oversized(m, n, rng);
        } else {
            c = new DMatrixRMaj(m + 4, n + 1);   // a stale, larger shape full of NaN: must be reshaped and ignored
            Arrays.fill(c.data, Double.NaN);
        }
        DMatrixRMaj expected = c.copy();
        double[] aBefore = a.data.clone();
        double[] bBefore = b.data.clone();
        MatMulKernel.EJML.gemm(transA, a, transB, b, expected, accumulate);

        kernel.gemm(transA, a, transB, b, c, accumulate);

        assertEquals(m, c.numRows, "rows of c");
        assertEquals(n, c.numCols, "columns of c");
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < m * n; i++) {
            scale = Math.max(scale, Math.abs(expected.data[i]));
            worst = Math.max(worst, Math.abs(c.data[i] - expected.data[i]));
            assertFalse(Double.isNaN(c.data[i]), "NaN at " + i);
        }
        assertTrue(worst <= 1e-12 * scale, kernel.name() + ": max |netlib - ejml| = " + worst + ", largest entry " + scale);
        if (accumulate) {
            for (int i = m * n; i < c.data.length; i++) {
                assertEquals(SENTINEL, c.data[i], "c.data[" + i + "] lies past the " + m + "x" + n + " matrix and was written");
            }
        }
        assertTrue(Arrays.equals(aBefore, a.data) && Arrays.equals(bBefore, b.data), "a and b are not modified");
    }

    @Test
    void emptyInnerDimensionGivesZerosOrLeavesTheSumAlone() {
        NetlibGemm blas = NetlibGemm.javaBlas(0);
        DMatrixRMaj a = new DMatrixRMaj(3, 0);
        DMatrixRMaj b = new DMatrixRMaj(0, 4);
        DMatrixRMaj c = new DMatrixRMaj(3, 4);
        Arrays.fill(c.data, 2.0);
        blas.gemm(false, a, false, b, c, true);
        assertEquals(2.0, c.get(2, 3));
        blas.gemm(false, a, false, b, c, false);
        assertEquals(0.0, c.get(2, 3));
    }

    @Test
    void mismatchedInnerDimensionsAreRefused() {
        NetlibGemm blas = NetlibGemm.javaBlas(0);
        DMatrixRMaj a = new DMatrixRMaj(4, 3);
        DMatrixRMaj b = new DMatrixRMaj(4, 2);
        MatrixDimensionException e = assertThrows(MatrixDimensionException.class,
                () -> blas.gemm(false, a, false, b, new DMatrixRMaj(4, 2), false));
        assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("4x2"), e.getMessage());
        blas.gemm(true, a, false, b, new DMatrixRMaj(3, 2), false);   // aᵀ·b is fine
    }

    @Test
    void accumulatingIntoTheWrongShapeIsRefused() {
        NetlibGemm blas = NetlibGemm.javaBlas(0);
        MatrixDimensionException e = assertThrows(MatrixDimensionException.class,
                () -> blas.gemm(false, new DMatrixRMaj(4, 3), false, new DMatrixRMaj(3, 2), new DMatrixRMaj(2, 4), true));
        assertTrue(e.getMessage().contains("2x4") && e.getMessage().contains("4x2"), e.getMessage());
    }

    @Test
    void outputAliasingAnInputIsRefused() {
        NetlibGemm blas = NetlibGemm.javaBlas(0);
        DMatrixRMaj a = new DMatrixRMaj(3, 3);
        assertThrows(IllegalArgumentException.class, () -> blas.gemm(false, a, false, new DMatrixRMaj(3, 3), a, false));
    }

    @Test
    void javaImplementationIsTheVectorApiExactlyWhenTheIncubatorModuleIsLoaded() {
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        NetlibGemm java = NetlibGemm.javaBlas(0);
        assertEquals(vectorModule ? "netlib:VectorBLAS" : "netlib:Java11BLAS", java.name());
        assertEquals(vectorModule, java.isFast());
    }

    @Test
    void autoPicksOptimisedNativeThenVectorThenEjml() {
        Optional<NetlibGemm> nat = NetlibGemm.nativeBlas(0);
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String expected = nat.isPresent() && nat.get().isFast() ? nat.get().name()
                : vectorModule ? "netlib:VectorBLAS" : "ejml";
        MatMulKernel.Gemm auto = MatMulKernel.select("auto");
        assertEquals(expected, auto.name());
        if (auto instanceof NetlibGemm) {
            NetlibGemm netlib = (NetlibGemm) auto;
            assertEquals(netlib.implementation() == NetlibGemm.Implementation.NATIVE
                    ? MatMulKernel.NATIVE_CROSSOVER : MatMulKernel.VECTOR_CROSSOVER, netlib.crossover());
        }
    }

    @Test
    void netlibModeNeverFallsBackToEjmlAndSendsEveryProductToBlas() {
        MatMulKernel.Gemm netlib = MatMulKernel.select("netlib");
        assertTrue(netlib.name().startsWith("netlib:"), netlib.name());
        assertEquals(0, ((NetlibGemm) netlib).crossover());
        assertEquals("ejml", MatMulKernel.select("ejml").name());
    }

    @Test
    void unknownModeIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatMulKernel.select("openblas"));
        assertTrue(e.getMessage().contains("normgrad.gemm=openblas") && e.getMessage().contains("auto")
                && e.getMessage().contains("ejml") && e.getMessage().contains("netlib"), e.getMessage());
    }

    @Test
    void describeNamesTheKernelInUseAndWhy() {
        MatMulKernel.Gemm before = MatMulKernel.current();
        try {
            MatMulKernel.use(NetlibGemm.javaBlas(0));
            assertTrue(MatMulKernel.describe().startsWith(MatMulKernel.current().name()), MatMulKernel.describe());
            assertTrue(MatMulKernel.describe().contains("MatMulKernel.use"), MatMulKernel.describe());
        } finally {
            MatMulKernel.use(before);
        }
    }

    @Test
    void nativeLibraryIsNamedFromItsPath() {
        assertEquals("openblas", NetlibGemm.classify(List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")));
        assertEquals("openblas", NetlibGemm.classify(List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
                "/usr/lib/x86_64-linux-gnu/libopenblasp-r0.3.21.so")));
        assertEquals("reference", NetlibGemm.classify(List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")));
        assertEquals("blis", NetlibGemm.classify(List.of("/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3")));
        assertEquals("mkl", NetlibGemm.classify(List.of("/opt/intel/lib/libmkl_rt.so.2")));
        assertEquals("libfancyblas.so", NetlibGemm.classify(List.of("/opt/libfancyblas.so")));
        assertEquals("unknown", NetlibGemm.classify(List.of()));
    }

    @Test
    void withCrossoverKeepsTheImplementationAndRefusesNegatives() {
        NetlibGemm blas = NetlibGemm.javaBlas(0).withCrossover(4096);
        assertEquals(4096, blas.crossover());
        assertEquals(NetlibGemm.javaBlas(0).name(), blas.name());
        assertTrue(blas.toString().contains("4096"), blas.toString());
        assertThrows(IllegalArgumentException.class, () -> blas.withCrossover(-1));
    }

    @Test
    void engineMatmulForwardAndBackwardMatchEjmlThroughNetlib() {
        MatMulKernel.Gemm before = MatMulKernel.current();
        Random rng = new Random(5);
        Tensor x = Tensor.randn(9, 6, rng);
        Tensor w = Tensor.randn(4, 6, rng);
        double[][] results = new double[2][];
        try {
            int run = 0;
            for (MatMulKernel.Gemm kernel : List.of(MatMulKernel.EJML, (MatMulKernel.Gemm) NetlibGemm.javaBlas(0))) {
                MatMulKernel.use(kernel);
                Tensor xi = x.copy().requiresGrad(true);
                Tensor wi = w.copy().requiresGrad(true);
                Tensor y = xi.matmulTransposeB(wi).tanh();
                y.sum().backward();
                List<Double> all = new ArrayList<>();
                for (DMatrixRMaj d : List.of(y.data(), xi.gradData(), wi.gradData())) {
                    for (int i = 0; i < d.getNumElements(); i++) {
                        all.add(d.data[i]);
                    }
                }
                results[run++] = all.stream().mapToDouble(Double::doubleValue).toArray();
            }
        } finally {
            MatMulKernel.use(before);
        }
        for (int i = 0; i < results[0].length; i++) {
            assertEquals(results[0][i], results[1][i], 1e-12 * Math.max(1, Math.abs(results[0][i])), "entry " + i);
        }
    }
}
