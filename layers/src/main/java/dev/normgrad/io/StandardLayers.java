package dev.normgrad.io;

import dev.normgrad.init.SplitMix64;
import dev.normgrad.nn.AvgPool2d;
import dev.normgrad.nn.Conv1d;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.Flatten;
import dev.normgrad.nn.GELU;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.MaxPool2d;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.BatchRenorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.NormalizationLayer;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.norm.RunningStatsNormalization;
import dev.normgrad.norm.WeightNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.GRUCell;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.LSTMCell;
import dev.normgrad.recurrent.LastStep;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.recurrent.RecurrentCell;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * NormGrad's own layer types, one entry per layer: its name in the file, its constructor arguments,
 * its factory. The names and arguments are listed in {@code layers/MODEL-FORMAT.md}.
 */
final class StandardLayers {
    private StandardLayers() {
    }

    static LayerType<Sequential> sequential() {
        return new LayerType<>("Sequential", Sequential.class,
                (seq, out) -> out.putLayers("layers", seq.layers()),
                in -> new Sequential(in.getLayers("layers").toArray(new Module[0])));
    }

    /**
     * The generator a rebuilt layer initialises from before the file's values overwrite it: a fresh
     * one, so that loading a model never draws from {@code Init.defaultRandom()} and leaves the
     * learner's random sequence as it was.
     */
    private static Random throwaway() {
        return new SplitMix64(0);
    }

