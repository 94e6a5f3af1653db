package dev.normgrad.norm;

import dev.normgrad.nn.Module;
import java.math.BigDecimal;

/**
 * What every normalization layer shares: the choice between the fused op and the composed form
 * of the one kernel ({@link Normalization}).
 *
 * <p>Layers are fused by default: one {@link NormalizeOp} with the closed-form backward, faster
 * and lighter on memory. {@code setFused(false)} switches a layer to the form composed from
 * engine ops, whose backward autograd derives — the one to read, to step through, and to
 * gradient-check a hand-written backward against. Both give the same numbers.
 */
public abstract class NormLayer extends Module {
    private boolean fused = true;

    /** True (the default) when the layer runs the fused op. */
    public boolean isFused() {
        return fused;
    }

    /** Fused op (true, the default) or the composed form (false); returns this. */
    public NormLayer setFused(boolean fused) {
        this.fused = fused;
        return this;
    }

    /** ", fused=false" for a composed layer, nothing for the default. */
    protected String fusedRepr() {
        return fused ? "" : ", fused=false";
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
