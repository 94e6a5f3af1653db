package dev.normgrad.tutorials;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * The demo: a deep sigmoid network written with engine ops, the norm of the gradient reaching each
 * layer (it shrinks towards the input: vanishing gradients), and a gradient check proving the
 * backward pass right, full and fast.
 */
public final class Demo {
    private Demo() {
    }

    public static void run(PrintStream out) {
        Random rng = new Random(42);
        int depth = 8;
        int width = 16;
        Tensor x = Tensor.randn(32, width, rng);
        Tensor[] weights = new Tensor[depth];
        for (int l = 0; l < depth; l++) {
            // weights of std 1/√width; a sigmoid's slope is at most 1/4, so each layer shrinks the gradient
            weights[l] = Tensor.randn(width, width, rng).mul(1 / Math.sqrt(width)).detach().requiresGrad(true).name("W" + l);
        }
        Tensor h = x;
        for (Tensor w : weights) {
            h = h.matmulTransposeB(w).sigmoid();
        }
        Tensor target = Tensor.uniform(32, width, 0, 1, rng);
        Tensor loss = h.sub(target).pow(2).mean();
        loss.backward();

        out.println("NormGrad demo: a " + depth + "-layer sigmoid network, width " + width + ", batch 32");
        out.printf(Locale.ROOT, "loss = %.6f%n", loss.item());
        out.println("gradient norm ||dL/dW|| per layer (input side first):");
        for (Tensor w : weights) {
            double norm = 0;
            for (double g : w.gradData().data) {
                norm += g * g;
            }
            out.printf(Locale.ROOT, "  %-3s %.3e%n", w.name(), Math.sqrt(norm));
        }
        out.println("The gradient shrinks towards the input: vanishing gradients. Normalization layers are the cure the notebooks study.");
        out.println();

        Tensor small = Tensor.randn(4, 6, rng).name("x");
        Tensor w1 = Tensor.randn(5, 6, rng).name("W1");
        Tensor w2 = Tensor.randn(3, 5, rng).name("W2");
        GradCheck.Fn net = in -> in[0].matmulTransposeB(in[1]).tanh().matmulTransposeB(in[2]).softmax();
        GradCheckReport full = GradCheck.check(net, small, w1, w2);
        out.println(full);
        out.println();
        out.println(new GradCheck().fast(net, 8, small, w1, w2));
    }
}