    static List<LayerType<?>> types() {
        return List.of(
                sequential(),
                new LayerType<>("Linear", Linear.class,
                        (layer, out) -> out.put("inFeatures", layer.inFeatures()).put("outFeatures", layer.outFeatures())
                                .put("bias", layer.bias() != null),
                        in -> new Linear(in.getInt("inFeatures"), in.getInt("outFeatures"), in.getBoolean("bias"), throwaway())),
                LayerType.withoutArguments("ReLU", ReLU.class, ReLU::new),
                new LayerType<>("LeakyReLU", LeakyReLU.class,
                        (layer, out) -> out.put("negativeSlope", layer.negativeSlope()),
                        in -> new LeakyReLU(in.getDouble("negativeSlope"))),
                LayerType.withoutArguments("Tanh", Tanh.class, Tanh::new),
                LayerType.withoutArguments("Sigmoid", Sigmoid.class, Sigmoid::new),
                LayerType.withoutArguments("GELU", GELU.class, GELU::new),
                LayerType.withoutArguments("Identity", Identity.class, Identity::new),
                // "seed" is the mask generator's state at save time: the loaded layer continues the same masks
                new LayerType<>("Dropout", Dropout.class,
                        (layer, out) -> out.put("p", layer.p()).put("seed", layer.generatorState()),
                        in -> new Dropout(in.getDouble("p"), in.getLong("seed"))),
                new LayerType<>("BatchNorm1d", BatchNorm1d.class, StandardLayers::runningStats,
                        in -> fused(new BatchNorm1d(in.getInt("numFeatures"), in.getDouble("eps"), in.getNullableDouble("momentum"),
                                in.getBoolean("affine"), in.getBoolean("trackRunningStats")), in)),
                new LayerType<>("BatchNorm2d", BatchNorm2d.class, StandardLayers::runningStats,
                        in -> fused(new BatchNorm2d(in.getInt("numFeatures"), in.getDouble("eps"), in.getNullableDouble("momentum"),
                                in.getBoolean("affine"), in.getBoolean("trackRunningStats")), in)),
                new LayerType<>("BatchRenorm1d", BatchRenorm1d.class,
                        (layer, out) -> fused(layer, out.put("numFeatures", layer.numFeatures()).put("eps", layer.eps())
                                .putNullable("momentum", layer.momentum()).put("affine", layer.affine())
                                .put("rmax", layer.rmax()).put("dmax", layer.dmax())),
                        in -> fused(new BatchRenorm1d(in.getInt("numFeatures"), in.getDouble("eps"), in.getNullableDouble("momentum"),
                                in.getBoolean("affine"), in.getDouble("rmax"), in.getDouble("dmax")), in)),
                new LayerType<>("InstanceNorm1d", InstanceNorm1d.class, StandardLayers::runningStats,
                        in -> fused(new InstanceNorm1d(in.getInt("numFeatures"), in.getDouble("eps"), in.getDouble("momentum"),
                                in.getBoolean("affine"), in.getBoolean("trackRunningStats")), in)),
                new LayerType<>("InstanceNorm2d", InstanceNorm2d.class, StandardLayers::runningStats,
                        in -> fused(new InstanceNorm2d(in.getInt("numFeatures"), in.getDouble("eps"), in.getDouble("momentum"),
                                in.getBoolean("affine"), in.getBoolean("trackRunningStats")), in)),
                new LayerType<>("LayerNorm", LayerNorm.class,
                        (layer, out) -> fused(layer, out.put("normalizedShape", layer.normalizedShape()).put("eps", layer.eps())
                                .put("elementwiseAffine", layer.elementwiseAffine())),
                        in -> fused(new LayerNorm(in.getIntArray("normalizedShape"), in.getDouble("eps"),
                                in.getBoolean("elementwiseAffine")), in)),
                new LayerType<>("GroupNorm", GroupNorm.class,
                        (layer, out) -> fused(layer, out.put("numGroups", layer.numGroups()).put("numChannels", layer.numChannels())
                                .put("eps", layer.eps()).put("affine", layer.affine())),
                        in -> fused(new GroupNorm(in.getInt("numGroups"), in.getInt("numChannels"), in.getDouble("eps"),
                                in.getBoolean("affine")), in)),
                new LayerType<>("RMSNorm", RMSNorm.class,
                        (layer, out) -> fused(layer, out.put("normalizedShape", layer.normalizedShape()).put("eps", layer.eps())
                                .put("elementwiseAffine", layer.elementwiseAffine())),
                        in -> fused(new RMSNorm(in.getIntArray("normalizedShape"), in.getDouble("eps"),
                                in.getBoolean("elementwiseAffine")), in)),
                // images: the input (C, H, W) and every (height, width) pair as arrays of integers
                new LayerType<>("Conv2d", Conv2d.class,
                        (layer, out) -> out.put("input", image(layer.inputShape())).put("outChannels", layer.outChannels())
                                .put("kernelSize", layer.kernelSize()).put("stride", layer.stride()).put("padding", layer.padding())
                                .put("groups", layer.groups()).put("bias", layer.bias() != null),
                        in -> new Conv2d(image(in, "input"), in.getInt("outChannels"), pair(in, "kernelSize"), pair(in, "stride"),
                                pair(in, "padding"), in.getInt("groups"), in.getBoolean("bias"), throwaway())),
                new LayerType<>("Conv1d", Conv1d.class,
                        (layer, out) -> out.put("inChannels", layer.inChannels()).put("outChannels", layer.outChannels())
                                .put("kernelSize", layer.kernelSize()).put("stride", layer.stride()).put("padding", layer.padding())
                                .put("groups", layer.groups()).put("bias", layer.bias() != null),
                        in -> new Conv1d(in.getInt("inChannels"), in.getInt("outChannels"), in.getInt("kernelSize"),
                                in.getInt("stride"), in.getInt("padding"), in.getInt("groups"), in.getBoolean("bias"), throwaway())),
                new LayerType<>("MaxPool2d", MaxPool2d.class,
                        (layer, out) -> out.put("input", image(layer.inputShape())).put("kernelSize", layer.kernelSize())
                                .put("stride", layer.stride()).put("padding", layer.padding()),
                        in -> new MaxPool2d(image(in, "input"), pair(in, "kernelSize"), pair(in, "stride"), pair(in, "padding"))),
                new LayerType<>("AvgPool2d", AvgPool2d.class,
                        (layer, out) -> out.put("input", image(layer.inputShape())).put("kernelSize", layer.kernelSize())
                                .put("stride", layer.stride()).put("padding", layer.padding())
                                .put("countIncludePad", layer.countIncludePad()),
                        in -> new AvgPool2d(image(in, "input"), pair(in, "kernelSize"), pair(in, "stride"), pair(in, "padding"),
                                in.getBoolean("countIncludePad"))),
                LayerType.withoutArguments("Flatten", Flatten.class, Flatten::new),
                new LayerType<>("LastStep", LastStep.class, (layer, out) -> out.put("features", layer.features()),
                        in -> new LastStep(in.getInt("features"))),
                // the wrapped layer is written whole; its weight is derived (w = g·v/‖v‖), its other tensors are the wrapper's
                new LayerType<>("WeightNorm", WeightNorm.class,
                        (layer, out) -> out.putLayer("module", layer.module()).put("name", layer.weightName()).put("dim", layer.dim()),
                        in -> new WeightNorm(in.getLayer("module"), in.getString("name"), in.getInt("dim"))),
                // recurrent layers: the normalization is written as its toString() and rebuilt by CellNormalization.parse
                new LayerType<>("RNN", RNN.class,
                        (layer, out) -> out.put("inputSize", layer.inputSize()).put("hiddenSize", layer.hiddenSize())
                                .put("numLayers", layer.numLayers()).put("nonlinearity", layer.nonlinearity().toString())
                                .put("normalization", normalization(layer.cell(0), out)),
                        in -> new RNN(in.getInt("inputSize"), in.getInt("hiddenSize"), in.getInt("numLayers"),
                                nonlinearity(in), normalization(in), throwaway())),
                new LayerType<>("LSTM", LSTM.class,
                        (layer, out) -> out.put("inputSize", layer.inputSize()).put("hiddenSize", layer.hiddenSize())
                                .put("numLayers", layer.numLayers()).put("normalization", normalization(layer.cell(0), out)),
                        in -> new LSTM(in.getInt("inputSize"), in.getInt("hiddenSize"), in.getInt("numLayers"),
                                normalization(in), throwaway())),
                new LayerType<>("GRU", GRU.class,
                        (layer, out) -> out.put("inputSize", layer.inputSize()).put("hiddenSize", layer.hiddenSize())
                                .put("numLayers", layer.numLayers()).put("normalization", normalization(layer.cell(0), out)),
                        in -> new GRU(in.getInt("inputSize"), in.getInt("hiddenSize"), in.getInt("numLayers"),
                                normalization(in), throwaway())),
                new LayerType<>("RNNCell", RNNCell.class,
                        (cell, out) -> out.put("inputSize", cell.inputSize()).put("hiddenSize", cell.hiddenSize())
                                .put("nonlinearity", cell.nonlinearity().toString()).put("normalization", normalization(cell, out)),
                        in -> new RNNCell(in.getInt("inputSize"), in.getInt("hiddenSize"), nonlinearity(in), normalization(in),
                                throwaway())),
                new LayerType<>("LSTMCell", LSTMCell.class,
                        (cell, out) -> out.put("inputSize", cell.inputSize()).put("hiddenSize", cell.hiddenSize())
                                .put("normalization", normalization(cell, out)),
                        in -> new LSTMCell(in.getInt("inputSize"), in.getInt("hiddenSize"), normalization(in), throwaway())),
                new LayerType<>("GRUCell", GRUCell.class,
                        (cell, out) -> out.put("inputSize", cell.inputSize()).put("hiddenSize", cell.hiddenSize())
                                .put("normalization", normalization(cell, out)),
                        in -> new GRUCell(in.getInt("inputSize"), in.getInt("hiddenSize"), normalization(in), throwaway())));
    }

