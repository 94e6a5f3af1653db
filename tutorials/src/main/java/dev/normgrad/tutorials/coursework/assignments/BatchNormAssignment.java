package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * BatchNorm1d in training mode: the update of the running statistics and the backward of
 * {@code BatchNormOp} (resources {@code assignments/batchnorm1d/}). Hidden cases: odd, non-square
 * sizes; a constant feature column (σ = √eps); a batch of two (where the unbiased variance is twice the
 * biased one); a momentum other than 0.1.
 */
public final class BatchNormAssignment extends Assignment {
    static final double EPS = 1e-5;

    public BatchNormAssignment() {
        super("batchnorm1d", "BatchNorm1d backward, with running statistics", "BatchNormOp",
                "the running statistics and dL/dx, dL/dγ, dL/dβ of batch normalization in training mode", 0x424E);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "a 6x4 batch", Draw.normal(6, 4, 2, 1, random), 0.1, random, true),
                    make("public 2", "a 5x3 batch", Draw.normal(5, 3, 1, -1, random), 0.1, random, false));
        }
        int n = Draw.odd(5, 9, random);
        int c = Draw.odd(3, 5, random);
        c = c == n ? c + 2 : c;
        return List.of(make("hidden 1", n + "x" + c + ", odd and non-square", Draw.normal(n, c, 1.5, 0.5, random), 0.1, random, false),
                make("hidden 2", "a constant feature column", Draw.constantColumn(Draw.normal(n, c, 1, 0, random), 1, 2.5), 0.1, random, false),
                make("hidden 3", "a batch of two", Draw.normal(2, c, 2, 1, random), 0.1, random, true),
                make("hidden 4", "momentum 0.3", Draw.normal(n, c + 2, 1, 3, random), 0.3, random, false));
    }

    private static Case make(String name, String description, DMatrixRMaj x, double momentum, Random random, boolean gradCheck) {
        int c = x.numCols;
        DMatrixRMaj runningMean = Draw.normal(1, c, 0.5, 0, random);
        DMatrixRMaj runningVar = Draw.uniform(1, c, 0.5, 2, random);
        return new Case(name, description, List.of(runningMean, runningVar, momentum, EPS),
                List.of(input("x", x), input("gamma", Draw.normal(1, c, 0.5, 1, random)), input("beta", Draw.normal(1, c, 1, 0, random))),
                Draw.normal(x.numRows, c, 1, 0, random), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        return switch (input) {
            case "x" -> TensorSpec.plain("x", 2, false);
            case "gamma" -> TensorSpec.plain("γ", 1, true);
            case "beta" -> TensorSpec.plain("β", 1, true);
            default -> throw new IllegalArgumentException("batchnorm1d has no input " + input);
        };
    }

    @Override
    public List<Size> sizes(Case c) {
        DMatrixRMaj x = c.input("x");
        return List.of(new Size("N", x.numRows, "the batch size"), new Size("C", x.numCols, "the features"));
    }

    @Override
    public List<String> stateNames() {
        return List.of("runningMean", "runningVar");
    }

    @Override
    public List<KnownMistake> knownMistakes() {
        List<KnownMistake> mistakes = new ArrayList<>();
        mistakes.add(new KnownMistake("runningVar", "runningVar was moved towards the biased variance (÷N); PyTorch's running "
                + "variance takes the unbiased one (÷(N−1))", (c, ref) -> Stats.blend(initial(c, 1), Stats.columnVariance(c.input("x"), 0), momentum(c))));
        for (int k = 0; k < 2; k++) {
            int s = k;
            String name = stateNames().get(k);
            mistakes.add(new KnownMistake(name, name + " has momentum the wrong way round: PyTorch's update is running = "
                    + "(1 − momentum)·running + momentum·batch (Keras's momentum is 1 − PyTorch's)",
                    (c, ref) -> Stats.blend(initial(c, s), batch(c, s), 1 - momentum(c))));
            mistakes.add(new KnownMistake(name, name + " was left as it was: the forward must update the running statistics in place",
                    (c, ref) -> initial(c, s)));
            mistakes.add(new KnownMistake(name, name + " was replaced by the batch's statistic instead of moved towards it by momentum",
                    (c, ref) -> batch(c, s)));
            mistakes.add(new KnownMistake(name, name + " used momentum 0.1 where the op was given " + "another: use the field momentum",
                    (c, ref) -> momentum(c) == 0.1 ? null : Stats.blend(initial(c, s), batch(c, s), 0.1)));
        }
        mistakes.add(new KnownMistake("x", "your dL/dx normalizes over each row (LayerNorm's axis); BatchNorm's statistics are "
                + "per feature, over the batch: each column", (c, ref) -> layerNormAxis(c)));
        return mistakes;
    }

    private static DMatrixRMaj initial(Case c, int state) {
        return (DMatrixRMaj) c.constructorArgs().get(state);
    }

    private static double momentum(Case c) {
        return (Double) c.constructorArgs().get(2);
    }

    /** The batch's mean (state 0) or unbiased variance (state 1). */
    private static DMatrixRMaj batch(Case c, int state) {
        return state == 0 ? Stats.columnMean(c.input("x")) : Stats.columnVariance(c.input("x"), 1);
    }

    /** BatchNorm's x̂ and σ, but the backward's two means taken along each row. */
    private static DMatrixRMaj layerNormAxis(Case c) {
        DMatrixRMaj x = c.input("x");
        DMatrixRMaj gamma = c.input("gamma");
        DMatrixRMaj dy = c.gradOutput();
        int n = x.numRows;
        int cols = x.numCols;
        DMatrixRMaj mean = Stats.columnMean(x);
        DMatrixRMaj var = Stats.columnVariance(x, 0);
        DMatrixRMaj dx = new DMatrixRMaj(n, cols);
        for (int i = 0; i < n; i++) {
            double meanG = 0;
            double meanGXhat = 0;
            for (int j = 0; j < cols; j++) {
                double xhat = (x.get(i, j) - mean.data[j]) / Math.sqrt(var.data[j] + EPS);
                meanG += dy.get(i, j) * gamma.data[j] / cols;
                meanGXhat += dy.get(i, j) * gamma.data[j] * xhat / cols;
            }
            for (int j = 0; j < cols; j++) {
                double invStd = 1 / Math.sqrt(var.data[j] + EPS);
                double xhat = (x.get(i, j) - mean.data[j]) * invStd;
                dx.set(i, j, invStd * (dy.get(i, j) * gamma.data[j] - meanG - xhat * meanGXhat));
            }
        }
        return dx;
    }
}
