package dev.normgrad.tutorials.coursework.assignments;

import dev.normgrad.tutorials.coursework.Assignment.KnownMistake;
import dev.normgrad.tutorials.coursework.Assignment.Size;
import dev.normgrad.tutorials.coursework.Case;
import java.util.List;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/** What LayerNorm and RMSNorm, which normalize each row of x and scale by γ, share: their sizes and their classic mistakes. */
final class RowNormalizations {
    private RowNormalizations() {
    }

    /** N, the batch; F, the features per row. */
    static List<Size> sizes(Case c) {
        DMatrixRMaj x = c.input("x");
        return List.of(new Size("N", x.numRows, "the batch size"), new Size("F", x.numCols, "the features per row"));
    }

    /**
     * γ left out of g, the factor 1/spread of each row left out, and dγ summing dy·x.
     *
     * @param factor the factor in words: "1/σ of each row"
     * @param spread each row's σ (or r) of a case's x
     */
    static List<KnownMistake> mistakes(String factor, Function<DMatrixRMaj, double[]> spread) {
        return List.of(
                new KnownMistake("x", "your dL/dx leaves out γ: the gradient reaching x̂ is g = dy·γ, not dy",
                        (c, ref) -> ref.run(c.with("gamma", Draw.filled(1, c.input("x").numCols, 1))).gradients().get(0)),
                new KnownMistake("x", "your dL/dx leaves out the factor " + factor,
                        (c, ref) -> scaleRows(ref.run(c).gradients().get(0), spread.apply(c.input("x")))),
                new KnownMistake("gamma", "your dL/dγ sums dy·x where dy·x̂ belongs",
                        (c, ref) -> Draw.columnSumsOfProduct(c.gradOutput(), c.input("x"))));
    }

    private static DMatrixRMaj scaleRows(DMatrixRMaj m, double[] factor) {
        DMatrixRMaj s = m.copy();
        for (int i = 0; i < s.numRows; i++) {
            for (int j = 0; j < s.numCols; j++) {
                s.set(i, j, s.get(i, j) * factor[i]);
            }
        }
        return s;
    }
}
