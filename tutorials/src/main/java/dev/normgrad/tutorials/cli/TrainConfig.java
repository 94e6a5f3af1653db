package dev.normgrad.tutorials.cli;

import com.google.gson.JsonElement;
import dev.normgrad.data.Dataset;
import dev.normgrad.data.Datasets;
import dev.normgrad.data.Digits;
import dev.normgrad.data.Standardizer;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    public static final List<String> LAYER_TYPES = ConfigModel.LAYER_TYPES;

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
                d.allowOnly("data \"csv\"", "set", "testFraction", "file", "features", "shape");
                all = csv(d);
                break;
            default:
                throw new CliException(d.where("set") + ": unknown data set \"" + set + "\"; use \"digits\", \"spirals\", "
                        + "\"blobs\" or \"csv\" (with \"file\" and \"features\")");
        }
        imageShape();   // a CSV's declared images must be its rows
        double testFraction = d.number("testFraction", 0.2, 0.01, 0.99);
        Dataset.Split split;
        try {
            split = all.split(testFraction, random);
        } catch (IllegalArgumentException e) {
            throw new CliException(d.where("testFraction") + ": " + Cli.oneLine(e.getMessage()), e);
        }
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

    /**
     * The model the config describes ({@link ConfigModel}): each layer's sizes taken from what comes in —
     * the data's features, read as (1, 8, 8) images for the digits or as the images a CSV declares with
     * {@code "shape"} — and every size the config writes checked against it.
     */
    public Sequential model(int inFeatures, int classes, String dataName) {
        return ConfigModel.build(top().object("model"), file, seed, inFeatures, imageShape(), classes, dataName);
    }

    /** The data's images: (1, 8, 8) for the digits, a CSV's {@code "shape"}, or null for plain features. */
    public ImageShape imageShape() {
        ConfigObject d = top().object("data");
        String set = d.string("set", null);
        if (set.equals("digits")) {
            return new ImageShape(1, 8, 8);
        }
        if (!set.equals("csv") || !d.has("shape")) {
            return null;
        }
        int[] s = d.positiveIntegers("shape");
        int features = d.integer("features", null, 1);
        if (s.length != 3 || (long) s[0] * s[1] * s[2] != features) {
            throw new CliException(d.where("shape") + ": " + Arrays.toString(s) + " is not [C, H, W] with C·H·W = "
                    + "features = " + features + "; give the image shape each row of " + features + " values holds");
        }
        return new ImageShape(s[0], s[1], s[2]);
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
}
