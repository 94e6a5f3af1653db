package dev.normgrad.tutorials.cli;

import com.google.gson.JsonArray;
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
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.Normalization;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.LastStep;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The model of a training config, {@code "model": {"layers": [...]}}, built layer by layer while the
 * shape of a sample between two layers is followed — features, images (C, H, W), channels of
 * positions, or steps of a sequence — so that every size a layer takes comes from the layer before
 * it, every size written in the config is checked against it, and a layer that cannot take what
 * comes in is refused, naming the field and the sizes, before any training.
 */
final class ConfigModel {
    /** The layer types a config's model may use, the model format's names. */
    static final List<String> LAYER_TYPES = List.of("Linear", "BatchNorm1d", "LayerNorm", "GroupNorm", "RMSNorm", "ReLU",
            "LeakyReLU", "Tanh", "Sigmoid", "GELU", "Identity", "Dropout", "Conv2d", "Conv1d", "MaxPool2d", "AvgPool2d", "Flatten",
            "BatchNorm2d", "InstanceNorm1d", "InstanceNorm2d", "RNN", "LSTM", "GRU", "LastStep");

    private enum Kind { FEATURES, IMAGES, SIGNALS, STEPS }

    /**
     * One sample between two layers: F features (width F); images (C, H, W); C channels of L positions
     * (height 1, width L); T steps of F features (channels T, width F). {@code from} says where it
     * comes from, for messages.
     */
    private record Flow(Kind kind, int channels, int height, int width, String from) {
        static Flow features(int f, String from) {
            return new Flow(Kind.FEATURES, 1, 1, f, from);
        }

        static Flow images(ImageShape s, String from) {
            return new Flow(Kind.IMAGES, s.channels(), s.height(), s.width(), from);
        }

        int size() {
            return channels * height * width;
        }

        ImageShape image() {
            return new ImageShape(channels, height, width);
        }

        /** The shape a LayerNorm over all of a sample would take. */
        int[] dims() {
            return switch (kind) {
                case FEATURES -> new int[] {width};
                case IMAGES -> new int[] {channels, height, width};
                case SIGNALS, STEPS -> new int[] {channels, width};
            };
        }

        /** "2 features", "(8, 4, 4) images (128 values)", "8 channels of 7 positions", "8 steps of 32 features". */
        String what() {
            return switch (kind) {
                case FEATURES -> width + " features";
                case IMAGES -> image() + " images (" + size() + " values)";
                case SIGNALS -> channels + " channels of " + width + " positions";
                case STEPS -> channels + " steps of " + width + " features";
            };
        }

        /** "the spirals data have 2 features", "layer 3 outputs (8, 4, 4) images (128 values)". */
        String comesIn() {
            boolean data = from.startsWith("the ");
            return from + (!data ? " outputs " : kind == Kind.IMAGES ? " are " : " have ") + what();
        }
    }

    private final String file;
    private final long seed;
    private final Random random;

