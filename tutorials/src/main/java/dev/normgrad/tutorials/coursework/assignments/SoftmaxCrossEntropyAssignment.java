package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Softmax + cross-entropy's backward: dL/dz of {@code SoftmaxCrossEntropyOp} (resources
 * {@code assignments/softmax-cross-entropy/}). dL/dL' is never 1 in the hidden cases (the loss feeds
 * another). Hidden cases: odd, non-square sizes; logits in the hundreds (exp overflows unless each row's
 * maximum is subtracted); a constant logit column; a batch of two.
 */
public final class SoftmaxCrossEntropyAssignment extends Assignment {

    public SoftmaxCrossEntropyAssignment() {
        super("softmax-cross-entropy", "Softmax cross-entropy backward", "SoftmaxCrossEntropyOp",
                "dL/dz of softmax followed by the cross-entropy, averaged over the batch", 0x534345);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "4 samples, 5 classes", Draw.normal(4, 5, 1, 0, random), 1.0, random, true),
                    make("public 2", "3 samples, 4 classes, dL/dL' = 0.5", Draw.normal(3, 4, 2, 0, random), 0.5, random, false));
        }
        int n = Draw.odd(5, 7, random);
        int c = n + 2 + 2 * random.nextInt(2);
        return List.of(make("hidden 1", n + " samples, " + c + " classes", Draw.normal(n, c, 1.5, 0, random), upstream(random), random, false),
                make("hidden 2", "logits in the hundreds", Draw.normal(n, c, 300, 100, random), upstream(random), random, false),
                make("hidden 3", "a constant logit column", Draw.constantColumn(Draw.normal(n, c, 1, 0, random), 0, 1.0), upstream(random), random, false),
                make("hidden 4", "a batch of two", Draw.normal(2, c, 1, 0, random), upstream(random), random, true));
    }

    private static double upstream(Random random) {
        return 0.3 + 1.4 * random.nextDouble();
    }

    private static Case make(String name, String description, DMatrixRMaj z, double upstream, Random random, boolean gradCheck) {
        int[] labels = new int[z.numRows];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(z.numCols);
        }
        return new Case(name, description, List.of(labels), List.of(input("z", z)), Draw.filled(1, 1, upstream), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        if (!input.equals("z")) {
            throw new IllegalArgumentException("softmax-cross-entropy has no input " + input);
        }
        return TensorSpec.plain("z", 3, false);
    }

    @Override
    public List<Size> sizes(Case c) {
        DMatrixRMaj z = c.input("z");
        return List.of(new Size("N", z.numRows, "the batch size"), new Size("C", z.numCols, "the classes"));
    }

    @Override
    public List<KnownMistake> knownMistakes() {
        return List.of(
                new KnownMistake("z", "your dL/dz leaves out the one-hot term: dL/dzᵢⱼ = (pᵢⱼ − [j = yᵢ]) · dL'/dL / N",
                        (c, ref) -> gradient(c, softmax(c.input("z"), true), false, c.input("z").numRows)),
                new KnownMistake("z", "your dL/dz takes the softmax over each column (the batch); the probabilities are "
                        + "over each row's classes", (c, ref) -> gradient(c, softmax(c.input("z"), false), true, c.input("z").numRows)),
                new KnownMistake("z", "your dL/dz divides by C (the classes) where N (the batch size) belongs",
                        (c, ref) -> gradient(c, softmax(c.input("z"), true), true, c.input("z").numCols)),
                new KnownMistake("z", "your dL/dz is the gradient with respect to the probabilities p (−1/(N·p) at the label), "
                        + "not the logits z: follow the chain rule through the softmax", (c, ref) -> byProbabilities(c)));
    }

    private static int[] labels(Case c) {
        return (int[]) c.constructorArgs().get(0);
    }

    /** (p − onehot?) · upstream / divisor. */
    private static DMatrixRMaj gradient(Case c, DMatrixRMaj p, boolean oneHot, int divisor) {
        int[] labels = labels(c);
        double upstream = c.gradOutput().data[0];
        DMatrixRMaj g = new DMatrixRMaj(p.numRows, p.numCols);
        for (int i = 0; i < p.numRows; i++) {
            for (int j = 0; j < p.numCols; j++) {
                g.set(i, j, (p.get(i, j) - (oneHot && j == labels[i] ? 1 : 0)) * upstream / divisor);
            }
        }
        return g;
    }

    private static DMatrixRMaj byProbabilities(Case c) {
        DMatrixRMaj p = softmax(c.input("z"), true);
        int[] labels = labels(c);
        DMatrixRMaj g = new DMatrixRMaj(p.numRows, p.numCols);
        for (int i = 0; i < p.numRows; i++) {
            g.set(i, labels[i], -c.gradOutput().data[0] / (p.numRows * p.get(i, labels[i])));
        }
        return g;
    }

    /** The softmax of each row ({@code rows}) or of each column, shifted by the maximum. */
    static DMatrixRMaj softmax(DMatrixRMaj z, boolean rows) {
        DMatrixRMaj p = new DMatrixRMaj(z.numRows, z.numCols);
        int groups = rows ? z.numRows : z.numCols;
        int size = rows ? z.numCols : z.numRows;
        for (int g = 0; g < groups; g++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < size; k++) {
                max = Math.max(max, rows ? z.get(g, k) : z.get(k, g));
            }
            double sum = 0;
            for (int k = 0; k < size; k++) {
                sum += Math.exp((rows ? z.get(g, k) : z.get(k, g)) - max);
            }
            for (int k = 0; k < size; k++) {
                double v = Math.exp((rows ? z.get(g, k) : z.get(k, g)) - max) / sum;
                if (rows) {
                    p.set(g, k, v);
                } else {
                    p.set(k, g, v);
                }
            }
        }
        return p;
    }
}
