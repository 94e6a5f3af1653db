package dev.normgrad.tutorials.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Workload W2 (forward and backward of the layer-normalized tanh RNN, 50 steps, batch 32) through the engine ({@link W2Engine}) and written by hand ({@link W2Raw}), from the same weights. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class W2Bench {
    private W2Raw raw;
    private W2Engine engine;

    @Setup
    public void setUp() {
        raw = W2Raw.standard(7);
        engine = new W2Engine(W2Raw.standard(7));
    }

    @Benchmark
    public double engine() {
        return engine.lossAndGradients();
    }

    @Benchmark
    public double raw() {
        return raw.lossAndGradients();
    }
}