    private ConfigModel(String file, long seed) {
        this.file = file;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * The model of {@code m}, for data of {@code features} features (read as images of
     * {@code image} when not null) and {@code classes} classes.
     */
    static Sequential build(ConfigObject m, String file, long seed, int features, ImageShape image, int classes, String dataName) {
        m.allowOnly("model", "layers");
        JsonArray layers = m.array("layers");
        if (layers.isEmpty()) {
            throw new CliException(m.where("layers") + ": empty; give at least a Linear to " + classes + " outputs");
        }
        ConfigModel builder = new ConfigModel(file, seed);
        Flow flow = image != null ? Flow.images(image, "the " + dataName + " data") : Flow.features(features, "the " + dataName + " data");
        Sequential model = new Sequential();
        int lastLinear = -1;
        for (int i = 0; i < layers.size(); i++) {
            ConfigObject l = new ConfigObject(layers.get(i), file, "model.layers[" + i + "]");
            String type = l.string("type", null);
            Layer built = builder.layer(type, l, flow, i);
            model.add(built.module());
            flow = built.out();
            lastLinear = type.equals("Linear") ? i : lastLinear;
        }
        if (lastLinear < 0) {
            throw new CliException(m.where("layers") + ": no Linear layer; the model needs a Linear to " + classes + " outputs");
        }
        if (flow.kind() != Kind.FEATURES) {
            throw new CliException(m.where("layers") + ": the model ends where " + flow.comesIn() + "; end with a Linear to "
                    + classes + " outputs (after Flatten, or LastStep for a sequence)");
        }
        if (flow.width() != classes) {
            throw new CliException(file + ": model.layers[" + lastLinear + "].outFeatures: " + flow.width() + ", but the "
                    + dataName + " data have " + classes + " classes; the last Linear gives one logit per class");
        }
        return model;
    }

    private record Layer(Module module, Flow out) {
    }

    private Layer layer(String type, ConfigObject l, Flow in, int index) {
        String here = "layer " + index;
        switch (type) {
            case "Linear": {
                l.allowOnly("Linear", "type", "inFeatures", "outFeatures", "bias");
                refuse(l, in, Kind.STEPS, "Linear", "add LastStep first to classify from the last step, or Flatten to use every step");
                checkSize(l, "inFeatures", in.size(), in);
                int out = l.integer("outFeatures", null, 1);
                return new Layer(new Linear(in.size(), out, l.bool("bias", true), random), Flow.features(out, here));
            }
            case "Flatten":
                l.allowOnly("Flatten", "type");
                return new Layer(new Flatten(), Flow.features(in.size(), here));
            case "Conv2d":
                return conv2d(l, in, here);
            case "Conv1d":
                return conv1d(l, in, here);
            case "MaxPool2d":
            case "AvgPool2d":
                return pool(type, l, in, here);
            case "BatchNorm1d": {
                l.allowOnly("BatchNorm1d", "type", "numFeatures", "eps", "momentum", "affine");
                refuse(l, in, Kind.IMAGES, "BatchNorm1d", "use BatchNorm2d (one statistic per channel over N, H and W), or Flatten "
                        + "first to normalize each of the " + in.size() + " values as a feature");
                refuse(l, in, Kind.STEPS, "BatchNorm1d", "normalize inside the recurrent layer (\"normalization\"), or after LastStep");
                int c = in.kind() == Kind.SIGNALS ? in.channels() : in.width();
                checkSize(l, "numFeatures", c, in);
                return new Layer(new BatchNorm1d(c, eps(l), l.nullableNumber("momentum", 0.1, 0, 1), l.bool("affine", true), true), in);
            }
            case "BatchNorm2d": {
                l.allowOnly("BatchNorm2d", "type", "numFeatures", "eps", "momentum", "affine");
                requireImages(l, in, "BatchNorm2d", "use BatchNorm1d");
                checkSize(l, "numFeatures", in.channels(), in);
                return new Layer(new BatchNorm2d(in.channels(), eps(l), l.nullableNumber("momentum", 0.1, 0, 1),
                        l.bool("affine", true), true), in);
            }
            case "InstanceNorm1d":
            case "InstanceNorm2d":
                return instanceNorm(type, l, in);
            case "GroupNorm": {
                l.allowOnly("GroupNorm", "type", "numGroups", "numChannels", "eps", "affine");
                refuse(l, in, Kind.STEPS, "GroupNorm", "normalize inside the recurrent layer (\"normalization\"), or after LastStep");
                int c = in.kind() == Kind.FEATURES ? in.width() : in.channels();
                checkSize(l, "numChannels", c, in);
                int groups = l.integer("numGroups", null, 1);
                if (c % groups != 0) {
                    throw new CliException(l.where("numGroups") + ": " + groups + " groups do not divide the " + c
                            + " channels coming in; use a divisor of " + c);
                }
                return new Layer(new GroupNorm(groups, c, eps(l), l.bool("affine", true)), in);
            }
            case "LayerNorm":
            case "RMSNorm": {
                l.allowOnly(type, "type", "normalizedShape", "eps", "elementwiseAffine");
                int[] shape = normalizedShape(l, in);
                boolean affine = l.bool("elementwiseAffine", true);
                Module norm = type.equals("LayerNorm") ? new LayerNorm(shape, eps(l), affine)
                        : new RMSNorm(shape, l.number("eps", RMSNorm.DEFAULT_EPS, 0, 1e6), affine);
                return new Layer(norm, in);
            }
            case "RNN":
            case "LSTM":
            case "GRU":
                return recurrent(type, l, in, here);
            case "LastStep": {
                l.allowOnly("LastStep", "type", "features");
                if (in.kind() != Kind.STEPS) {
                    throw new CliException(l.where("type") + ": LastStep keeps the last step of a recurrent layer's output, but "
                            + in.comesIn() + "; put it after an RNN, LSTM or GRU");
                }
                checkSize(l, "features", in.width(), in);
                return new Layer(new LastStep(in.width()), Flow.features(in.width(), here));
            }
            case "ReLU":
            case "Tanh":
            case "Sigmoid":
            case "GELU":
            case "Identity":
                l.allowOnly(type, "type");
                return new Layer(activation(type), in);
            case "LeakyReLU":
                l.allowOnly("LeakyReLU", "type", "negativeSlope");
                return new Layer(new LeakyReLU(l.number("negativeSlope", 0.01, -1e6, 1e6)), in);
            case "Dropout":
                l.allowOnly("Dropout", "type", "p");
                return new Layer(new Dropout(l.number("p", 0.5, 0, 0.999), seed + index), in);
            default:
                throw new CliException(l.where("type") + ": unknown layer type \"" + type + "\"; known types: "
                        + String.join(", ", LAYER_TYPES));
        }
    }

    private Layer conv2d(ConfigObject l, Flow in, String here) {
        l.allowOnly("Conv2d", "type", "inChannels", "outChannels", "kernelSize", "stride", "padding", "groups", "bias");
        requireImages(l, in, "Conv2d", "a CSV data set declares its images with \"shape\": [C, H, W]");
        checkSize(l, "inChannels", in.channels(), in);
        int out = l.integer("outChannels", null, 1);
        int[] kernel = l.pair("kernelSize", null, 1);
        int[] stride = l.pair("stride", new int[] {1, 1}, 1);
        int[] padding = l.pair("padding", new int[] {0, 0}, 0);
        int groups = l.integer("groups", 1, 1);
        if (in.channels() % groups != 0 || out % groups != 0) {
            throw new CliException(l.where("groups") + ": " + groups + " does not divide both the " + in.channels()
                    + " channels coming in and outChannels " + out);
        }
        checkKernel(l, kernel, padding, in);
        Conv2d conv = new Conv2d(in.image(), out, kernel, stride, padding, groups, l.bool("bias", true), random);
        return new Layer(conv, Flow.images(conv.outputShape(), here));
    }

    private Layer conv1d(ConfigObject l, Flow in, String here) {
        l.allowOnly("Conv1d", "type", "inChannels", "outChannels", "kernelSize", "stride", "padding", "groups", "bias");
        refuse(l, in, Kind.IMAGES, "Conv1d", "use Conv2d, or Flatten first to read the values as one signal");
        refuse(l, in, Kind.STEPS, "Conv1d", "add LastStep first");
        int channels;
        if (in.kind() == Kind.SIGNALS) {
            channels = in.channels();
            checkSize(l, "inChannels", channels, in);
        } else {
            channels = l.integer("inChannels", 1, 1);
            if (in.width() % channels != 0) {
                throw new CliException(l.where("inChannels") + ": " + channels + " does not divide the " + in.width()
                        + " features coming in (" + in.comesIn() + "); Conv1d reads them as inChannels channels of positions");
            }
        }
        int length = in.size() / channels;
        int out = l.integer("outChannels", null, 1);
        int kernel = l.integer("kernelSize", null, 1);
        int stride = l.integer("stride", 1, 1);
        int padding = l.integer("padding", 0, 0);
        int groups = l.integer("groups", 1, 1);
        if (channels % groups != 0 || out % groups != 0) {
            throw new CliException(l.where("groups") + ": " + groups + " does not divide both the " + channels
                    + " channels coming in and outChannels " + out);
        }
        if (kernel > length + 2 * padding) {
            throw new CliException(l.where("kernelSize") + ": " + kernel + " is longer than the " + length + " positions coming in"
                    + " padded by " + padding + " (" + (length + 2 * padding) + "); use a smaller kernel or more padding");
        }
        Conv1d conv = new Conv1d(channels, out, kernel, stride, padding, groups, l.bool("bias", true), random);
        return new Layer(conv, new Flow(Kind.SIGNALS, out, 1, conv.outputLength(length), here));
    }

    private Layer pool(String type, ConfigObject l, Flow in, String here) {
        boolean max = type.equals("MaxPool2d");
        if (max) {
            l.allowOnly(type, "type", "kernelSize", "stride", "padding");
        } else {
            l.allowOnly(type, "type", "kernelSize", "stride", "padding", "countIncludePad");
        }
        requireImages(l, in, type, "pooling reads (C, H, W) images");
        int[] kernel = l.pair("kernelSize", null, 1);
        int[] stride = l.pair("stride", kernel, 1);
        int[] padding = l.pair("padding", new int[] {0, 0}, 0);
        if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
            throw new CliException(l.where("padding") + ": " + pair(padding) + " is more than half the kernel " + pair(kernel)
                    + "; pooling pads at most half a kernel");
        }
        checkKernel(l, kernel, padding, in);
        if (max) {
            MaxPool2d pool = new MaxPool2d(in.image(), kernel, stride, padding);
            return new Layer(pool, Flow.images(pool.outputShape(), here));
        }
        AvgPool2d pool = new AvgPool2d(in.image(), kernel, stride, padding, l.bool("countIncludePad", true));
        return new Layer(pool, Flow.images(pool.outputShape(), here));
    }

