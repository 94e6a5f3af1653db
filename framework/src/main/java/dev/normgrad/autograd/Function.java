package dev.normgrad.autograd;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;

/**
 * One differentiable operation: its forward and its derivative side by side. Every op in
 * NormGrad is a {@code Function}, and so is any op you write yourself — "my LayerNorm backward"
 * is a subclass of this class, checked with {@code GradCheck}.
 *
 * <p>Write {@link #forward} to compute the output from the input matrices and keep, in fields of
 * your subclass, the minimum the backward needs. Write {@link #backward} to turn the gradient of
 * the loss with respect to the output, {@code dL/dY}, into the gradients with respect to the
 * inputs, <em>adding</em> them into the buffers you are given (gradients accumulate: an input used
 * twice receives the sum of both contributions). A {@code null} buffer means that input needs no
 * gradient; skip it. The engine checks the result: a buffer that no longer has its input's shape
 * ({@code setTo}, {@code reshape}) or was replaced by another matrix fails at your op, naming it.
 *
 * <pre>{@code
 * // y = x², elementwise:  dL/dx = dL/dy · 2x
 * final class Square extends Function {
 *     private DMatrixRMaj x;                                  // saved for backward
 *     protected DMatrixRMaj forward(DMatrixRMaj... in) {
 *         x = in[0];
 *         DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
 *         for (int i = 0; i < y.getNumElements(); i++) y.data[i] = x.data[i] * x.data[i];
 *         return y;
 *     }
 *     protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
 *         if (dx[0] == null) return;
 *         for (int i = 0; i < x.getNumElements(); i++) dx[0].data[i] += dy.data[i] * 2 * x.data[i];
 *     }
 * }
 * Tensor y = new Square().apply(x);
 * }</pre>
 *
 * <p>A {@code Function} object is applied once: it holds what that one call saved. Input matrices
 * must not be modified (they belong to the input tensors); the returned matrix becomes the output
 * tensor's value. Under {@link NoGrad} the same forward runs but nothing is recorded.
 */
public abstract class Function {
    private Tensor[] inputs;
    private Tensor output;
    private String createdAt;
    private boolean applied;
    int mark;
    /** This backward pass's dL/d(output), while the pass has not reached this op yet (see Backward). */
    DMatrixRMaj pending;

    /**
     * Computes the output. Inputs: not modified. Returns a new matrix (or one this op owns).
     * Throw {@link ShapeException} naming the op and the shapes when the inputs do not fit.
     */
    protected abstract DMatrixRMaj forward(DMatrixRMaj... inputs);

    /**
     * Adds {@code dL/dinput_i} into {@code gradInputs[i]} for every non-null buffer.
     *
     * @param gradOutput dL/dY, the shape of the output. Not modified.
     * @param gradInputs one buffer per input, the shape of that input, or null where no gradient is
     *                   needed. Modified: add into them, never overwrite.
     */
    protected abstract void backward(DMatrixRMaj gradOutput, DMatrixRMaj[] gradInputs);

    /** The op's name in messages and reports; by default the class name starting lower-case. */
    public String name() {
        return DEFAULT_NAMES.get(getClass());
    }

