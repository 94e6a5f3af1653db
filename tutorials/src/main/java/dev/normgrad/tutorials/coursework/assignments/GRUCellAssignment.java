package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * One GRU step's backward, in PyTorch's gate layout (r, z, n; b_hn inside the reset product): the
 * gradients of the six inputs of {@code GRUCellOp} (resources {@code assignments/gru-cell/}). Hidden cases:
 * odd sizes with I ≠ H; the first step (h = 0); a batch of two.
 */
public final class GRUCellAssignment extends Assignment {

    public GRUCellAssignment() {
        super("gru-cell", "GRU cell backward, one step", "GRUCellOp",
                "the gradients of x, h, W_ih, W_hh, b_ih, b_hh for one step of a GRU (PyTorch's gate layout)", 0x475255);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "batch 3, input 4, hidden 5", 3, 4, 5, random, false, true),
                    make("public 2", "batch 2, input 3, hidden 2", 2, 3, 2, random, false, false));
        }
        int n = Draw.odd(5, 7, random);
        int in = Draw.odd(3, 5, random);
        int h = in + 1;
        return List.of(make("hidden 1", "batch " + n + ", input " + in + ", hidden " + h, n, in, h, random, false, false),
                make("hidden 2", "the first step: h = 0", n, h + 2, in, random, true, false),
                make("hidden 3", "a batch of two", 2, in, 3, random, false, true));
    }

    private static Case make(String name, String description, int n, int in, int h, Random random, boolean zeroState, boolean gradCheck) {
        double scale = 1 / Math.sqrt(h);
        DMatrixRMaj state = zeroState ? new DMatrixRMaj(n, h) : Draw.normal(n, h, 0.8, 0, random);
        return new Case(name, description, List.of(),
                List.of(input("x", Draw.normal(n, in, 1, 0, random)), input("h", state),
                        input("W_ih", Draw.uniform(3 * h, in, -2 * scale, 2 * scale, random)),
                        input("W_hh", Draw.uniform(3 * h, h, -2 * scale, 2 * scale, random)),
                        input("b_ih", Draw.uniform(1, 3 * h, -scale, scale, random)),
                        input("b_hh", Draw.uniform(1, 3 * h, -scale, scale, random))),
                Draw.normal(n, h, 1, 0, random), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        int h = c.input("h").numCols;
        List<Block> gates = List.of(new Block("the r gate", 0, h), new Block("the z gate", h, 2 * h), new Block("the n gate", 2 * h, 3 * h));
        return switch (input) {
            case "x" -> TensorSpec.plain("x", 1, false);
            case "h" -> TensorSpec.plain("h", 2, false);
            case "W_ih", "W_hh" -> new TensorSpec(input, 1, true, gates, List.of());
            case "b_ih", "b_hh" -> new TensorSpec(input, 1, true, List.of(), gates);
            default -> throw new IllegalArgumentException("gru-cell has no input " + input);
        };
    }

    @Override
    public List<Size> sizes(Case c) {
        return List.of(new Size("N", c.input("x").numRows, "the batch size"), new Size("H", c.input("h").numCols, "the hidden size"),
                new Size("I", c.input("x").numCols, "the input size"));
    }

    @Override
    public List<KnownMistake> knownMistakes() {
        return List.of(new KnownMistake("h", "your dL/dh leaves out the direct path: h' = (1 − z)·n + z·h, so dL/dh gets z·dL/dh' "
                + "besides what flows back through the gates", (c, ref) -> withoutDirectPath(c, ref)));
    }

    /** The reference dL/dh minus z ⊙ dL/dh'. */
    private static DMatrixRMaj withoutDirectPath(Case c, Reference ref) {
        DMatrixRMaj dh = ref.run(c).gradients().get(1).copy();
        DMatrixRMaj z = updateGate(c);
        for (int i = 0; i < dh.getNumElements(); i++) {
            dh.data[i] -= z.data[i] * c.gradOutput().data[i];
        }
        return dh;
    }

    /** z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz). */
    private static DMatrixRMaj updateGate(Case c) {
        DMatrixRMaj x = c.input("x");
        DMatrixRMaj h = c.input("h");
        DMatrixRMaj wIh = c.input("W_ih");
        DMatrixRMaj wHh = c.input("W_hh");
        DMatrixRMaj bIh = c.input("b_ih");
        DMatrixRMaj bHh = c.input("b_hh");
        int hidden = h.numCols;
        DMatrixRMaj z = new DMatrixRMaj(h.numRows, hidden);
        for (int i = 0; i < h.numRows; i++) {
            for (int k = 0; k < hidden; k++) {
                double pre = bIh.data[hidden + k] + bHh.data[hidden + k];
                for (int j = 0; j < x.numCols; j++) {
                    pre += x.get(i, j) * wIh.get(hidden + k, j);
                }
                for (int j = 0; j < hidden; j++) {
                    pre += h.get(i, j) * wHh.get(hidden + k, j);
                }
                z.set(i, k, 1 / (1 + Math.exp(-pre)));
            }
        }
        return z;
    }
}
