package dev.normgrad.gradcheck;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.KinkRecorder;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.OpRecorder;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * {@link GradCheck#opByOp}: records the graph of one forward, then checks each op of it on its
 * own recorded inputs, through {@link OpRecorder.Call#forwardAgain} and
 * {@link OpRecorder.Call#backwardAgain}.
 */
final class OpByOp {
    private OpByOp() {
    }

    static GraphCheckReport run(GradCheck check, Checkable model, Tensor[] given, int directions) {
        if (model == null) {
            throw new IllegalArgumentException("GradCheck.locate: the model is null");
        }
        Tensor[] inputs = new Tensor[given.length];
        for (int i = 0; i < given.length; i++) {
            if (given[i] == null) {
                throw new IllegalArgumentException("GradCheck.locate: input " + i + " is null");
            }
            inputs[i] = given[i].copy().requiresGrad(true);
        }
        Owners owners = new Owners(model);
        Map<Tensor, String> parameterNames = new IdentityHashMap<>();
        model.namedParameters().forEach((name, p) -> parameterNames.put(p, name));
        Checkable.State state = model.saveState();
        try {
            List<OpRecorder.Call> calls;
            Tensor out;
            try (OpRecorder recorder = OpRecorder.start(); OpRecorder.Scope scope = OpRecorder.enter(model)) {
                out = model.apply(inputs);
                calls = new ArrayList<>(recorder.calls());
            }
            state.restore();
            if (out == null || out.creator() == null) {
                throw new IllegalStateException("GradCheck.locate: the output " + (out == null ? "is null" : out.shape()
                        + " has no graph: it depends on none of the checked tensors (or was computed under NoGrad)"));
            }
            Set<Function> reachable = reachable(out);
            List<GraphCheckReport.Node> nodes = new ArrayList<>();
            for (OpRecorder.Call call : calls) {
                if (call.inGraph() && reachable.contains(call.function())) {
                    nodes.add(node(check, nodes.size() + 1, call, owners, parameterNames, directions));
                    state.restore();
                }
            }
            return new GraphCheckReport(directions == 0 ? "full" : "fast", check.step(), check.atol(), check.rtol(), check.seed(), nodes);
        } finally {
            state.restore();
        }
    }

    /** The ops between the checked tensors and the output. */
    private static Set<Function> reachable(Tensor out) {
        Set<Function> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Function> todo = new ArrayDeque<>();
        todo.push(out.creator());
        seen.add(out.creator());
        while (!todo.isEmpty()) {
            for (Tensor x : todo.pop().inputs()) {
                Function f = x.creator();
                if (f != null && seen.add(f)) {
                    todo.push(f);
                }
            }
        }
        return seen;
    }

    private static GraphCheckReport.Node node(GradCheck check, int index, OpRecorder.Call call, Owners owners,
            Map<Tensor, String> parameterNames, int directions) {
        List<Tensor> in = call.inputs();
        List<String> shapes = new ArrayList<>();
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            shapes.add(in.get(i).shape());
            if (in.get(i).requiresGrad()) {
                checked.add(i);
            }
        }
        Function f = call.function();
        String opClass = f.getClass().getSimpleName().isEmpty() ? f.getClass().getName() : f.getClass().getSimpleName();
        String module = owners.label(call.owner());
        String path = owners.path(call.owner());
        String notRerunnable = rerun(call);
        if (notRerunnable != null) {
            return new GraphCheckReport.Node(index, f.name(), opClass, module, path, shapes, checked,
                    GraphCheckReport.Status.NOT_CHECKED, notRerunnable, null);
        }
        Tensor[] checkedInputs = new Tensor[checked.size()];
        for (int c = 0; c < checked.size(); c++) {
            int i = checked.get(c);
            String parameter = parameterNames.get(in.get(i));
            checkedInputs[c] = Tensor.wrap(in.get(i).data().copy()).name("input " + i + (parameter == null ? "" : " (" + parameter + ")"));
        }
        Checkable alone = new Checkable() {
            @Override
            public Tensor apply(Tensor... x) {
                Tensor[] all = new Tensor[in.size()];
                for (int i = 0, c = 0; i < all.length; i++) {
                    all[i] = c < checked.size() && checked.get(c) == i ? x[c++] : Tensor.wrap(in.get(i).data().copy());
                }
                return new Replay(call).apply(all);
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return Map.of();
            }
        };
        try {
            GradCheckReport report = check.run(alone, checkedInputs, directions);
            GraphCheckReport.Status status = report.passed() ? GraphCheckReport.Status.PASSED
                    : report.repeatable() ? GraphCheckReport.Status.FAILED : GraphCheckReport.Status.NOT_CHECKED;
            String reason = report.repeatable() ? null : "run again on the same inputs its forward gives another output "
                    + "(it draws random numbers or reads state that changes): check it on its own, holding that state fixed";
            return new GraphCheckReport.Node(index, f.name(), opClass, module, path, shapes, checked, status, reason, report);
        } catch (BackwardFailed e) {
            RuntimeException cause = (RuntimeException) e.getCause();
            return new GraphCheckReport.Node(index, f.name(), opClass, module, path, shapes, checked, GraphCheckReport.Status.FAILED,
                    "its backward threw " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), null);
        } catch (RuntimeException e) {
            return new GraphCheckReport.Node(index, f.name(), opClass, module, path, shapes, checked,
                    GraphCheckReport.Status.NOT_CHECKED, "its forward failed when run again near its inputs: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    /** Null when the op's forward gives its recorded output again on its recorded inputs; otherwise why not. */
    private static String rerun(OpRecorder.Call call) {
        DMatrixRMaj[] values = new DMatrixRMaj[call.inputs().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = call.inputs().get(i).data().copy();
        }
        DMatrixRMaj again;
        try (NoGrad off = NoGrad.enter(); KinkRecorder kinks = KinkRecorder.start()) {
            again = call.forwardAgain(values);
        } catch (RuntimeException e) {
            return "its forward cannot run again on its own recorded inputs (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")";
        }
        if (!Repeatability.same(again, call.output().data())) {
            return "run again on the inputs it was given, its forward gives another output (it draws random numbers, or "
                    + "reads state that has changed since): check it on its own, holding that state fixed";
        }
        return null;
    }

    /** An op run again through its recorded call: the same forward and backward, on new values. */
    private static final class Replay extends Function {
        private final OpRecorder.Call call;

        Replay(OpRecorder.Call call) {
            this.call = call;
        }

        @Override
        public String name() {
            return call.function().name();
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            return call.forwardAgain(in);
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            try {
                call.backwardAgain(dy, dx);
            } catch (RuntimeException e) {
                throw new BackwardFailed(e);
            }
        }
    }

    /** The op's own backward threw: the op is wrong, not merely uncheckable. */
    private static final class BackwardFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BackwardFailed(RuntimeException cause) {
            super(cause);
        }
    }
}
