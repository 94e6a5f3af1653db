package dev.normgrad.tutorials.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.DataLoader;
import dev.normgrad.data.Dataset;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Sequential;
import dev.normgrad.optim.NonFiniteGradientException;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.tutorials.charts.Charts;
import dev.normgrad.tutorials.experiments.Training;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code normgrad train CONFIG.json}: trains the network a JSON config describes — an MLP, a CNN, or
 * a recurrent network reading each sample as a sequence ({@link TrainConfig};
 * tutorials/docs/command-line.md) — with softmax cross-entropy, showing a progress bar with the loss
 * and accuracy on stderr, and writes into the output folder, all or nothing: {@code model.json}
 * (the model format, loadable by {@code ModelIO.load} and {@code normgrad gradcheck}),
 * {@code history.json} (per epoch: training and test loss and accuracy) and the charts
 * {@code loss.png} and {@code accuracy.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Train a network (MLP, CNN or RNN) from a JSON config (model layers, data set, optimizer, epochs, "
                + "batch size, seed; see tutorials/docs/command-line.md) with a progress bar.",
                "Writes model.json (loadable by gradcheck), history.json, loss.png and accuracy.png into the output folder."},
        footer = {"", "Exit status: 0 done, 2 bad input (the message names the file and the field)."})
public final class TrainCommand implements Callable<Integer> {
    /** The files train writes. */
    public static final List<String> FILES = List.of("model.json", "history.json", "loss.png", "accuracy.png");

    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "CONFIG.json", description = "The training config.")
    String config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder, instead of the config's \"out\" "
            + "(default: normgrad-train beside the config).")
    String out;

    public TrainCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        TrainConfig c = TrainConfig.read(context.resolve(config), config);
        Dataset.Split data = c.data();
        Sequential model = c.model(data.train().numFeatures(), data.train().numClasses(), c.dataName());
        dryRun(model, data.train(), c.dataName());
        Optimizer optimizer = c.optimizer(model);
        Path target = out != null ? context.resolve(out)
                : c.folder().resolve(c.out() != null ? c.out() : "normgrad-train").normalize();
        String field = out != null ? "--out" : config + ": out";
        PrintStream p = context.out();
        try (OutputFolder folder = OutputFolder.stage(target, field, out != null ? out : c.out() != null ? c.out() : "normgrad-train")) {
            p.printf(Locale.ROOT, "Training on %s: %d training and %d test samples, %d features, %d classes%n",
                    c.dataName(), data.train().size(), data.test().size(), data.train().numFeatures(), data.train().numClasses());
            p.println(model);
            JsonArray epochs = train(c, data, model, optimizer, p);
            try {
                ModelIO.save(model, folder.file("model.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(target + ": could not save the model (" + e.getMessage() + ")", e);
            }
            JsonObject history = new JsonObject();
            history.addProperty("config", config);
            history.add("settings", c.root());
            history.addProperty("trainSize", data.train().size());
            history.addProperty("testSize", data.test().size());
            history.add("epochs", epochs);
            Cli.writeText(folder.file("history.json"), new GsonBuilder().setPrettyPrinting().create().toJson(history));
            writeCharts(folder, epochs, c.dataName());
            folder.commit();
            p.println("Wrote " + folder.target() + "/: " + String.join(", ", FILES));
        }
        return Cli.OK;
    }

    /**
     * One evaluation-mode forward of two samples, which changes no state: a shape the config's checks
     * let through would fail here, naming the layer, before anything is trained or written.
     */
    private void dryRun(Sequential model, Dataset train, String dataName) {
        int n = train.numFeatures();
        Tensor two = Tensor.of(2, n, Arrays.copyOf(train.features().data().data, 2 * n));
        try (NoGrad off = NoGrad.enter()) {
            model.eval();
            model.apply(two);
        } catch (ShapeException e) {
            throw new CliException(config + ": model: the model does not run on the " + dataName + " data: " + e.getMessage(), e);
        } finally {
            model.train();
        }
    }

    private JsonArray train(TrainConfig c, Dataset.Split data, Sequential model, Optimizer optimizer, PrintStream p) {
        DataLoader loader = new DataLoader(data.train(), c.batchSize(), true, true, new Random(c.seed()));
        JsonArray epochs = new JsonArray();
        p.println("epoch  train loss  train acc  test loss  test acc");
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("train").setInitialMax((long) c.epochs() * loader.numBatches())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(context.err(), 100));
        try (ProgressBar pb = bar.build()) {
            for (int epoch = 1; epoch <= c.epochs(); epoch++) {
                double sum = 0;
                int n = 0;
                for (Batch batch : loader) {
                    double loss;
                    try {
                        loss = Training.step(model, optimizer, batch);
                    } catch (NonFiniteGradientException e) {
                        // the optimizer refused the step (nothing was updated): the same divergence, seen one op later
                        throw new CliException(config + ": optimizer.lr: training diverged (a gradient became non-finite"
                                + " in epoch " + epoch + "); lower the learning rate", e);
                    }
                    if (!Double.isFinite(loss)) {
                        throw new CliException(config + ": optimizer.lr: training diverged (the loss became " + loss
                                + " in epoch " + epoch + "); lower the learning rate");
                    }
                    sum += loss;
                    n++;
                    pb.step();
                    pb.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d loss %.4g", epoch, c.epochs(), sum / n));
                }
                Training.Evaluation train = Training.evaluate(model, data.train());
                Training.Evaluation test = Training.evaluate(model, data.test());
                pb.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d loss %.4g acc %.1f%%", epoch, c.epochs(),
                        train.loss(), 100 * train.accuracy()));
                JsonObject e = new JsonObject();
                e.addProperty("epoch", epoch);
                e.addProperty("trainLoss", train.loss());
                e.addProperty("trainAccuracy", train.accuracy());
                e.addProperty("testLoss", test.loss());
                e.addProperty("testAccuracy", test.accuracy());
                epochs.add(e);
                p.printf(Locale.ROOT, "%5d  %10.4f  %8.1f%%  %9.4f  %7.1f%%%n", epoch, train.loss(), 100 * train.accuracy(),
                        test.loss(), 100 * test.accuracy());
            }
        }
        return epochs;
    }

    private static void writeCharts(OutputFolder folder, JsonArray epochs, String dataName) {
        int n = epochs.size();
        double[] x = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] testAcc = new double[n];
        for (int i = 0; i < n; i++) {
            JsonObject e = epochs.get(i).getAsJsonObject();
            x[i] = i + 1;
            trainLoss[i] = e.get("trainLoss").getAsDouble();
            testLoss[i] = e.get("testLoss").getAsDouble();
            trainAcc[i] = e.get("trainAccuracy").getAsDouble();
            testAcc[i] = e.get("testAccuracy").getAsDouble();
        }
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("training set", trainLoss);
        loss.put("test set", testLoss);
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("training set", trainAcc);
        acc.put("test set", testAcc);
        // the loss falls and the accuracy rises: each legend goes where its curves are not
        Charts.writePng(perEpoch("Cross-entropy after each epoch (" + dataName + ")", "loss", x, loss,
                Styler.LegendPosition.InsideNE), folder.file("loss.png"));
        Charts.writePng(perEpoch("Accuracy after each epoch (" + dataName + ")", "accuracy", x, acc,
                Styler.LegendPosition.InsideSE), folder.file("accuracy.png"));
    }

    private static BufferedImage perEpoch(String title, String yLabel, double[] epochs, Map<String, double[]> series,
                                          Styler.LegendPosition legend) {
        XYChart chart = Charts.lineChart(title, yLabel, epochs, series, Charts.Scale.LINEAR);
        chart.setXAxisTitle("epoch");
        chart.getStyler().setLegendPosition(legend);
        return Charts.image(chart);
    }
}
