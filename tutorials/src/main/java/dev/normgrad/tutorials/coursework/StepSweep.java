package dev.normgrad.tutorials.coursework;

import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.autograd.Tensor;

/**
 * How the error of a central difference depends on its step h: the largest |analytic − numeric|
 * of a full {@link GradCheck} at each step. Two errors compete: truncation, about h²·|f‴|/6,
 * shrinking with h; and rounding, about ε·|f|/h (ε the precision of the arithmetic), growing as h
 * shrinks. In float64 (ε ≈ 1.1·10⁻¹⁶) the sum is smallest near h = 10⁻⁵, around 10⁻¹⁰; in float32
 * (ε ≈ 6·10⁻⁸) near h = 10⁻², and only around 10⁻⁵ — no step gets a float32 check below the
 * tolerances of a float64 one.
 */
public final class StepSweep {
    private StepSweep() {
    }

    /** Steps 10⁻¹, 10⁻², ..., 10^−count. */
    public static double[] decades(int count) {
        double[] steps = new double[count];
        for (int k = 0; k < count; k++) {
            steps[k] = Math.pow(10, -(k + 1));
        }
        return steps;
    }

    /**
     * The largest |analytic − numeric| over every entry of every input, at each step (kinks
     * excluded, as in the report).
     */
    public static double[] maxAbsError(GradCheck.Fn f, double[] steps, Tensor... inputs) {
        double[] errors = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            GradCheckReport report = new GradCheck(steps[k], GradCheck.DEFAULT_ATOL, GradCheck.DEFAULT_RTOL,
                    GradCheck.DEFAULT_SEED).full(f, inputs);
            for (GradCheckReport.TensorResult t : report.tensors()) {
                errors[k] = Math.max(errors[k], t.maxAbsError());
            }
        }
        return errors;
    }
}