    /**
     * A cell's normalization as the file records it ({@code none}, {@code layerNorm},
     * {@code recurrentBatchNorm(maxSteps=N)}); one made with {@code CellNormalization.of} has no
     * such description and cannot be saved.
     */
    private static String normalization(RecurrentCell cell, LayerArgsWriter out) {
        String description = cell.normalization().toString();
        try {
            CellNormalization.parse(description);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot save " + out.path() + ": its cell normalization " + JsonPaths.quote(description)
                    + " cannot be written to a file (only none, layerNorm and recurrentBatchNorm(maxSteps=N) can); "
                    + "register a LayerType of your own for this layer");
        }
        return description;
    }

    private static CellNormalization normalization(LayerArgs in) {
        String description = in.getString("normalization");
        try {
            return CellNormalization.parse(description);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(JsonPaths.key(in.path(), "normalization"), "expected none, layerNorm or "
                    + "recurrentBatchNorm(maxSteps=N), found " + JsonPaths.quote(description));
        }
    }

    private static RNNCell.Nonlinearity nonlinearity(LayerArgs in) {
        String name = in.getString("nonlinearity");
        for (RNNCell.Nonlinearity n : RNNCell.Nonlinearity.values()) {
            if (n.toString().equals(name)) {
                return n;
            }
        }
        throw new ModelFormatException(JsonPaths.key(in.path(), "nonlinearity"), "expected \"tanh\" or \"relu\", found "
                + JsonPaths.quote(name));
    }

    /** The arguments of a layer with running statistics (BatchNorm1d, BatchNorm2d, InstanceNorm1d, InstanceNorm2d). */
    private static void runningStats(RunningStatsNormalization layer, LayerArgsWriter out) {
        fused(layer, out.put("numFeatures", layer.numFeatures()).put("eps", layer.eps()).putNullable("momentum", layer.momentum())
                .put("affine", layer.affine()).put("trackRunningStats", layer.trackRunningStats()));
    }

    /** An image shape as the file writes it: [C, H, W]. */
    private static int[] image(ImageShape shape) {
        return new int[] {shape.channels(), shape.height(), shape.width()};
    }

    private static ImageShape image(LayerArgs in, String name) {
        int[] s = in.getIntArray(name);
        if (s.length != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1) {
            throw new ModelFormatException(JsonPaths.key(in.path(), name), "expected the image shape [C, H, W], three positive "
                    + "integers, found " + Arrays.toString(s));
        }
        return new ImageShape(s[0], s[1], s[2]);
    }

    /** A (height, width) pair: a kernel size, a stride or a padding. */
    private static int[] pair(LayerArgs in, String name) {
        int[] p = in.getIntArray(name);
        if (p.length != 2) {
            throw new ModelFormatException(JsonPaths.key(in.path(), name), "expected a (height, width) pair [h, w], found "
                    + Arrays.toString(p));
        }
        return p;
    }

    /** Normalization layers also record whether they run the fused op or the composed form. */
    private static void fused(NormalizationLayer layer, LayerArgsWriter out) {
        out.put("fused", layer.isFused());
    }

    /** Optional on reading: a file without it gets the default, the fused op. */
    private static <L extends NormalizationLayer> L fused(L layer, LayerArgs in) {
        layer.setFused(in.getBoolean("fused", true));
        return layer;
    }
}
