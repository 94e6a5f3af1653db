package dev.normgrad.init;

import java.util.Random;

/**
 * A small random generator whose whole state is one {@code long}, so it can be saved and put
 * back exactly: {@link #state()} and {@link #setState(long)}. {@link dev.normgrad.nn.Dropout}
 * draws its masks from one, which is what lets a gradient check replay the same mask for every
 * perturbed forward.
 *
 * <p>The algorithm is SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; the generator behind {@link java.util.SplittableRandom}): the state
 * advances by the golden-ratio constant and each output is a mix of the new state. Period 2⁶⁴.
 *
 * <p>It extends {@link Random}, so it can be passed wherever NormGrad takes a {@code Random}.
 * {@link #nextGaussian()} is overridden to keep no cached value (java.util.Random keeps the second
 * of each pair, state that {@link #state()} could not capture). Not thread-safe.
 */
public final class SplitMix64 extends Random {
    private static final long serialVersionUID = 1L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator starting from {@code seed}. */
    public SplitMix64(long seed) {
        super(0L);
        this.state = seed;
    }

    /** The whole state: pass it to {@link #setState(long)} to replay the numbers drawn after now. */
    public long state() {
        return state;
    }

    /** Puts back a state taken with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** Same as {@link #setState(long)}: the seed is the state. */
    @Override
    public void setSeed(long seed) {
        this.state = seed;
    }

    @Override
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    protected int next(int bits) {
        return (int) (nextLong() >>> (64 - bits));
    }

    /** Uniform in [0, 1), 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Marsaglia's polar method, the second value of each pair discarded: no hidden state). */
    @Override
    public double nextGaussian() {
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * StrictMath.log(s) / s);
    }
}
