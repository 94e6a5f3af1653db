package dev.normgrad.nn;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.ops.LinearOp;
import java.util.Random;

/**
 * A fully connected (dense, affine) layer:
 * <pre>
 *   y = x·Wᵀ + b                       (N×in)·(in×out) + (1×out) → N×out
 *   dX = dY·W    dW = dYᵀ·X    db = Σᵢ dYᵢ   (the sum over the batch)
 * </pre>
 * The weight W is stored out×in, as PyTorch stores it; the bias b is a 1×out row broadcast down the
 * batch. Parameters: {@code weight} (out×in) and {@code bias} (1×out, absent when {@code bias} is
 * false).
 *
 * <p>Initialisation is PyTorch's default: {@code kaiming_uniform(a = √5)}, which works out to
 * W, b ~ U(−1/√in, 1/√in), so a default layer has PyTorch's distribution. The constructors without a
 * {@link Random} draw from {@link Init#defaultRandom()}, the generator the library shares (PyTorch's
 * global one); call {@link Init#manualSeed(long)} first for weights that are the same on every run,
 * or pass your own seeded {@code Random}. {@link #resetParameters()} draws again from the same
 * generator.
 *
 * <pre>{@code
 * Linear fc = new Linear(64, 10);                 // Linear(inFeatures=64, outFeatures=10, bias=true)
 * Tensor logits = fc.apply(x);                    // x: N×64 → N×10
 * }</pre>
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private final Random random;

    /** A layer with a bias, initialised from {@link Init#defaultRandom()}. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** A layer with or without a bias, initialised from {@link Init#defaultRandom()}. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.defaultRandom());
    }

    /** A layer initialised from {@code random} (kept: {@link #resetParameters()} draws from it again). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Random random) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: inFeatures and outFeatures must be positive, got in="
                    + inFeatures + ", out=" + outFeatures);
        }
        if (random == null) {
            throw new IllegalArgumentException("Linear: the random generator is null; pass a seeded new Random(seed) "
                    + "or use the constructor without one (Init.defaultRandom())");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.random = random;
        this.weight = registerParameter("weight", new Parameter(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", new Parameter(1, outFeatures)) : null;
        resetParameters();
    }

    /** W ~ kaiming_uniform(a = √5) = U(−1/√in, 1/√in); b ~ U(−1/√in, 1/√in): PyTorch's default. */
    @Override
    public void resetParameters() {
        Init.uniformFanIn(weight, bias, random);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.cols() != inFeatures) {
            throw new ShapeException("Linear(in=" + inFeatures + ", out=" + outFeatures + "): input is " + input.shape()
                    + ", expected " + inFeatures + " features per row; check the previous layer's output size");
        }
        // One op: the bias is added inside the product (LinearOp), same values as matmulTransposeB(weight).add(bias).
        return bias == null ? new LinearOp().apply(input, weight) : new LinearOp().apply(input, weight, bias);
    }

    /** The weight, out×in. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, 1×out, or null for a layer built with {@code bias = false}. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "inFeatures=" + inFeatures + ", outFeatures=" + outFeatures + ", bias=" + (bias != null);
    }
}
