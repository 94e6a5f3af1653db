package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.init.SplitMix64;
import org.ejml.data.DMatrixRMaj;

/**
 * Inverted dropout. In training, each entry is zeroed with probability p and the kept ones are
 * scaled by 1/(1 − p), so the expected output equals the input and evaluation needs no rescaling:
 * <pre>
 *   mᵢⱼ ~ Bernoulli(1 − p)        y = x ⊙ m / (1 − p)        dx = dy ⊙ m / (1 − p)
 * </pre>
 * In evaluation mode ({@link #eval()}) it is the identity. Shapes: any → same. N. Srivastava et al.,
 * "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 2014.
 *
 * <p>The masks come from the layer's own {@link SplitMix64} generator, seeded from the constructor's
 * seed (or, without one, from {@link Init#defaultRandom()}, so {@link Init#manualSeed(long)} makes a
 * whole model reproducible). Its state is part of {@link #saveState()}: a gradient check puts it back
 * before every perturbed forward and so sees the same mask each time.
 */
public class Dropout extends Module {
    private final double p;
    private final SplitMix64 random;

    /** Dropout with probability 0.5 (PyTorch's default). */
    public Dropout() {
        this(0.5);
    }

    /** Dropout with probability {@code p}, its generator seeded from {@link Init#defaultRandom()}. */
    public Dropout(double p) {
        this(p, Init.defaultRandom().nextLong());
    }

    /** Dropout with probability {@code p} and its own generator seeded with {@code seed}. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: the probability p must be in [0, 1], got " + p
                    + " (p is the fraction dropped, not kept)");
        }
        this.p = p;
        this.random = new SplitMix64(seed);
    }

    /** The probability of zeroing an entry. */
    public double p() {
        return p;
    }

    /**
     * The mask generator's state now: a {@code Dropout(p, generatorState())} draws exactly the masks
     * this layer would draw next (model files save it, so a loaded model continues the same masks).
     */
    public long generatorState() {
        return random.state();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        DMatrixRMaj mask = new DMatrixRMaj(input.rows(), input.cols());
        double scale = p == 1 ? 0.0 : 1.0 / (1.0 - p);
        for (int i = 0; i < mask.getNumElements(); i++) {
            mask.data[i] = random.nextDouble() < p ? 0.0 : scale;
        }
        return input.mul(Tensor.wrap(mask));
    }

    /** The generator's state: restoring it replays the same masks. */
    @Override
    protected State saveExtraState() {
        long saved = random.state();
        return () -> random.setState(saved);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
