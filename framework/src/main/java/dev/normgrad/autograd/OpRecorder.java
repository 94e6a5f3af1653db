package dev.normgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Records, while open, every op applied on this thread, in forward order, together with the module
 * whose forward applied it: what {@code GradCheck.locate} walks to check each op of a graph on its
 * own recorded inputs, and what names the module whose state changed when a forward is not
 * repeatable. While no recorder is open the engine pays one read of a static field per op.
 *
 * <pre>{@code
 * try (OpRecorder recorder = OpRecorder.start()) {
 *     Tensor y = model.apply(x);
 *     for (OpRecorder.Call call : recorder.calls()) System.out.println(call.function().name() + " in " + call.owner());
 * }
 * }</pre>
 *
 * A module marks the ops its forward applies by entering a scope ({@link #enter(Object)}), as
 * {@code Module.apply} does; ops outside every scope have no owner.
 */
public final class OpRecorder implements AutoCloseable {
    private static final ThreadLocal<OpRecorder> CURRENT = new ThreadLocal<>();
    /** Recorders open on any thread: while 0, neither ops nor modules look further. */
    private static volatile int open;
    private static final Scope NONE = () -> { };

    private final OpRecorder outer;
    private final List<Call> calls = new ArrayList<>();
    private final ArrayDeque<Object> owners = new ArrayDeque<>();
    private boolean closed;

    private OpRecorder(OpRecorder outer) {
        this.outer = outer;
    }

    /** Starts recording the ops applied on this thread; close to stop. */
    public static OpRecorder start() {
        OpRecorder r = new OpRecorder(CURRENT.get());
        CURRENT.set(r);
        synchronized (OpRecorder.class) {
            open++;
        }
        return r;
    }

    static boolean isActive() {
        return open > 0;
    }

    static void add(Function function, Tensor[] inputs, Tensor output, boolean inGraph) {
        OpRecorder r = CURRENT.get();
        if (r != null) {
            r.calls.add(new Call(function, r.owners.peek(), List.copyOf(Arrays.asList(inputs)), output, inGraph));
        }
    }

    /**
     * Marks the ops applied until the returned scope closes as {@code owner}'s (a module's forward);
     * scopes nest, the innermost wins. Returns a scope that does nothing when no recorder is open.
     */
    public static Scope enter(Object owner) {
        if (open == 0) {
            return NONE;
        }
        OpRecorder r = CURRENT.get();
        if (r == null) {
            return NONE;
        }
        r.owners.push(owner);
        return r.owners::pop;
    }

    /** Every op applied so far, in the order applied (forward order). */
    public List<Call> calls() {
        return Collections.unmodifiableList(calls);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CURRENT.set(outer);
            synchronized (OpRecorder.class) {
                open--;
            }
        }
    }

    /** An owner's scope, closed when its forward returns. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * One application of an op.
     *
     * @param function the op
     * @param owner    the innermost scope's owner when it was applied (a module), or null
     * @param inputs   the tensors it was applied to
     * @param output   the tensor it returned
     * @param inGraph  whether it was recorded in the graph (an input required grad, outside NoGrad)
     */
    public record Call(Function function, Object owner, List<Tensor> inputs, Tensor output, boolean inGraph) {
        /**
         * Runs the op's forward again on other input values (of the recorded shapes), recording
         * nothing; what it saves for backward is replaced by this run's. Inputs: not modified.
         */
        public DMatrixRMaj forwardAgain(DMatrixRMaj... values) {
            DMatrixRMaj out = function.forward(values);
            if (out == null) {
                throw new IllegalStateException(function.name() + ": forward returned null; it must return the output matrix");
            }
            return out;
        }

        /**
         * Runs the op's backward on what its last forward saved, adding into {@code gradInputs}
         * (null where no gradient is wanted), and refuses a malformed gradient as the engine does.
         * Only for an op recorded in the graph.
         */
        public void backwardAgain(DMatrixRMaj gradOutput, DMatrixRMaj[] gradInputs) {
            if (!inGraph || function.inputArray() == null) {
                throw new IllegalStateException(function.name() + ": not in a graph (or its graph was released); "
                        + "only a recorded op can run its backward again");
            }
            function.runBackward(gradOutput, gradInputs, gradInputs.clone());
        }
    }
}
