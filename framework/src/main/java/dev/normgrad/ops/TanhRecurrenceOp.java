package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The recurrence of the tanh RNN cell (Elman 1990; PyTorch's {@code RNNCell}) and its activation as
 * one op: given the input's part {@code P = x·W_ihᵀ + b_ih} (a {@link LinearOp}, which does not
 * depend on h),
 * <pre>
 *   h' = tanh(P + (h·W_hhᵀ + b_hh))
 *   dA = dh' ⊙ (1 − h'²)                          (A the sum inside tanh)
 *   dP += dA    dh += dA·W_hh    dW_hh += dAᵀ·h    db_hh += Σᵢ dAᵢ
 * </pre>
 * Shapes: P N×hidden, h N×hidden, W_hh hidden×hidden, b_hh 1×hidden, h' N×hidden. Apply as
 * {@code new TanhRecurrenceOp().apply(p, h, weightHh, biasHh)}.
 *
 * <p>The same values and gradients, bit for bit, as the composed
 * {@code p.add(linear(h, W_hh, b_hh)).tanh()} (tested, over unrolled steps): the affine map is
 * {@link LinearOp}'s and the sum is taken in the same order. What it saves, every step, is the
 * composed form's affine output, the sum and their gradients (N×hidden each) and the passes that
 * write them. Saves h, W_hh and h'.
 */
public final class TanhRecurrenceOp extends Function {
    private DMatrixRMaj h;
    private DMatrixRMaj weightHh;
    private DMatrixRMaj output;

    @Override
    public String name() {
        return "tanh_recurrence";
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        if (in.length != 4) {
            throw new IllegalArgumentException(name() + ": expected 4 inputs (p = x·W_ihᵀ + b_ih, h, weightHh, biasHh), got "
                    + in.length);
        }
        DMatrixRMaj p = in[0];
        h = in[1];
        weightHh = in[2];
        DMatrixRMaj biasHh = in[3];
        LinearOp.checkInput(name(), "hidden state", h, "weightHh", weightHh);
        if (weightHh.numRows != weightHh.numCols) {
            throw new ShapeException(name() + ": weightHh " + ShapeException.shape(weightHh.numRows, weightHh.numCols)
                    + " must be square, hidden x hidden");
        }
        LinearOp.checkBias(name(), "biasHh", biasHh, "weightHh", weightHh);
        if (p.numRows != h.numRows || p.numCols != weightHh.numRows) {
            throw new ShapeException(name() + ": input part " + ShapeException.shape(p.numRows, p.numCols) + " and hidden state "
                    + ShapeException.shape(h.numRows, h.numCols) + ": expected both batch x hidden, the same shape");
        }
        output = LinearOp.affine(h, weightHh, biasHh);
        double[] pd = p.data;
        double[] y = output.data;
        for (int i = 0; i < y.length; i++) {
            y[i] = ReproducibleMath.tanh(pd[i] + y[i]);
        }
        return output;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        DMatrixRMaj da = new DMatrixRMaj(dy.numRows, dy.numCols);
        double[] a = da.data;
        double[] y = output.data;
        double[] dp = grads[0] == null ? null : grads[0].data;
        for (int i = 0; i < a.length; i++) {
            a[i] += dy.data[i] * (1 - y[i] * y[i]);
            if (dp != null) {
                dp[i] += a[i];
            }
        }
        LinearOp.accumulateGradients(da, h, weightHh, grads[1], grads[2], grads[3]);
    }
}
