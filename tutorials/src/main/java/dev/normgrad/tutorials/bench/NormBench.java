package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.NormalizationLayer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * A normalization layer fused (one op with the closed-form backward, the default) against the same
 * layer composed from primitive ops ({@code setFused(false)}, autograd derives the backward):
 * forward and backward of {@code BatchNorm1d(256)} (training) or {@code LayerNorm(256)} on W1's
 * 128×256 activations, the gradient seeded with a fixed random tensor. Parameters are reset to zero
 * gradient each call, as a training step would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class NormBench {
    /** The layer: BatchNorm1d or LayerNorm. */
    @Param({"BatchNorm1d", "LayerNorm"})
    public String layer;

    /** true: the fused op; false: the composed form. */
    @Param({"true", "false"})
    public boolean fused;

    private NormalizationLayer norm;
    private Tensor x;
    private Tensor seed;

    @Setup
    public void setUp() {
        prepare();
        HeapWarmUp.run(this::forwardBackward);
    }

    /** The layer, input and seed, without the heap's warm-up. */
    void prepare() {
        Random rng = new Random(4);
        norm = layer.equals("BatchNorm1d") ? new BatchNorm1d(256) : new LayerNorm(256);
        norm.setFused(fused);
        x = Tensor.randn(128, 256, rng).requiresGrad(true);
        seed = Tensor.randn(128, 256, rng);
    }

    /** One forward and backward through the layer. */
    public Tensor forwardBackward() {
        norm.zeroGrad();
        x.zeroGrad();
        Tensor y = norm.apply(x);
        y.backward(seed);
        return y;
    }

    @Benchmark
    public Tensor step() {
        return forwardBackward();
    }
}
