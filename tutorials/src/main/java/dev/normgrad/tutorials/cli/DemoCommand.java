package dev.normgrad.tutorials.cli;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.tutorials.charts.Charts;
import dev.normgrad.tutorials.experiments.DemoStory;
import dev.normgrad.tutorials.experiments.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code normgrad demo}: the vanishing-gradient story of {@link DemoStory} on the bundled digits —
 * a compact table on stdout, four charts (PNG) and the numbers (JSON) in an output folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Vanishing gradients in seconds, on the bundled digits: a 10-layer sigmoid MLP "
                + "without normalization, with BatchNorm1d and with LayerNorm (the gradient norm reaching each layer "
                + "at initialisation and after a short training, and the test accuracy), a tanh RNN's gradient ||dL/dh_t|| over "
                + "64 steps, and a gradient check of the BatchNorm model.",
                "Writes gradient-norms-init.png, gradient-norms-trained.png, training-loss.png, "
                        + "rnn-hidden-gradients.png and demo.json into the output folder.",
                "Matrix products run in pure Java in a fixed order, so the numbers are the same on every machine; "
                        + "--fast uses the machine's fastest kernel (OpenBLAS when installed) instead."},
        footer = {"", "Exit status: 0 done, 2 bad input (the message names what to change)."})
public final class DemoCommand implements Callable<Integer> {
    /** The files the demo writes, in the order it lists them. */
    public static final List<String> FILES = List.of("gradient-norms-init.png", "gradient-norms-trained.png",
            "training-loss.png", "rnn-hidden-gradients.png", "demo.json");

    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE} in the current folder); "
            + "created when the demo succeeds, files in it of the same names are replaced.")
    String out = "normgrad-demo";

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the split, the weights and the batches (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--steps", paramLabel = "N", description = "SGD steps per network (default: ${DEFAULT-VALUE}).")
    int steps = DemoStory.defaults(0).steps();

    @Option(names = "--fast", description = "Use the fastest matrix-product kernel of this machine (OpenBLAS when installed); "
            + "the last digits then depend on the machine.")
    boolean fast;

    public DemoCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new CliException("--steps: must be at least 1, got " + steps);
        }
        PrintStream p = context.out();
        MatMulKernel.use(fast ? MatMulKernel.select("auto") : MatMulKernel.EJML);
        DemoStory.Settings d = DemoStory.defaults(seed);
        DemoStory.Settings s = new DemoStory.Settings(d.depth(), d.width(), d.activation(), steps, d.batchSize(), d.lr(),
                d.probeSize(), d.rnnHidden(), d.rnnBatch(), seed);
        try (OutputFolder folder = OutputFolder.stage(context.resolve(out), "--out", out)) {
            DemoStory.Result r = DemoStory.run(s);
            print(p, r);
            writeCharts(folder, r);
            Cli.writeText(folder.file("demo.json"), Json.toPrettyJson(r));
            folder.commit();
            p.println();
            p.println("Wrote " + folder.target() + "/: " + String.join(", ", FILES));
        }
        return Cli.OK;
    }

    /** One line reading a column: does the gradient reach the input side, and did the network learn? */
    static String reading(DemoStory.MlpRun run) {
        double share = run.initFirstToLast();
        String gradient = share < 1e-3
                ? String.format(Locale.ROOT, "W1 gets %.0e of the output layer's gradient: it vanished on the way", share)
                : String.format(Locale.ROOT, "W1 gets %.2g of the output layer's gradient: it reached the input side", share);
        String learned = run.testAccuracy() < 0.2 ? "the network stayed at chance" : "the network learned";
        String why = run.label().equals("LayerNorm") && run.testAccuracy() < 0.2
                ? " (LayerNorm normalizes each example over its own features, not each feature over the batch; why that"
                        + " keeps this network at chance, in PyTorch too: tutorials/05-layer-norm-family.md, \"The demo's"
                        + " LayerNorm column\")"
                : "";
        return "  " + run.label() + ": " + gradient + "; " + learned + why + ".";
    }

    private static void print(PrintStream p, DemoStory.Result r) {
        DemoStory.Settings s = r.settings();
        p.printf(Locale.ROOT, "NormGrad demo: vanishing gradients and what normalization does about them (digits, seed %d)%n", s.seed());
        p.printf(Locale.ROOT, "A %d-layer %s MLP, %d units per layer, the same initial weights three ways; %d SGD steps "
                + "(batch %d, lr %s).%n", s.depth(), s.activation().label(), s.width(), s.steps(), s.batchSize(), s.lr());
        p.println(MatMulKernel.current() == MatMulKernel.EJML
                ? "Matrix products in pure Java, in a fixed order: the same numbers on every machine (--fast trades that for speed)."
                : "Matrix products by " + MatMulKernel.describe() + ": the last digits depend on the machine.");
        p.println();
        p.println("Gradient norm ||dL/dW|| reaching each Linear, input side first: at init -> after training");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-12s", "layer"));
        for (DemoStory.MlpRun run : r.mlps()) {
            head.append(String.format(Locale.ROOT, "  %-22s", run.label()));
        }
        p.println(head.toString().stripTrailing());
        int layers = r.mlps().get(0).initGradNorms().length;
        for (int l = 0; l < layers; l++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s",
                    "W" + (l + 1) + (l == layers - 1 ? " (output)" : "")));
            for (DemoStory.MlpRun run : r.mlps()) {
                row.append(String.format(Locale.ROOT, "  %-22s",
                        String.format(Locale.ROOT, "%.1e -> %.1e", run.initGradNorms()[l], run.trainedGradNorms()[l])));
            }
            p.println(row.toString().stripTrailing());
        }
        StringBuilder ratio = new StringBuilder(String.format(Locale.ROOT, "%-12s", "W1/output"));
        StringBuilder acc = new StringBuilder(String.format(Locale.ROOT, "%-12s", "test acc."));
        for (DemoStory.MlpRun run : r.mlps()) {
            ratio.append(String.format(Locale.ROOT, "  %-22s", String.format(Locale.ROOT, "%.1e at init", run.initFirstToLast())));
            acc.append(String.format(Locale.ROOT, "  %-22s", String.format(Locale.ROOT, "%.1f%%", 100 * run.testAccuracy())));
        }
        p.println(ratio.toString().stripTrailing());
        p.println(acc.toString().stripTrailing());
        for (DemoStory.MlpRun run : r.mlps()) {
            p.println(reading(run));
        }
        p.println();
        double[] h = r.rnnHiddenGradNorms();
        int last = h.length - 1;
        p.printf(Locale.ROOT, "A tanh RNN reading each image one pixel per step (%d steps), ||dL/dh_t|| at init:%n", h.length);
        StringBuilder steps = new StringBuilder(" ");
        for (int t = last; t >= 0; t -= 16) {
            steps.append(String.format(Locale.ROOT, " t=%d %.1e", t, h[t]));
        }
        if (last % 16 != 0) {
            steps.append(String.format(Locale.ROOT, " t=0 %.1e", h[0]));
        }
        p.println(steps);
        p.printf(Locale.ROOT, "  the first step gets %.1e of the gradient the last one gets.%n%n", h[0] / h[last]);
        p.println("Gradient check of the BatchNorm1d network (fast, 8 random directions): "
                + (r.gradCheckPassed() ? "passed" : "FAILED") + " — the gradients above are the true ones.");
    }

    /** ‖∂L/∂W‖ against the layer, log scale, the legend in the empty lower right. */
    private static BufferedImage perLayer(String title, double[] layer, Map<String, double[]> norms) {
        XYChart chart = Charts.lineChart(title, "‖∂L/∂W‖ (log scale)", layer, norms, Charts.Scale.LOG);
        chart.setXAxisTitle("Linear layer (1 = input side)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return Charts.image(chart);
    }

    private static void writeCharts(OutputFolder folder, DemoStory.Result r) {
        Map<String, double[]> init = new LinkedHashMap<>();
        Map<String, double[]> trained = new LinkedHashMap<>();
        Map<String, double[]> loss = new LinkedHashMap<>();
        for (DemoStory.MlpRun run : r.mlps()) {
            init.put(run.label(), run.initGradNorms());
            trained.put(run.label(), run.trainedGradNorms());
            loss.put(run.label(), run.loss());
        }
        double[] layer = new double[r.mlps().get(0).initGradNorms().length];
        for (int l = 0; l < layer.length; l++) {
            layer[l] = l + 1;
        }
        String net = r.settings().depth() + "-layer " + r.settings().activation().label() + " MLP";
        Charts.writePng(perLayer("Gradient per layer at init (" + net + ")", layer, init), folder.file("gradient-norms-init.png"));
        Charts.writePng(perLayer("Gradient per layer after " + r.settings().steps() + " steps (" + net + ")", layer, trained),
                folder.file("gradient-norms-trained.png"));
        Charts.writePng(Charts.lineOverSteps("Training loss (" + net + ", digits)", "cross-entropy", loss, Charts.Scale.LINEAR),
                folder.file("training-loss.png"));
        Charts.writePng(Charts.gradientNormsOverTime("tanh RNN over " + r.rnnHiddenGradNorms().length + " pixels, at init",
                Map.of("‖∂L/∂h_t‖", r.rnnHiddenGradNorms())), folder.file("rnn-hidden-gradients.png"));
    }
}
