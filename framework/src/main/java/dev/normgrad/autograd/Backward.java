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
        List<Function> order = topologicalOrder(rootOp);
        CommonOps_DDRM.addEquals(root.gradBuffer(), seed);
        boolean anomaly = Anomaly.isEnabled();
        for (int k = order.size() - 1; k >= 0; k--) {
            Function op = order.get(k);
            DMatrixRMaj gradOutput = op.output().gradData();
            if (gradOutput == null) {
                continue;
            }
            Tensor[] inputs = op.inputs();
            DMatrixRMaj[] gradInputs = new DMatrixRMaj[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].requiresGrad()) {
                    gradInputs[i] = inputs[i].gradBuffer();
                }
            }
            op.backward(gradOutput, gradInputs);
            if (anomaly) {
                op.checkBackward(gradInputs);
            }
        }
        if (!retainGraph) {
            for (Function op : order) {
                op.output().markReleased();
                op.release();
            }
        }
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
            Tensor[] inputs = op.inputs();
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
