package dev.normgrad.tutorials.coursework.assignments;

import static dev.normgrad.tutorials.coursework.assignments.Draw.input;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Conv2d's backward: dL/dx, dL/dW, dL/db of {@code Conv2dOp} (resources {@code assignments/conv2d/}), with
 * stride and zero padding. Hidden cases: an odd, non-square image with stride 2 and padding 1; a non-square
 * kernel with padding 2; a stride that leaves the last pixels unused; a batch of two.
 */
public final class Conv2dAssignment extends Assignment {

    public Conv2dAssignment() {
        super("conv2d", "Conv2d backward", "Conv2dOp",
                "dL/dx, dL/dW and dL/db of a 2-D convolution with stride and zero padding", 0x434F4E56);
    }

    @Override
    protected List<Case> cases(boolean hidden, Random random) {
        if (!hidden) {
            return List.of(make("public 1", "2 images 1x5x5, 2 kernels 3x3, padding 1", 2, 1, 5, 5, 2, 3, 3, 1, 1, random, true),
                    make("public 2", "2 images 2x4x6, 3 kernels 2x2, stride 2", 2, 2, 4, 6, 3, 2, 2, 2, 0, random, false));
        }
        int n = Draw.odd(3, 5, random);
        return List.of(make("hidden 1", n + " images 2x7x5, stride 2, padding 1", n, 2, 7, 5, 3, 3, 3, 2, 1, random, false),
                make("hidden 2", "a 3x2 kernel, padding 2", n, 3, 5, 4, 2, 3, 2, 1, 2, random, false),
                make("hidden 3", "stride 2 on 6x6 with a 3x3 kernel: the last column and row unused", n, 1, 6, 6, 2, 3, 3, 2, 0, random, false),
                make("hidden 4", "a batch of two", 2, 2, 4, 3, 2, 2, 3, 1, 1, random, true));
    }

    private static Case make(String name, String description, int n, int c, int h, int w, int out, int kh, int kw, int stride,
            int padding, Random random, boolean gradCheck) {
        int outH = (h + 2 * padding - kh) / stride + 1;
        int outW = (w + 2 * padding - kw) / stride + 1;
        double scale = 1 / Math.sqrt(c * kh * kw);
        return new Case(name, description, List.of(c, h, w, kh, kw, stride, padding),
                List.of(input("x", Draw.normal(n, c * h * w, 1, 0, random)),
                        input("W", Draw.uniform(out, c * kh * kw, -scale, scale, random)),
                        input("b", Draw.uniform(1, out, -scale, scale, random))),
                Draw.normal(n, out * outH * outW, 1, 0, random), gradCheck);
    }

    @Override
    public TensorSpec spec(Case c, String input) {
        return switch (input) {
            case "x" -> TensorSpec.plain("x", 2, false);
            case "W" -> TensorSpec.plain("W", 2, true);
            case "b" -> TensorSpec.plain("b", 1, true);
            default -> throw new IllegalArgumentException("conv2d has no input " + input);
        };
    }

    @Override
    public List<Size> sizes(Case c) {
        int out = c.input("W").numRows;
        return List.of(new Size("N", c.input("x").numRows, "the batch size"),
                new Size("P", c.gradOutput().numCols / out, "the output positions H'·W' of a channel"),
                new Size("C'", out, "the output channels"));
    }

    @Override
    public List<KnownMistake> knownMistakes() {
        return List.of(new KnownMistake("x", "your dL/dx multiplies by the kernel flipped: deep learning's convolution is a "
                + "cross-correlation, and its gradient reuses W as it is", (c, ref) -> ref.run(c.with("W", flipped(c))).gradients().get(0)),
                new KnownMistake("W", "your dL/dW pairs each output with the pixel at the flipped kernel position: "
                        + "W[o, c, u, v] multiplies x[n, c, i·s + u − p, j·s + v − p], not its mirror", (c, ref) ->
                        flip(ref.run(c).gradients().get(1), (Integer) c.constructorArgs().get(3), (Integer) c.constructorArgs().get(4))));
    }

    private static DMatrixRMaj flipped(Case c) {
        return flip(c.input("W"), (Integer) c.constructorArgs().get(3), (Integer) c.constructorArgs().get(4));
    }

    /** Each kH×kW kernel of {@code w} rotated by 180°. */
    private static DMatrixRMaj flip(DMatrixRMaj w, int kh, int kw) {
        DMatrixRMaj f = new DMatrixRMaj(w.numRows, w.numCols);
        for (int o = 0; o < w.numRows; o++) {
            for (int block = 0; block < w.numCols; block += kh * kw) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        f.set(o, block + u * kw + v, w.get(o, block + (kh - 1 - u) * kw + (kw - 1 - v)));
                    }
                }
            }
        }
        return f;
    }
}
