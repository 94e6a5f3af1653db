package dev.normgrad.tutorials.experiments;

import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/** The multilayer perceptrons the experiments train. */
public final class Nets {
    private Nets() {
    }

    /**
     * {@code Linear → [norm] → activation} for each hidden width, then a {@code Linear} to the
     * outputs (the logits). With a normalization the hidden Linear layers have no bias: the
     * normalization's β plays its part (for BatchNorm the bias would be subtracted out anyway).
     *
     * @param in     input features
     * @param hidden the width of each hidden layer, input side first
     * @param out    outputs (classes)
     * @param norm   builds the normalization for a hidden layer of the given width, or null for none
     * @param init   how every Linear is initialised
     * @param random the generator for the weights (the same seed gives the same weights with or without a
     *               normalization, except for {@link WeightInit#pytorchDefault()}, which also draws biases)
     */
    public static Sequential mlp(int in, int[] hidden, int out, Activation activation, IntFunction<Module> norm,
                                 WeightInit init, Random random) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("Nets.mlp: give at least one hidden layer width");
        }
        Sequential model = new Sequential();
        // the constructor's own draws go to a throwaway generator: every weight then comes from
        // `random` alone, so a model with and one without normalization start from the same weights
        Random unused = new Random(0);
        int width = in;
        for (int h : hidden) {
            Linear linear = new Linear(width, h, norm == null, unused);
            init.apply(linear, random);
            model.add(linear);
            if (norm != null) {
                model.add(norm.apply(h));
            }
            model.add(activation.module());
            width = h;
        }
        Linear head = new Linear(width, out, true, unused);
        init.apply(head, random);
        model.add(head);
        return model;
    }

    /** {@code depth} hidden layers of the same width. */
    public static int[] widths(int depth, int width) {
        int[] h = new int[depth];
        java.util.Arrays.fill(h, width);
        return h;
    }

    /** The layers of {@code model} that are instances of {@code type}, input side first. */
    public static <M extends Module> List<M> layersOf(Sequential model, Class<M> type) {
        List<M> out = new ArrayList<>();
        for (Module m : model.layers()) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return out;
    }
}
