package dev.normgrad.tutorials.experiments;

import dev.normgrad.data.Digits;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Flatten;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.MaxPool2d;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;

/** The networks the experiments train: multilayer perceptrons, and the course's small CNN on the digits. */
public final class Nets {
    /** The 8×8 digits as a convolution reads them: one channel of 8×8 pixels. */
    public static final ImageShape DIGITS = new ImageShape(1, 8, 8);

    private Nets() {
    }

    /**
     * The normalizations compared after each convolution of {@link #digitsCnn}, each built for the
     * convolution's output image (C, H, W): none, {@code BatchNorm2d(C)} (over N, H and W per channel),
     * {@code GroupNorm(4, C)} (over C/4 channels and H, W per sample), {@code LayerNorm(C, H, W)} (over
     * all of a sample, with a γ and β per value, as PyTorch's {@code LayerNorm([C, H, W])}) and
     * {@code InstanceNorm2d(C)} with a per-channel γ and β (over H and W per sample and channel; no
     * running statistics, PyTorch's default). Every one but NONE has learnable γ and β.
     */
    public enum ImageNorm implements Function<ImageShape, Module> {
        NONE {
            @Override
            public Module apply(ImageShape s) {
                return new Identity();
            }
        },
        BATCH_NORM {
            @Override
            public Module apply(ImageShape s) {
                return new BatchNorm2d(s.channels());
            }
        },
        GROUP_NORM {
            @Override
            public Module apply(ImageShape s) {
                return new GroupNorm(4, s.channels());
            }
        },
        LAYER_NORM {
            @Override
            public Module apply(ImageShape s) {
                return new LayerNorm(s.channels(), s.height(), s.width());
            }
        },
        INSTANCE_NORM {
            @Override
            public Module apply(ImageShape s) {
                return new InstanceNorm2d(s.channels(), Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, true, false);
            }
        }
    }

    /**
     * The course's small CNN on the 8×8 digits (workload W4 of the benchmarks; the network the chapter
     * on normalization in convolutional networks trains): two blocks of 3×3 convolution (padding 1) →
     * normalization → ReLU → 2×2 max pooling, then a Linear to the classes.
     * <pre>
     *   (1, 8, 8) → Conv2d 8 → (8, 8, 8) → norm → ReLU → MaxPool2d 2 → (8, 4, 4)
     *             → Conv2d 16 → (16, 4, 4) → norm → ReLU → MaxPool2d 2 → (16, 2, 2) → Flatten → Linear 64 → 10
     * </pre>
     * Layer indices: 0 and 4 the convolutions, 1 and 5 the normalizations, 2 and 6 ReLU, 3 and 7 the
     * poolings, 8 Flatten, 9 the Linear. The convolutions keep their bias (PyTorch's default) whatever
     * follows them, so every variant starts from the same convolutions.
     *
     * <pre>{@code
     * Sequential cnn = Nets.digitsCnn(Nets.ImageNorm.BATCH_NORM, new Random(0));
     * Sequential gn = Nets.digitsCnn(s -> new GroupNorm(2, s.channels()), new Random(0));
     * }</pre>
     *
     * @param norm   builds the normalization after a convolution from its output image (an {@link ImageNorm})
     * @param random draws every initial weight, input side first (PyTorch's default initialisation): the same
     *               seed gives the same convolutions and Linear whatever the normalization
     */
    public static Sequential digitsCnn(Function<ImageShape, Module> norm, Random random) {
        Conv2d conv1 = new Conv2d(DIGITS, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, 1, true, random);
        MaxPool2d pool1 = new MaxPool2d(conv1.outputShape(), 2);
        Conv2d conv2 = new Conv2d(pool1.outputShape(), 16, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, 1, true, random);
        MaxPool2d pool2 = new MaxPool2d(conv2.outputShape(), 2);
        Linear head = new Linear(pool2.outputShape().size(), Digits.CLASSES, true, random);
        return new Sequential(conv1, norm.apply(conv1.outputShape()), new ReLU(), pool1, conv2, norm.apply(conv2.outputShape()),
                new ReLU(), pool2, new Flatten(), head);
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
