package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.gemm.NetlibGemm;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One GEMM of the workloads ({@link GemmShape}) per path. {@code raw} calls EJML's
 * {@code CommonOps_DDRM} directly (the baseline); the others go through {@link MatMulKernel#gemm}
 * with the kernel set to {@code auto} (what NormGrad picks in this JVM), {@code ejml},
 * {@code native} (netlib's JNI BLAS), {@code vector} (netlib's Vector API kernel: the fork needs
 * {@code --add-modules jdk.incubator.vector}) or {@code java} (netlib's plain loops: a fork
 * without that module), the netlib ones with crossover 0. {@link BenchMain} sets each fork's JVM
 * arguments to match its path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class GemmBench {
    @Param({"128x784x256-NN"})
    public String shape;

    @Param({"raw", "auto"})
    public String path;

    private GemmShape s;
    private DMatrixRMaj a;
    private DMatrixRMaj b;
    private DMatrixRMaj c;

    @Setup
    public void setUp() {
        s = GemmShape.parse(shape);
        Random rng = new Random(42);
        a = s.newA(rng);
        b = s.newB(rng);
        c = new DMatrixRMaj(s.m(), s.n());
        if (!path.equals("raw")) {
            MatMulKernel.use(kernel(path));
        }
    }

    /** The kernel a path names; fails when this JVM cannot load it. */
    static MatMulKernel.Gemm kernel(String path) {
        switch (path) {
            case "auto":
                return MatMulKernel.select("auto");
            case "ejml":
                return MatMulKernel.EJML;
            case "native":
                return NetlibGemm.nativeBlas(0).orElseThrow(
                        () -> new IllegalStateException("no native BLAS: apt install libopenblas0-pthread"));
            case "vector":
            case "java":
                NetlibGemm java = NetlibGemm.javaBlas(0);
                boolean vector = java.implementation() == NetlibGemm.Implementation.VECTOR;
                if (vector != path.equals("vector")) {
                    throw new IllegalStateException("path " + path + " asked for, but this JVM loads " + java.name());
                }
                return java;
            default:
                throw new IllegalArgumentException("GEMM path '" + path + "': raw, auto, ejml, native, vector or java");
        }
    }

    /**
     * The path the {@code auto} kernel takes at this shape: "ejml" below its crossover, else the
     * implementation it wraps ("native", "vector" or "java"). Where that is the fastest path, auto
     * runs the very call the fastest path's trial timed.
     */
    static String pathAutoRuns(GemmShape shape, MatMulKernel.Gemm auto) {
        if (!(auto instanceof NetlibGemm)) {
            return "ejml";
        }
        NetlibGemm netlib = (NetlibGemm) auto;
        if (netlib.sendsToEjml(shape.m(), shape.n(), shape.k())) {
            return "ejml";
        }
        return netlib.implementation().name().toLowerCase(Locale.ROOT);
    }

    @Benchmark
    public DMatrixRMaj gemm() {
        if (path.equals("raw")) {
            s.ejml(a, b, c);
        } else {
            MatMulKernel.gemm(s.transA(), a, s.transB(), b, c, false);
        }
        return c;
    }
}
