package dev.normgrad.io;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import java.util.Random;

/**
 * Small layers defined by the tests, so that model I/O is tested on every kind of state: parameters,
 * a buffer that a training forward changes, a layer without arguments, a layer wrapping another.
 */
final class TestLayers {
    private TestLayers() {
    }

    /** Centers with the batch mean in training (tracking it in a running buffer), with the running mean in eval; then x·w + b. */
    static final class Scale extends Module {
        final int features;
        final double momentum;
        final Parameter weight;
        final Parameter bias;
        final Tensor runningMean;

        Scale(int features, double momentum) {
            if (features <= 0) {
                throw new IllegalArgumentException("Scale: features must be positive, got " + features);
            }
            this.features = features;
            this.momentum = momentum;
            weight = registerParameter("weight", new Parameter(1, features));
            bias = registerParameter("bias", new Parameter(1, features));
            runningMean = registerBuffer("runningMean", Tensor.zeros(1, features));
            resetParameters();
        }

        @Override
        public void resetParameters() {
            weight.data().fill(1.0);
            bias.data().zero();
            runningMean.data().zero();
        }

        @Override
        public Tensor forward(Tensor x) {
            if (isTraining()) {
                Tensor mean = x.mean(0);
                try (NoGrad off = NoGrad.enter()) {
                    for (int j = 0; j < features; j++) {
                        double r = runningMean.data().get(0, j);
                        runningMean.data().set(0, j, (1 - momentum) * r + momentum * mean.get(0, j));
                    }
                }
                return x.sub(mean).mul(weight).add(bias);
            }
            return x.sub(runningMean).mul(weight).add(bias);
        }

        @Override
        protected String extraRepr() {
            return features + ", momentum=" + momentum;
        }

        static final LayerType<Scale> TYPE = new LayerType<>("Scale", Scale.class,
                (s, out) -> out.put("features", s.features).put("momentum", s.momentum),
                in -> new Scale(in.getInt("features"), in.getDouble("momentum")));
    }

    /** tanh, no arguments. */
    static final class Squash extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.tanh();
        }

        static final LayerType<Squash> TYPE = LayerType.withoutArguments("Squash", Squash.class, Squash::new);
    }

    /** factor · inner(x): a layer holding another layer, as weight normalization will. */
    static final class Wrapper extends Module {
        final Module inner;
        final double factor;

        Wrapper(Module inner, double factor) {
            this.inner = registerModule("inner", inner);
            this.factor = factor;
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.apply(x).mul(factor);
        }

        static final LayerType<Wrapper> TYPE = new LayerType<>("Wrapper", Wrapper.class,
                (w, out) -> out.putLayer("inner", w.inner).put("factor", w.factor),
                in -> new Wrapper(in.getLayer("inner"), in.getDouble("factor")));
    }

    /** A subclass of a registered layer: not registered itself, so it cannot be saved as a Scale. */
    static final class ScaleSubclass extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    static final LayerRegistry REGISTRY = LayerRegistry.standard().with(Scale.TYPE, Squash.TYPE, Wrapper.TYPE);

    /** Fills every parameter and buffer with values drawn from {@code random}, so a round trip is not trivial. */
    static <M extends Module> M randomize(M model, Random random) {
        for (Tensor t : model.namedParameters().values()) {
            fill(t, random);
        }
        for (Tensor t : model.namedBuffers().values()) {
            fill(t, random);
        }
        return model;
    }

    /** As {@link #randomize}, with every buffer positive (running variances must stay positive). */
    static <M extends Module> M randomizeWithPositiveBuffers(M model, Random random) {
        randomize(model, random);
        for (Tensor buffer : model.namedBuffers().values()) {
            for (int i = 0; i < buffer.rows() * buffer.cols(); i++) {
                buffer.data().data[i] = Math.abs(buffer.data().data[i]) + 0.5;
            }
        }
        return model;
    }

    private static void fill(Tensor t, Random random) {
        for (int i = 0; i < t.rows() * t.cols(); i++) {
            t.data().data[i] = random.nextGaussian();
        }
    }
}
