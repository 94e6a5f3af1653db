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

/** Workload W4 (one SGD step of the small CNN with BatchNorm2d on 8×8 images, batch 64) through the engine ({@link W4Engine}) and written by hand ({@link W4Raw}), from the same weights. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class W4Bench {
    private W4Raw raw;
    private W4Engine engine;

    @Setup
    public void setUp() {
        raw = W4Raw.standard(7);
        engine = new W4Engine(W4Raw.standard(7));
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
