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

/** Workload W1 (one SGD step of the batch-normalized MLP, batch 128) through the engine ({@link W1Engine}) and written by hand ({@link W1Raw}), from the same weights. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class W1Bench {
    private W1Raw raw;
    private W1Engine engine;

    @Setup
    public void setUp() {
        raw = W1Raw.standard(7);
        engine = new W1Engine(W1Raw.standard(7));
    }

    @Benchmark
    public double engine() {
        return engine.step();
    }

    @Benchmark
    public double raw() {
        return raw.step();
    }
}
