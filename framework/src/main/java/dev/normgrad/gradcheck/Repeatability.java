package dev.normgrad.gradcheck;

import dev.normgrad.autograd.KinkRecorder;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.OpRecorder;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * When two forwards at the same point disagreed: finds the first op whose output changes between
 * two more forwards from the same saved state, and the module that created it.
 */
final class Repeatability {
    private Repeatability() {
    }

    static GradCheckReport.NotRepeatable whatChanged(Checkable model, Tensor[] inputs, Checkable.State state, double first,
            double second) {
        Owners owners = new Owners(model);
        String head = "the forward is not repeatable: state changed during the check (two forwards at the same point gave L = "
                + GradCheckReport.num(first) + " and " + GradCheckReport.num(second) + ").";
        String hint = model.namedModules().isEmpty()
                ? " Put every piece of state the forward changes back in saveState(), then check again."
                : " Register such state as a buffer (registerBuffer), or put it back in saveExtraState(), then check again.";
        List<OpRecorder.Call> a = forward(model, inputs, state);
        List<OpRecorder.Call> b = forward(model, inputs, state);
        Set<Tensor> made = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            OpRecorder.Call ca = a.get(i);
            OpRecorder.Call cb = b.get(i);
            String where = owners.label(ca.owner());
            String op = ca.function().name();
            if (ca.function().getClass() != cb.function().getClass()) {
                return new GradCheckReport.NotRepeatable(head + " From the same saved state, the second of two forwards applied "
                        + cb.function().name() + " where the first applied " + op + ", in " + where + "." + hint, op, where);
            }
            if (!same(ca.output().data(), cb.output().data())) {
                String why = "with the same inputs: the op itself draws random numbers or reads state that changed";
                for (int j = 0; j < Math.min(ca.inputs().size(), cb.inputs().size()); j++) {
                    Tensor x = ca.inputs().get(j);
                    if (!same(x.data(), cb.inputs().get(j).data())) {
                        why = made.contains(x) ? "its input " + j + " changed"
                                : "its input " + j + " " + x.shape() + ", a tensor made outside any op, changed between them "
                                        + "(state kept in a plain field?)";
                        break;
                    }
                }
                return new GradCheckReport.NotRepeatable(head + " From the same saved state, the first op whose output differs "
                        + "between two forwards is " + op + " in " + where + ": " + why + "." + hint, op, where);
            }
            made.add(ca.output());
        }
        if (a.size() != b.size()) {
            return new GradCheckReport.NotRepeatable(head + " From the same saved state, one forward applied " + a.size()
                    + " ops and the next " + b.size() + "." + hint, null, null);
        }
        return new GradCheckReport.NotRepeatable(head + " Two more forwards from the same saved state agreed: the state "
                + "changes on some forwards only." + hint, null, null);
    }

    /** Every op a NoGrad forward from the saved state applies. */
    private static List<OpRecorder.Call> forward(Checkable model, Tensor[] inputs, Checkable.State state) {
        state.restore();
        try (NoGrad off = NoGrad.enter(); OpRecorder recorder = OpRecorder.start();
                OpRecorder.Scope scope = OpRecorder.enter(model); KinkRecorder kinks = KinkRecorder.start()) {
            model.apply(inputs);
            return new ArrayList<>(recorder.calls());
        }
    }

    /** The same shape and values, to rounding. */
    static boolean same(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            return false;
        }
        for (int k = 0; k < a.getNumElements(); k++) {
            if (Double.compare(a.data[k], b.data[k]) != 0 && !(Math.abs(a.data[k] - b.data[k]) <= 1e-12 * (1 + Math.abs(a.data[k])))) {
                return false;
            }
        }
        return true;
    }
}
