package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import java.math.BigDecimal;

/**
 * What every normalization layer holds: eps, the learnable scale γ ({@code weight}) and shift β
 * ({@code bias}), and the choice between the fused op and the composed form. Every layer computes
 * <pre>
 *   y = x̂ ⊙ γ + β          x̂ = (x − μ) / sqrt(σ² + eps), μ and σ² over the layer's statistics set
 * </pre>
 * with γ and β 1×A rows, A the layer's channels (BatchNorm, InstanceNorm, GroupNorm) or normalized
 * features (LayerNorm, RMSNorm); RMSNorm has no β. The layers that also keep running statistics
 * extend {@link RunningStatsNormalization}.
 *
 * <p>Layers are fused by default: one {@link NormalizeOp} with the closed-form backward, faster
 * and lighter on memory. {@code setFused(false)} switches a layer to the form composed from engine
 * ops, whose backward autograd derives — the one to read, to step through, and to gradient-check a
 * hand-written backward against. Both give the same numbers.
 *
 * <p>At initialisation (and after {@link #resetParameters()}): γ = 1, β = 0.
 */
public abstract class NormalizationLayer extends Module {
    private final String who;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;
    private boolean fused = true;

    /**
     * @param arguments  the layer's size as its name shows it: {@code "16"} makes {@code BatchNorm1d(16)} in
     *                   every message
     * @param affineSize A, the entries of γ and β
     * @param eps        added to the variance inside the square root; at least 0
     * @param weight     learn γ
     * @param bias       learn β
     */
    protected NormalizationLayer(String arguments, int affineSize, double eps, boolean weight, boolean bias) {
        this.who = getClass().getSimpleName() + "(" + arguments + ")";
        if (affineSize < 1) {
            throw new IllegalArgumentException(who + ": needs at least 1 channel or feature to normalize, got " + affineSize);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(who + ": eps must be >= 0, got " + eps);
        }
        this.eps = eps;
        this.weight = weight ? registerParameter("weight", new Parameter(1, affineSize)) : null;
        this.bias = bias ? registerParameter("bias", new Parameter(1, affineSize)) : null;
        resetAffine();
    }

    /** γ = 1, β = 0. */
    @Override
    public void resetParameters() {
        resetAffine();
    }

    private void resetAffine() {
        if (weight != null) {
            weight.data().fill(1.0);
        }
        if (bias != null) {
            bias.data().zero();
        }
    }

    /** γ (1×A), or null when the layer learns no scale. */
    public Parameter weight() {
        return weight;
    }

    /** β (1×A), or null when the layer learns no shift. */
    public Parameter bias() {
        return bias;
    }

    /** Added to the variance inside the square root. */
    public double eps() {
        return eps;
    }

    /** True when the layer learns γ (and, except RMSNorm, β). */
    public boolean affine() {
        return weight != null;
    }

    /** The layer as messages name it: {@code BatchNorm1d(16)}, {@code GroupNorm(2, 6)}. */
    protected String who() {
        return who;
    }

    /** True (the default) when the layer runs the fused op. */
    public boolean isFused() {
        return fused;
    }

    /** Fused op (true, the default) or the composed form (false); returns this. */
    public NormalizationLayer setFused(boolean fused) {
        this.fused = fused;
        return this;
    }

    /** ", fused=false" for a composed layer, nothing for the default. */
    protected String fusedRepr() {
        return fused ? "" : ", fused=false";
    }

    /**
     * The one guard of every layer that normalizes with statistics of the input it is given
     * (BatchNorm in training, InstanceNorm, recurrent BatchNorm): a statistic over a single value has
     * variance 0, x̂ = 0, and nothing is learned — PyTorch's "Expected more than 1 value per channel
     * when training". Called before anything changes (no batch counted, no running statistic moved).
     *
     * @param who                the layer (and where), as the message names it
     * @param input              the input, shown by its shape
     * @param valuesPerStatistic the entries each mean and variance would be computed over
     * @param training           whether the layer is in training mode (false: evaluation without running statistics)
     * @param advice             what to do instead, ending the message
     * @throws IllegalArgumentException when {@code valuesPerStatistic} is 1
     */
    protected static void requireMoreThanOneValue(String who, Tensor input, int valuesPerStatistic, boolean training,
            String advice) {
        if (valuesPerStatistic <= 1) {
            throw new IllegalArgumentException(who + ": expected more than 1 value per channel" + (training ? " when training" : "")
                    + ", got input " + input.shape() + "; " + advice);
        }
    }

    /**
     * The one check of a running-statistics momentum: in [0, 1], PyTorch's convention (the weight of
     * the new batch); a message that meets Keras's convention (the weight of the old value) says so.
     */
    protected static void checkMomentum(String who, Double momentum) {
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(who + ": momentum must be in [0, 1], got " + momentum
                    + "; it is the weight of the batch statistic (PyTorch's convention, default 0.1); "
                    + "Keras's momentum m is 1 − m here");
        }
    }

    /** A double as Python prints it, so that {@code toString()} reads like PyTorch's: 1e-05, 0.1, 3.0. */
    protected static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
        }
        if (v == 0) {
            return "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = b.unscaledValue().toString();
        int exponent = digits.length() - 1 - b.scale();
        String sign = v < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = b.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
