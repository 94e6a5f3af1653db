package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * LayerNorm's backward: dL/dx, dL/dγ, dL/dβ of {@code LayerNormOp} (resources {@code assignments/layernorm/}).
 * Hidden cases: odd, non-square sizes; a constant feature column; a constant row (σ = √eps); a batch of two.
 */
public final class LayerNormAssignment extends Assignment {
    static final double EPS = 1e-5;

    public LayerNormAssignment() {
        super("layernorm", "LayerNorm backward", "LayerNormOp",
                "dL/dx, dL/dγ and dL/dβ of layer normalization over each row's features", 0x4C4E);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "a 4x6 batch", Draw.normal(4, 6, 2, 1, random), random, true),
                    make("public 2", "a 3x8 batch", Draw.normal(3, 8, 1, -2, random), random, false));
        }
        int n = Draw.odd(5, 7, random);
        int f = n + 2 + 2 * random.nextInt(2);
        DMatrixRMaj x = Draw.normal(n, f, 1.5, 0.5, random);
        int f2 = Draw.odd(5, 9, random);
        return List.of(make("hidden 1", n + "x" + f + ", odd and non-square", x, random, false),
                make("hidden 2", "a constant feature column", Draw.constantColumn(Draw.normal(n, f2, 1, 0, random), 1, 0.75), random, false),
                make("hidden 3", "a constant row", Draw.constantRow(Draw.normal(4, f2, 1, 0, random), 2, -1.25), random, false),
                make("hidden 4", "a batch of two", Draw.normal(2, f, 3, 2, random), random, true));
    }

    private static Case make(String name, String description, DMatrixRMaj x, Random random, boolean gradCheck) {
        int f = x.numCols;
        return new Case(name, description, List.of(EPS),
                List.of(input("x", x), input("gamma", Draw.normal(1, f, 0.5, 1, random)), input("beta", Draw.normal(1, f, 1, 0, random))),
                Draw.normal(x.numRows, f, 1, 0, random), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        return switch (input) {
            case "x" -> TensorSpec.plain("x", 2, false);
            case "gamma" -> TensorSpec.plain("γ", 1, true);
            case "beta" -> TensorSpec.plain("β", 1, true);
            default -> throw new IllegalArgumentException("layernorm has no input " + input);
        };
    }

    @Override
    public List<Size> sizes(Case c) {
        return RowNormalizations.sizes(c);
    }

    @Override
    public List<KnownMistake> knownMistakes() {
        return RowNormalizations.mistakes("1/σ of each row", x -> Stats.rowSigma(x, EPS));
    }
}