    private Layer instanceNorm(String type, ConfigObject l, Flow in) {
        l.allowOnly(type, "type", "numFeatures", "eps", "momentum", "affine", "trackRunningStats");
        boolean images = type.equals("InstanceNorm2d");
        if (images) {
            requireImages(l, in, type, "use InstanceNorm1d after a Conv1d");
        } else if (in.kind() != Kind.SIGNALS) {
            throw new CliException(l.where("type") + ": InstanceNorm1d normalizes each channel over its positions, but "
                    + in.comesIn() + "; put it after a Conv1d" + (in.kind() == Kind.IMAGES ? ", or use InstanceNorm2d" : ""));
        }
        if (in.height() * in.width() < 2) {
            throw new CliException(l.where("type") + ": " + type + " normalizes each channel over its positions, but "
                    + in.comesIn() + ": one position per channel has no variance");
        }
        checkSize(l, "numFeatures", in.channels(), in);
        double eps = eps(l);
        double momentum = l.number("momentum", 0.1, 0, 1);
        boolean affine = l.bool("affine", false);
        boolean track = l.bool("trackRunningStats", false);
        Module norm = images ? new InstanceNorm2d(in.channels(), eps, momentum, affine, track)
                : new InstanceNorm1d(in.channels(), eps, momentum, affine, track);
        return new Layer(norm, in);
    }

