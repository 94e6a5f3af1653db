package dev.normgrad.tutorials.bench;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.Add;
import dev.normgrad.ops.Broadcast;
import dev.normgrad.ops.Elementwise;
import dev.normgrad.ops.Mul;
import dev.normgrad.ops.ReproducibleMath;
import dev.normgrad.ops.Relu;
import dev.normgrad.ops.Sigmoid;
import dev.normgrad.ops.Tanh;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * Whether an elementwise op's own copy of the loops pays (see the comment on the loops in
 * {@link Elementwise}): forward and backward of relu, tanh, sigmoid, add or mul on 128×256 values,
 * either the op itself ({@code own}: its final class repeats the loops, the JIT inlines its f and f')
 * or the same f and f' through the loops its base class shares with every other op ({@code shared}).
 * Before measuring, every variant runs all five ops many times: {@code shared} then sees its loops
 * called for several ops, as in a real program, and both measure on a heap already touched once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class ElementwiseBench {
    /** The ops with their own loops. */
    public static final List<String> OPS = List.of("relu", "tanh", "sigmoid", "add", "mul");

    @Param({"relu", "tanh", "sigmoid", "add", "mul"})
    public String op;

    /** own: the op's class; shared: the same math through its base class's loops. */
    @Param({"own", "shared"})
    public String loop;

    private Tensor a;
    private Tensor b;
    private Tensor seed;
    private Supplier<Function> make;

    @Setup
    public void setUp() {
        Random rng = new Random(5);
        a = Tensor.randn(128, 256, rng).requiresGrad(true);
        b = Tensor.randn(128, 256, rng).requiresGrad(true);
        seed = Tensor.randn(128, 256, rng);
        make = loop.equals("own") ? own(op) : shared(op);
        // Every op of the chosen kind first runs many times, so that the shared loops see several ops,
        // as in a training step; then the heap is touched once (HeapWarmUp) before the measurement.
        for (String other : OPS) {
            for (int k = 0; k < 200; k++) {
                run(loop.equals("own") ? own(other) : shared(other));
            }
        }
        HeapWarmUp.run(this::forwardBackward);
    }

    /** One forward and backward. */
    public Tensor forwardBackward() {
        return run(make);
    }

    @Benchmark
    public Tensor step() {
        return forwardBackward();
    }

    private Tensor run(Supplier<Function> op) {
        a.zeroGrad();
        b.zeroGrad();
        Function f = op.get();
        Tensor y = f instanceof Broadcast ? f.apply(a, b) : f.apply(a);
        y.backward(seed);
        return y;
    }

    private static Supplier<Function> own(String op) {
        switch (op) {
            case "relu": return Relu::new;
            case "tanh": return Tanh::new;
            case "sigmoid": return Sigmoid::new;
            case "add": return Add::new;
            case "mul": return Mul::new;
            default: throw new IllegalArgumentException("op " + op + ": one of " + OPS);
        }
    }

    private static Supplier<Function> shared(String op) {
        switch (op) {
            case "relu": return SharedRelu::new;
            case "tanh": return SharedTanh::new;
            case "sigmoid": return SharedSigmoid::new;
            case "add": return SharedAdd::new;
            case "mul": return SharedMul::new;
            default: throw new IllegalArgumentException("op " + op + ": one of " + OPS);
        }
    }

    // The same f and f' as the ops, without their copies of the loops.

    static final class SharedRelu extends Elementwise {
        SharedRelu() {
            super(Saves.OUTPUT);
        }

        @Override
        protected double apply(double x) {
            return Math.max(x, 0.0);
        }

        @Override
        protected double derivative(double x, double y) {
            long bits = Double.doubleToRawLongBits(y);
            return (bits | -bits) >>> 63;
        }
    }

    static final class SharedTanh extends Elementwise {
        SharedTanh() {
            super(Saves.OUTPUT);
        }

        @Override
        protected double apply(double x) {
            return ReproducibleMath.tanh(x);
        }

        @Override
        protected double derivative(double x, double y) {
            return 1 - y * y;
        }
    }

    static final class SharedSigmoid extends Elementwise {
        SharedSigmoid() {
            super(Saves.OUTPUT);
        }

        @Override
        protected double apply(double x) {
            return ReproducibleMath.sigmoid(x);
        }

        @Override
        protected double derivative(double x, double y) {
            return y * (1 - y);
        }
    }

    static final class SharedAdd extends Broadcast {
        SharedAdd() {
            super(false, false, false);
        }

        @Override
        protected double apply(double x, double y) {
            return x + y;
        }

        @Override
        protected double partialA(double x, double y, double z) {
            return 1;
        }

        @Override
        protected double partialB(double x, double y, double z) {
            return 1;
        }

        @Override
        protected String symbol() {
            return "+";
        }
    }

    static final class SharedMul extends Broadcast {
        SharedMul() {
            super(true, true, false);
        }

        @Override
        protected double apply(double x, double y) {
            return x * y;
        }

        @Override
        protected double partialA(double x, double y, double z) {
            return y;
        }

        @Override
        protected double partialB(double x, double y, double z) {
            return x;
        }

        @Override
        protected String symbol() {
            return "*";
        }
    }
}