    /** The default name per class, computed once (the graph asks for it at every release). */
    private static final ClassValue<String> DEFAULT_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            return simple.isEmpty() ? "function" : Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
        }
    };

    /**
     * Runs the op on tensors: computes the forward and, unless inside {@link NoGrad} or no input
     * requires grad, records this call in the graph so that {@code backward()} reaches it.
     */
    public final Tensor apply(Tensor... in) {
        if (applied) {
            throw new IllegalStateException(name() + ": this Function object was already applied; "
                    + "create a new one for each call (it keeps what its forward saved for backward)");
        }
        applied = true;
        boolean record = false;
        DMatrixRMaj[] data = new DMatrixRMaj[in.length];
        for (int i = 0; i < in.length; i++) {
            if (in[i] == null) {
                throw new IllegalArgumentException(name() + ": input " + i + " is null");
            }
            data[i] = in[i].data();
            record |= in[i].requiresGrad();
        }
        record &= !NoGrad.isActive();
        boolean anomaly = Anomaly.isEnabled();
        if (anomaly) {
            createdAt = Anomaly.callerOutsideEngine();
        }
        DMatrixRMaj out = forward(data);
        if (out == null) {
            throw new IllegalStateException(name() + ": forward returned null; it must return the output matrix");
        }
        if (anomaly) {
            checkForward(data, out);
        }
        Tensor result;
        if (record) {
            inputs = in;
            output = new Tensor(out, this);
            result = output;
        } else {
            result = new Tensor(out, null);
        }
        if (OpRecorder.isActive()) {
            OpRecorder.add(this, in, result, record);
        }
        return result;
    }

    /**
     * Runs {@link #backward} and refuses a malformed result at this op: EJML's dimension error
     * inside it comes out naming the op, and every gradient buffer must afterwards still be the
     * matrix it was given, in its input's shape — a {@code setTo}, {@code reshape} or replaced
     * buffer would otherwise leave a mis-shaped {@code grad()} or silently drop the gradient. It
     * costs one shape comparison per buffer.
     *
     * @param given the buffers as given (a copy of the array), or null when the engine calls: it finds
     *              them again where it keeps them
     */
    final void runBackward(DMatrixRMaj gradOutput, DMatrixRMaj[] gradInputs, DMatrixRMaj[] given) {
        try {
            backward(gradOutput, gradInputs);
        } catch (MatrixDimensionException e) {
            StringBuilder shapes = new StringBuilder();
            for (int i = 0; i < inputs.length; i++) {
                shapes.append(i == 0 ? "" : ", ").append(inputs[i].shape());
            }
            throw new ShapeException(className() + ".backward: EJML refused the shapes (" + e.getMessage() + "); inputs "
                    + shapes + "; output gradient " + ShapeException.shape(gradOutput.numRows, gradOutput.numCols)
                    + "; each gradient buffer has its input's shape", e);
        }
        for (int i = 0; i < gradInputs.length; i++) {
            Tensor x = inputs[i];
            DMatrixRMaj buffer = given != null ? given[i] : x.requiresGrad() ? Backward.bufferOf(x) : null;
            DMatrixRMaj g = gradInputs[i];
            if (buffer == null) {
                continue;
            }
            if (g != null && (g.numRows != x.rows() || g.numCols != x.cols())) {
                String actual = ShapeException.shape(g.numRows, g.numCols);
                if (g == buffer) {
                    g.reshape(x.rows(), x.cols());   // the tensor's buffer gets its shape back: it stays usable
                }
                throw new ShapeException(className() + ".backward: the gradient of input " + i + " must keep that input's shape "
                        + x.shape() + ", but is " + actual + " after the backward; add into the buffer you are given "
                        + "(CommonOps_DDRM.addEquals, multAddTransA, ...), never setTo, reshape or replace it");
            }
            if (g != buffer) {
                throw new IllegalStateException(className() + ".backward: replaced the gradient buffer of input " + i
                        + " (gradInputs[" + i + "] = ...) instead of adding into it; the engine never sees a replaced buffer, "
                        + "so that gradient would be lost");
            }
        }
    }

    /** The op's class as messages name it: its simple name (the full name for an anonymous class). */
    final String className() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }

    /**
     * Tells a gradient check where this op is not differentiable: call it in {@code forward} with
     * the matrix whose entries must not cross {@code kinkAt} (ReLU: its input and 0). When a
     * perturbed forward lands on the other side of the kink than its mirror image, the check
     * reports the entry as a kink instead of a failure. Outside a gradient check it does nothing.
     */
    protected final void recordKinks(DMatrixRMaj x, double kinkAt) {
        KinkRecorder recorder = KinkRecorder.current();
        if (recorder != null) {
            recorder.record(name(), x, kinkAt);
        }
    }

    /**
     * The tensors this call was applied to, in argument order (a tensor used twice appears twice):
     * the edges of the graph, for walking or drawing it. Empty before the op ran and once
     * {@code backward()} has released the graph.
     */
    public final List<Tensor> inputs() {
        return inputs == null ? List.of() : Collections.unmodifiableList(Arrays.asList(inputs));
    }

    Tensor[] inputArray() {
        return inputs;
    }

    Tensor output() {
        return output;
    }

    /** Drops the references that keep the graph (and what the forward saved) alive. */
    void release() {
        inputs = null;
        output = null;
    }

    String describe() {
        StringBuilder s = new StringBuilder(name()).append('(');
        if (inputs != null) {
            for (int i = 0; i < inputs.length; i++) {
                s.append(i == 0 ? "" : ", ").append(inputs[i].shape());
            }
        }
        return s.append(')').toString();
    }

    private void checkForward(DMatrixRMaj[] in, DMatrixRMaj out) {
        int bad = firstNonFinite(out);
        if (bad < 0) {
            return;
        }
        StringBuilder shapes = new StringBuilder();
        boolean inputsBad = false;
        for (int i = 0; i < in.length; i++) {
            shapes.append(i == 0 ? "" : ", ").append(ShapeException.shape(in[i].numRows, in[i].numCols));
            inputsBad |= firstNonFinite(in[i]) >= 0;
        }
        throw new AnomalyException(name() + " produced " + kind(out.data[bad]) + " in its forward at "
                + index(out, bad) + " of its " + ShapeException.shape(out.numRows, out.numCols)
                + " output; inputs " + shapes
                + (inputsBad ? " (an input was already non-finite)" : " (all inputs finite)")
                + "; created at " + createdAt);
    }

    void checkBackward(DMatrixRMaj[] gradInputs) {
        for (int i = 0; i < gradInputs.length; i++) {
            if (gradInputs[i] == null) {
                continue;
            }
            int bad = firstNonFinite(gradInputs[i]);
            if (bad >= 0) {
                throw new AnomalyException(name() + " produced " + kind(gradInputs[i].data[bad])
                        + " in its backward, in the gradient of input " + i + " "
                        + ShapeException.shape(gradInputs[i].numRows, gradInputs[i].numCols) + " at "
                        + index(gradInputs[i], bad) + "; created at "
                        + (createdAt == null ? "<turn anomaly mode on before the forward to see where>" : createdAt));
            }
        }
    }

    private static int firstNonFinite(DMatrixRMaj m) {
        int n = m.getNumElements();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(m.data[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String kind(double v) {
        return Double.isNaN(v) ? "NaN" : (v > 0 ? "+Infinity" : "-Infinity");
    }

    private static String index(DMatrixRMaj m, int flat) {
        return "[" + flat / m.numCols + ", " + flat % m.numCols + "]";
    }
}
