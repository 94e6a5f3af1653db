package dev.normgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The backward pass: one topological order of the ops behind the root, found iteratively (an RNN
 * unrolled over thousands of steps must not overflow the stack), walked in reverse; each op adds
 * its inputs' gradients into their buffers. Afterwards the graph is released unless retained.
 *
 * <p>Every tensor keeps its gradient, the intermediate ones too, and those gradients accumulate
 * over passes like a leaf's. What flows through an op in a pass is only that pass's gradient:
 * an intermediate tensor that already holds a gradient from an earlier pass (a retained graph, a
 * second loss) gets a fresh buffer for this pass, added into its kept gradient once complete.
 * Propagating the kept, accumulated gradient instead would count the earlier passes again in
 * every leaf below.
 *
 * <p>Unless the graph is retained, each op is released as soon as its backward has run (its
 * inputs' gradients are then in place, and no op walked after it reads it): from there on, the
 * intermediate tensors behind it, their values, gradients and what the op saved, are garbage
 * unless the program holds them. The heap a step keeps alive at any moment is then the forward's
 * saved values not yet walked, not the whole step's, and a collection during the backward copies
 * only that. A pass stopped by an exception has released the ops it walked: run the forward again.
 */
final class Backward {
    private static final AtomicInteger PASS = new AtomicInteger();

    private Backward() {
    }

    static void run(Tensor root, DMatrixRMaj seed, boolean retainGraph) {
        Function rootOp = root.creatorForBackward();
        if (rootOp == null && !root.requiresGrad()) {
            throw new IllegalStateException("backward: this tensor " + root.shape() + " does not require grad and has no graph; "
                    + "create the inputs with requiresGrad(true), and do not compute it inside NoGrad");
        }
        if (rootOp == null) {
            CommonOps_DDRM.addEquals(root.gradBuffer(), seed);   // a leaf: its gradient is the seed
            return;
        }
        List<Function> order = topologicalOrder(rootOp);
        // This pass's dL/d(output) of every op not yet walked is held in the op's pending field,
        // cleared once the op has run (a field, not a map: no hashing per op).
        CommonOps_DDRM.addEquals(passGradient(rootOp), seed);
        try {
            boolean anomaly = Anomaly.isEnabled();
            for (int k = order.size() - 1; k >= 0; k--) {
                Function op = order.get(k);
                DMatrixRMaj gradOutput = op.pending;
                op.pending = null;
                Tensor output = op.output();
                if (gradOutput != output.gradData()) {
                    CommonOps_DDRM.addEquals(output.gradBuffer(), gradOutput);   // keep it, accumulated
                }
                Tensor[] inputs = op.inputArray();
                DMatrixRMaj[] gradInputs = new DMatrixRMaj[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i].requiresGrad()) {
                        Function producer = inputs[i].creatorForBackward();
                        gradInputs[i] = producer == null ? inputs[i].gradBuffer() : passGradient(producer);
                    }
                }
                op.runBackward(gradOutput, gradInputs, null);
                if (anomaly) {
                    op.checkBackward(gradInputs);
                }
                if (!retainGraph) {
                    op.output().markReleased();   // see the class comment: what it kept can go now
                    op.release();
                }
            }
        } finally {
            for (Function op : order) {
                op.pending = null;   // a pass stopped by an exception leaves nothing for the next one
            }
        }
    }

    /**
     * The buffer collecting this pass's gradient of {@code op}'s output. When the output has no
     * gradient yet, that is its own gradient buffer (no copy); otherwise a fresh one.
     */
    private static DMatrixRMaj passGradient(Function op) {
        DMatrixRMaj g = op.pending;
        if (g == null) {
            Tensor out = op.output();
            g = out.gradData() == null ? out.gradBuffer() : new DMatrixRMaj(out.rows(), out.cols());
            op.pending = g;
        }
        return g;
    }

    /** Where this pass adds dL/d{@code x}: a leaf's own gradient, or its producer's pending buffer. */
    static DMatrixRMaj bufferOf(Tensor x) {
        Function producer = x.creator();
        return producer == null ? x.gradData() : producer.pending;
    }

    /** Ops reachable from {@code root}, every op after all the ops that produced its inputs. */
    private static List<Function> topologicalOrder(Function root) {
        List<Function> order = new ArrayList<>();
        if (root == null) {
            return order;
        }
        int mark = PASS.incrementAndGet();
        ArrayDeque<Function> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        root.mark = mark;
        stack.push(root);
        next.push(0);
        while (!stack.isEmpty()) {
            Function op = stack.peek();
            int i = next.pop();
            Tensor[] inputs = op.inputArray();
            if (i < inputs.length) {
                next.push(i + 1);
                Function child = inputs[i].creatorForBackward();
                if (child != null && child.mark != mark) {
                    child.mark = mark;
                    stack.push(child);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(op);
            }
        }
        return order;
    }
}