    private Layer recurrent(String type, ConfigObject l, Flow in, String here) {
        if (type.equals("RNN")) {
            l.allowOnly(type, "type", "inputSize", "hiddenSize", "numLayers", "nonlinearity", "normalization");
        } else {
            l.allowOnly(type, "type", "inputSize", "hiddenSize", "numLayers", "normalization");
        }
        int inputSize = l.integer("inputSize", null, 1);
        int steps;
        if (in.kind() == Kind.STEPS) {
            if (inputSize != in.width()) {
                throw new CliException(l.where("inputSize") + ": " + inputSize + ", but " + in.comesIn() + "; a stacked "
                        + "recurrent layer reads the features of each step");
            }
            steps = in.channels();
        } else {
            if (in.size() % inputSize != 0) {
                throw new CliException(l.where("inputSize") + ": " + inputSize + " does not divide the " + in.size()
                        + " values coming in (" + in.comesIn() + "); a recurrent layer reads each sample as T steps of "
                        + "inputSize values side by side");
            }
            steps = in.size() / inputSize;
        }
        int hidden = l.integer("hiddenSize", null, 1);
        int numLayers = l.integer("numLayers", 1, 1);
        CellNormalization norm = cellNormalization(l, steps);
        Module layer = switch (type) {
            case "RNN" -> new RNN(inputSize, hidden, numLayers, nonlinearity(l), norm, random);
            case "LSTM" -> new LSTM(inputSize, hidden, numLayers, norm, random);
            default -> new GRU(inputSize, hidden, numLayers, norm, random);
        };
        return new Layer(layer, new Flow(Kind.STEPS, steps, 1, hidden, here));
    }

