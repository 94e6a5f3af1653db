package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.LayerNorm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Workload W3: a gradient check of {@code LayerNorm(8) → Linear(8, 8)} on a 4×8 input, of the
 * input and every parameter (120 entries), with the default settings (step 1e-6, atol 1e-5,
 * rtol 1e-3): {@code full} checks every entry, {@code fast} one random direction (as PyTorch's
 * {@code gradcheck(fast_mode=True)}). There is no hand-written side: the check is the workload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class W3Bench {
    private Sequential model;
    private Tensor x;
    private final GradCheck check = new GradCheck();

    @Setup
    public void setUp() {
        model = model();
        x = Tensor.randn(4, 8, new Random(2));
    }

    /** LayerNorm(8) → Linear(8, 8), weights from a fixed seed. */
    static Sequential model() {
        return new Sequential(new LayerNorm(8), new Linear(8, 8, true, new Random(3)));
    }

    @Benchmark
    public GradCheckReport full() {
        return check.full(model, x);
    }

    @Benchmark
    public GradCheckReport fast() {
        return check.fast(model, 1, x);
    }
}
