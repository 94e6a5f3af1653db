package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * RMSNorm's backward: dL/dx and dL/dγ of {@code RMSNormOp} (resources {@code assignments/rmsnorm/}).
 * Hidden cases: odd, non-square sizes; a constant feature column; a row of small values (where eps
 * matters); a batch of two.
 */
public final class RMSNormAssignment extends Assignment {
    static final double EPS = 1e-6;

    public RMSNormAssignment() {
        super("rmsnorm", "RMSNorm backward", "RMSNormOp",
                "dL/dx and dL/dγ of root-mean-square normalization over each row's features", 0x524D53);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "a 4x6 batch", Draw.normal(4, 6, 1.5, 0.5, random), random, true),
                    make("public 2", "a 3x5 batch", Draw.normal(3, 5, 1, -1, random), random, false));
        }
        int n = Draw.odd(5, 7, random);
        int f = n + 2 + 2 * random.nextInt(2);
        DMatrixRMaj small = Draw.normal(n, f, 1, 0.3, random);
        for (int j = 0; j < f; j++) {
            small.set(0, j, small.get(0, j) * 1e-3);
        }
        return List.of(make("hidden 1", n + "x" + f + ", odd and non-square", Draw.normal(n, f, 2, 1, random), random, false),
                make("hidden 2", "a constant feature column", Draw.constantColumn(Draw.normal(n, f, 1, 0, random), 2, -1.5), random, false),
                make("hidden 3", "a row of small values", small, random, false),
                make("hidden 4", "a batch of two", Draw.normal(2, f, 1, 0.5, random), random, true));
    }

    private static Case make(String name, String description, DMatrixRMaj x, Random random, boolean gradCheck) {
        int f = x.numCols;
        return new Case(name, description, List.of(EPS), List.of(input("x", x), input("gamma", Draw.normal(1, f, 0.5, 1, random))),
                Draw.normal(x.numRows, f, 1, 0, random), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        return switch (input) {
            case "x" -> TensorSpec.plain("x", 2, false);
            case "gamma" -> TensorSpec.plain("γ", 1, true);
            default -> throw new IllegalArgumentException("rmsnorm has no input " + input);
        };
    }

    @Override
    public List<Size> sizes(Case c) {
        return RowNormalizations.sizes(c);
    }

    /**
     * RowNormalizations' mistakes, and three of RMSNorm's own: the path through r left out, LayerNorm's mean
     * term added, the term through r halved. (GradCheck's missing-term patterns are those of a centred
     * normalization; RMSNorm's slips are named here, exactly.)
     */
    @Override
    public List<KnownMistake> knownMistakes() {
        List<KnownMistake> mistakes = new ArrayList<>(RowNormalizations.mistakes("1/r of each row (r, the row's root mean square)",
                x -> Stats.rowRms(x, EPS)));
        mistakes.add(new KnownMistake("x", "your dL/dx is g/r alone: the path through r is missing (each xᵢⱼ moves r too, "
                + "∂r/∂xᵢⱼ = x̂ᵢⱼ/F)", (c, ref) -> backward(c, 0, false)));
        mistakes.add(new KnownMistake("x", "your dL/dx subtracts the mean of g over the row: that is LayerNorm's term, and "
                + "RMSNorm subtracts no mean", (c, ref) -> backward(c, 1, true)));
        mistakes.add(new KnownMistake("x", "your dL/dx has half the term through r: the 2 of d(x²)/dx = 2x dropped?",
                (c, ref) -> backward(c, 0.5, false)));
        return mistakes;
    }

    /** (1/r)·(g − k·x̂·mean(g·x̂) − [mean(g)]), g = dy·γ: the backward with its r-term scaled by k, and LayerNorm's mean term if asked. */
    private static DMatrixRMaj backward(Case c, double k, boolean meanTerm) {
        DMatrixRMaj x = c.input("x");
        DMatrixRMaj gamma = c.input("gamma");
        DMatrixRMaj dy = c.gradOutput();
        double[] rms = Stats.rowRms(x, EPS);
        int f = x.numCols;
        DMatrixRMaj dx = new DMatrixRMaj(x.numRows, f);
        for (int i = 0; i < x.numRows; i++) {
            double meanG = 0;
            double meanGXhat = 0;
            for (int j = 0; j < f; j++) {
                meanG += dy.get(i, j) * gamma.data[j] / f;
                meanGXhat += dy.get(i, j) * gamma.data[j] * x.get(i, j) / rms[i] / f;
            }
            for (int j = 0; j < f; j++) {
                double g = dy.get(i, j) * gamma.data[j];
                dx.set(i, j, (g - k * x.get(i, j) / rms[i] * meanGXhat - (meanTerm ? meanG : 0)) / rms[i]);
            }
        }
        return dx;
    }
}