    /** "none", "layerNorm", "recurrentBatchNorm" (statistics for every step read) or "recurrentBatchNorm(maxSteps=N)". */
    private static CellNormalization cellNormalization(ConfigObject l, int steps) {
        String name = l.string("normalization", "none");
        if (name.equals("recurrentBatchNorm")) {
            return CellNormalization.recurrentBatchNorm(steps);
        }
        try {
            return CellNormalization.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(l.where("normalization") + ": unknown normalization \"" + name + "\"; use \"none\", "
                    + "\"layerNorm\", \"recurrentBatchNorm\" (statistics for each of the " + steps + " steps) or "
                    + "\"recurrentBatchNorm(maxSteps=N)\"");
        }
    }

    private static RNNCell.Nonlinearity nonlinearity(ConfigObject l) {
        String name = l.string("nonlinearity", "tanh");
        for (RNNCell.Nonlinearity n : RNNCell.Nonlinearity.values()) {
            if (n.toString().equals(name)) {
                return n;
            }
        }
        throw new CliException(l.where("nonlinearity") + ": expected \"tanh\" or \"relu\", found \"" + name + "\"");
    }

    /** LayerNorm's and RMSNorm's shape: all of a sample by default; one written must be its last dimensions. */
    private static int[] normalizedShape(ConfigObject l, Flow in) {
        int[] dims = in.dims();
        int[] given = l.positiveIntegers("normalizedShape");
        if (given == null) {
            return in.kind() == Kind.STEPS ? new int[] {in.width()} : dims;
        }
        boolean trailing = given.length >= 1 && given.length <= dims.length
                && Arrays.equals(given, Arrays.copyOfRange(dims, dims.length - given.length, dims.length));
        if (!trailing) {
            String hint = in.kind() == Kind.FEATURES ? "leave normalizedShape out to take the width coming in"
                    : "give the last dimensions of " + Arrays.toString(dims) + ", or leave normalizedShape out to normalize over "
                            + (in.kind() == Kind.STEPS ? "each step's features" : "all of them");
            throw new CliException(l.where("normalizedShape") + ": " + Arrays.toString(given) + ", but " + in.comesIn() + "; " + hint);
        }
        return given;
    }

    private static double eps(ConfigObject l) {
        return l.number("eps", Normalization.DEFAULT_EPS, 0, 1e6);
    }

    /** A size written in the config must be the one coming in. */
    private static void checkSize(ConfigObject l, String key, int size, Flow in) {
        if (l.has(key)) {
            int given = l.integer(key, null, 1);
            if (given != size) {
                throw new CliException(l.where(key) + ": " + given + ", but " + in.comesIn() + "; leave " + key
                        + " out to take the " + (in.kind() == Kind.FEATURES || key.equals("inFeatures") ? "width" : "size")
                        + " coming in");
            }
        }
    }

    private static void checkKernel(ConfigObject l, int[] kernel, int[] padding, Flow in) {
        int h = in.height() + 2 * padding[0];
        int w = in.width() + 2 * padding[1];
        if (kernel[0] > h || kernel[1] > w) {
            throw new CliException(l.where("kernelSize") + ": " + pair(kernel) + " is larger than the " + in.image()
                    + " images coming in (" + in.from() + ") padded by " + pair(padding) + ": " + h + "x" + w
                    + "; use a smaller kernel or more padding");
        }
    }

    private static void requireImages(ConfigObject l, Flow in, String type, String hint) {
        if (in.kind() != Kind.IMAGES) {
            throw new CliException(l.where("type") + ": " + type + " needs images (C, H, W), but " + in.comesIn() + "; " + hint);
        }
    }

    private static void refuse(ConfigObject l, Flow in, Kind kind, String type, String hint) {
        if (in.kind() == kind) {
            throw new CliException(l.where("type") + ": " + type + " after " + in.what() + " (" + in.from() + "); " + hint);
        }
    }

    private static String pair(int[] p) {
        return "(" + p[0] + ", " + p[1] + ")";
    }

    private static Module activation(String type) {
        switch (type) {
            case "ReLU":
                return new ReLU();
            case "Tanh":
                return new Tanh();
            case "Sigmoid":
                return new Sigmoid();
            case "GELU":
                return new GELU();
            default:
                return new Identity();
        }
    }
}
