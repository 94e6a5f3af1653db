package dev.normgrad.tutorials.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.normgrad.data.Dataset;
import dev.normgrad.data.Datasets;
import dev.normgrad.data.Digits;
import dev.normgrad.data.Standardizer;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.GELU;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.Normalization;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The JSON config of {@code normgrad train} (documented in tutorials/docs/command-line.md), read
 * strictly: every key is known, every value has the right type and range, and the model's widths
 * must fit the data. Relative paths (data.file, out) are relative to the config file's folder.
 *
 * @param file      the config file as the user named it, for messages
 * @param root      the config, for the history
 * @param folder    the config file's folder
 * @param epochs    passes over the training set
 * @param batchSize samples per step (the last smaller batch of an epoch is dropped)
 * @param seed      seeds the split, the weights, dropout and the batch order
 * @param out       the output folder as written (null: normgrad-train beside the config)
 */
public record TrainConfig(String file, JsonElement root, Path folder, int epochs, int batchSize, long seed, String out) {
    /** The layer types a config's model may use, the model format's names. */
    public static final List<String> LAYER_TYPES = List.of("Linear", "BatchNorm1d", "LayerNorm", "GroupNorm", "RMSNorm",
            "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "Identity", "Dropout");

    /** Reads and checks the top level; the data, model and optimizer are built by the methods below. */
    public static TrainConfig read(Path path, String shown) {
        JsonElement root = JsonFile.read(path, shown);
        ConfigObject c = new ConfigObject(root, shown, "");
        c.allowOnly("a training config", "model", "data", "optimizer", "epochs", "batchSize", "seed", "out");
        c.object("model");
        c.object("data");
        if (c.has("optimizer")) {
            c.object("optimizer");
        }
        int epochs = c.integer("epochs", 10, 1);
        int batchSize = c.integer("batchSize", 32, 1);
        long seed = c.longInteger("seed", 0);
        String out = c.has("out") ? c.string("out", null) : null;
        Path folder = path.toAbsolutePath().getParent();
        return new TrainConfig(shown, root, folder, epochs, batchSize, seed, out);
    }

    private ConfigObject top() {
        return new ConfigObject(root, file, "");
    }

    /** The training and test sets, features standardised with the training set's statistics. */
    public Dataset.Split data() {
        ConfigObject d = top().object("data");
        String set = d.string("set", null);
        Random random = new Random(seed);
        Dataset all;
        switch (set) {
            case "digits":
                d.allowOnly("data \"digits\"", "set", "testFraction");
                all = Digits.load();
                break;
            case "spirals":
                d.allowOnly("data \"spirals\"", "set", "testFraction", "perClass", "classes", "noise");
                all = Datasets.spirals(d.integer("perClass", 100, 2), d.integer("classes", 3, 2),
                        d.number("noise", 0.2, 0, 100), random);
                break;
            case "blobs":
                d.allowOnly("data \"blobs\"", "set", "testFraction", "perClass", "classes", "features", "std");
                all = Datasets.blobs(d.integer("perClass", 100, 1), d.integer("classes", 3, 2),
                        d.integer("features", 2, 1), d.number("std", 1.0, 0, 1e6), random);
                break;
            case "csv":
                d.allowOnly("data \"csv\"", "set", "testFraction", "file", "features");
                all = csv(d);
                break;
            default:
                throw new CliException(d.where("set") + ": unknown data set \"" + set + "\"; use \"digits\", \"spirals\", "
                        + "\"blobs\" or \"csv\" (with \"file\" and \"features\")");
        }
        double testFraction = d.number("testFraction", 0.2, 0.01, 0.99);
        Dataset.Split split = all.split(testFraction, random);
        if (split.train().size() < batchSize) {
            throw new CliException(top().where("batchSize") + ": " + batchSize + " is more than the " + split.train().size()
                    + " training samples; use a smaller batch");
        }
        Standardizer z = Standardizer.fit(split.train());
        return new Dataset.Split(z.transform(split.train()), z.transform(split.test()));
    }

    private Dataset csv(ConfigObject d) {
        String name = d.string("file", null);
        int features = d.integer("features", null, 1);
        Path p = folder.resolve(name).normalize();
        if (!Files.exists(p)) {
            throw new CliException(d.where("file") + ": " + p + " does not exist (a relative path is relative to the config's folder)");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new CliException(d.where("file") + ": " + p + " is not a readable file");
        }
        try {
            return Datasets.readCsv(p, features);
        } catch (RuntimeException e) {
            throw new CliException(d.where("file") + ": " + Cli.oneLine(e.getMessage()), e);
        }
    }

    /** The model the config describes, its widths inferred from the data and checked against it. */
    public Sequential model(int inFeatures, int classes, String dataName) {
        ConfigObject m = top().object("model");
        m.allowOnly("model", "layers");
        JsonArray layers = m.array("layers");
        if (layers.isEmpty()) {
            throw new CliException(m.where("layers") + ": empty; give at least a Linear to " + classes + " outputs");
        }
        Random random = new Random(seed);
        Sequential model = new Sequential();
        int width = inFeatures;
        int lastLinear = -1;
        for (int i = 0; i < layers.size(); i++) {
            ConfigObject l = new ConfigObject(layers.get(i), file, "model.layers[" + i + "]");
            String type = l.string("type", null);
            Module layer;
            switch (type) {
                case "Linear": {
                    l.allowOnly("Linear", "type", "inFeatures", "outFeatures", "bias");
                    checkWidth(l, "inFeatures", width, i, dataName);
                    int outFeatures = l.integer("outFeatures", null, 1);
                    layer = new Linear(width, outFeatures, l.bool("bias", true), random);
                    width = outFeatures;
                    lastLinear = i;
                    break;
                }
                case "BatchNorm1d":
                    l.allowOnly("BatchNorm1d", "type", "numFeatures", "eps", "momentum", "affine");
                    checkWidth(l, "numFeatures", width, i, dataName);
                    layer = new BatchNorm1d(width, l.number("eps", Normalization.DEFAULT_EPS, 0, 1e6),
                            l.nullableNumber("momentum", 0.1, 0, 1), l.bool("affine", true), true);
                    break;
                case "LayerNorm":
                    l.allowOnly("LayerNorm", "type", "normalizedShape", "eps", "elementwiseAffine");
                    checkShape(l, width, i, dataName);
                    layer = new LayerNorm(new int[] {width}, l.number("eps", Normalization.DEFAULT_EPS, 0, 1e6),
                            l.bool("elementwiseAffine", true));
                    break;
                case "RMSNorm":
                    l.allowOnly("RMSNorm", "type", "normalizedShape", "eps", "elementwiseAffine");
                    checkShape(l, width, i, dataName);
                    layer = l.has("eps") ? new RMSNorm(new int[] {width}, l.number("eps", null, 0, 1e6), l.bool("elementwiseAffine", true))
                            : new RMSNorm(new int[] {width}, new RMSNorm(width).eps(), l.bool("elementwiseAffine", true));
                    break;
                case "GroupNorm": {
                    l.allowOnly("GroupNorm", "type", "numGroups", "numChannels", "eps", "affine");
                    checkWidth(l, "numChannels", width, i, dataName);
                    int groups = l.integer("numGroups", null, 1);
                    if (width % groups != 0) {
                        throw new CliException(l.where("numGroups") + ": " + groups + " groups do not divide the " + width
                                + " channels coming in; use a divisor of " + width);
                    }
                    layer = new GroupNorm(groups, width, l.number("eps", Normalization.DEFAULT_EPS, 0, 1e6), l.bool("affine", true));
                    break;
                }
                case "ReLU":
                case "Tanh":
                case "Sigmoid":
                case "GELU":
                case "Identity":
                    l.allowOnly(type, "type");
                    layer = activation(type);
                    break;
                case "LeakyReLU":
                    l.allowOnly("LeakyReLU", "type", "negativeSlope");
                    layer = new LeakyReLU(l.number("negativeSlope", 0.01, -1e6, 1e6));
                    break;
                case "Dropout":
                    l.allowOnly("Dropout", "type", "p");
                    layer = new Dropout(l.number("p", 0.5, 0, 0.999), seed + i);
                    break;
                default:
                    throw new CliException(l.where("type") + ": unknown layer type \"" + type + "\"; known types: "
                            + String.join(", ", LAYER_TYPES));
            }
            model.add(layer);
        }
        if (lastLinear < 0) {
            throw new CliException(m.where("layers") + ": no Linear layer; the model needs a Linear to " + classes + " outputs");
        }
        if (width != classes) {
            throw new CliException(file + ": model.layers[" + lastLinear + "].outFeatures: " + width + ", but the " + dataName
                    + " data have " + classes + " classes; the last Linear gives one logit per class");
        }
        return model;
    }

    /** The optimizer over {@code model}'s parameters: SGD (lr 0.1) unless the config says otherwise. */
    public Optimizer optimizer(Module model) {
        if (!top().has("optimizer")) {
            return new SGD(model.parameters(), 0.1);
        }
        ConfigObject o = top().object("optimizer");
        String type = o.string("type", null);
        switch (type) {
            case "sgd":
                o.allowOnly("optimizer \"sgd\"", "type", "lr", "momentum", "weightDecay");
                return new SGD(model.parameters(), o.number("lr", 0.1, 1e-12, 1e3), o.number("momentum", 0.0, 0, 0.9999),
                        o.number("weightDecay", 0.0, 0, 1e3));
            case "adam":
                o.allowOnly("optimizer \"adam\"", "type", "lr", "beta1", "beta2", "eps", "weightDecay");
                return new Adam(model.parameters(), o.number("lr", 1e-3, 1e-12, 1e3), o.number("beta1", 0.9, 0, 0.9999),
                        o.number("beta2", 0.999, 0, 0.99999999), o.number("eps", 1e-8, 0, 1), o.number("weightDecay", 0.0, 0, 1e3));
            default:
                throw new CliException(o.where("type") + ": unknown optimizer \"" + type + "\"; use \"sgd\" or \"adam\"");
        }
    }

    /** The data set's name, for messages: digits, spirals, blobs, or the CSV file. */
    public String dataName() {
        ConfigObject d = top().object("data");
        String set = d.string("set", null);
        return set.equals("csv") ? d.string("file", null) : set;
    }

    private static void checkWidth(ConfigObject l, String key, int width, int index, String dataName) {
        if (l.has(key)) {
            int given = l.integer(key, null, 1);
            if (given != width) {
                throw new CliException(l.where(key) + ": " + given + ", but " + comesIn(width, index, dataName)
                        + "; leave " + key + " out to take the width coming in");
            }
        }
    }

    private static void checkShape(ConfigObject l, int width, int index, String dataName) {
        if (l.has("normalizedShape")) {
            JsonArray a = l.array("normalizedShape");
            if (a.size() != 1 || !a.get(0).isJsonPrimitive() || !a.get(0).getAsJsonPrimitive().isNumber()
                    || a.get(0).getAsDouble() != width) {
                throw new CliException(l.where("normalizedShape") + ": " + a + ", but " + comesIn(width, index, dataName)
                        + "; leave normalizedShape out to take the width coming in");
            }
        }
    }

    private static String comesIn(int width, int index, String dataName) {
        return index == 0 ? "the " + dataName + " data have " + width + " features"
                : "layer " + (index - 1) + " outputs " + width + " features";
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
