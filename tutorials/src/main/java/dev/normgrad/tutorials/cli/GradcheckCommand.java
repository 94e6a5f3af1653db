package dev.normgrad.tutorials.cli;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.gradcheck.GraphCheckReport;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.AvgPool2d;
import dev.normgrad.nn.Conv1d;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.MaxPool2d;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.norm.RunningStatsNormalization;
import dev.normgrad.norm.WeightNorm;
import dev.normgrad.recurrent.Recurrent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code normgrad gradcheck MODEL.json}: builds a saved model ({@link ModelIO}, layers/MODEL-FORMAT.md),
 * feeds it a seeded random input of the width its first layer takes (or the tensor in {@code --input}),
 * and compares every parameter's and the input's gradient with central differences
 * ({@link GradCheck}); with {@code --locate}, checks every op of the model on its own and names the
 * first wrong one ({@link GradCheck#locate}). {@code --seed} seeds both the input and the check's
 * projection, so the text and the JSON report the same seed. Exit status 0 when every entry passes,
 * 1 when one fails (or the forward is not repeatable): a grader scripts it with {@code --json}.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Gradient-check a saved model (layers/MODEL-FORMAT.md): every parameter and the input, "
                + "on a seeded random input whose width the first layer gives (or --input), against central differences.",
                "A recurrent model gets a sequence of --steps steps. --locate checks every op on its own and names the first wrong one."},
        footer = {"", "Exit status: 0 the check passed, 1 it failed (a wrong op found with --locate, or a forward that is not "
                + "repeatable), 2 bad input (the message names the file and the field)."})
public final class GradcheckCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A saved model (ModelIO.save).")
    String model;

    @Option(names = "--fast", description = "Check along random directions instead of every entry (fast on large models).")
    boolean fast;

    @Option(names = "--directions", paramLabel = "K", description = "Random directions of --fast (default: ${DEFAULT-VALUE}).")
    int directions = 8;

    @Option(names = "--json", description = "Print the report as JSON (schema normgrad-gradcheck, or normgrad-graphcheck "
            + "with --locate), for autograders.")
    boolean json;

    @Option(names = "--locate", description = "Check every op of the model on its own, in forward order, and name the first "
            + "wrong one: its class, the layer that created it, its input shapes and what is wrong with its gradient.")
    boolean locate;

    @Option(names = "--input", paramLabel = "FILE", description = "The input: a JSON tensor, [[...], ...] or "
            + "{\"shape\": [rows, cols], \"data\": [...]}; for a recurrent model its steps side by side.")
    String input;

    @Option(names = "--batch", paramLabel = "N", description = "Rows of the generated input (default: ${DEFAULT-VALUE}).")
    int batch = 4;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the generated input and the check's random projection "
            + "(default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--features", paramLabel = "F", description = "Input width, when the first layer does not say "
            + "(an activation, InstanceNorm1d); for a recurrent model, features per step.")
    Integer features;

    @Option(names = "--steps", paramLabel = "T", description = "Sequence length of the generated input for a recurrent model (default: ${DEFAULT-VALUE}).")
    int steps = 4;

    @Option(names = "--eval", description = "Check in evaluation mode (running statistics, no dropout); default: training mode.")
    boolean eval;

    public GradcheckCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new CliException("--batch: must be at least 1, got " + batch);
        }
        if (steps < 1) {
            throw new CliException("--steps: must be at least 1, got " + steps);
        }
        if (directions < 1) {
            throw new CliException("--directions: must be at least 1, got " + directions);
        }
        Module net = load(context.resolve(model), model, context);
        net.train(!eval);
        Tensor[] inputs = inputs(net);
        GradCheck check = new GradCheck(GradCheck.DEFAULT_STEP, GradCheck.DEFAULT_ATOL, GradCheck.DEFAULT_RTOL, seed);
        boolean passed;
        String text;
        String asJson;
        try {
            if (locate) {
                GraphCheckReport report = fast ? check.opByOp(net, directions, inputs) : check.opByOp(net, inputs);
                passed = report.passed();
                text = report.toString();
                asJson = json ? report.toJson() : null;
            } else {
                GradCheckReport report = fast ? check.fast(net, directions, inputs) : check.full(net, inputs);
                passed = report.passed();
                text = report.toString();
                asJson = json ? report.toJson() : null;
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(model + ": the model does not run on a " + describe(inputs) + " input: " + e.getMessage(), e);
        }
        if (json) {
            context.out().println(asJson);
        } else {
            context.out().printf(Locale.ROOT, "%s: %s, %d parameter tensors; input %s (%s), %s mode%n", model,
                    net.getClass().getSimpleName(), net.namedParameters().size(), describe(inputs),
                    input == null ? "seeded normal, seed " + seed : input, eval ? "evaluation" : "training");
            context.out().println(text);
        }
        return passed ? Cli.OK : Cli.CHECK_FAILED;
    }

    /** Loads a model file, turning a missing or unreadable file into a one-line {@link CliException}. */
    static Module load(Path file, String shown, Context context) {
        JsonFile.requireNotFolder(file, shown);
        try {
            return ModelIO.load(file, context.registry());
        } catch (IOException e) {
            throw JsonFile.unreadable(shown, e);
        }
    }

    private Tensor[] inputs(Module net) {
        Module first = firstLayer(net);
        Integer inferred = inputWidth(first);
        boolean sequence = first instanceof Recurrent;
        if (features != null && features < 1) {
            throw new CliException("--features: must be at least 1, got " + features);
        }
        if (features != null && inferred != null && !features.equals(inferred)) {
            throw new CliException("--features " + features + ": " + model + "'s first layer, " + first.getClass().getSimpleName()
                    + ", takes " + inferred + (sequence ? " features per step" : " features") + "; leave --features out");
        }
        Integer width = features != null ? features : inferred;
        if (input == null && width == null) {
            throw new CliException(model + ": the first layer, " + first.getClass().getSimpleName()
                    + ", does not say how wide its input is; give --features F (or --input FILE)");
        }
        Tensor x;
        if (input != null) {
            int[] shape = new int[2];
            double[] data = JsonFile.tensor(JsonFile.read(context.resolve(input), input), input, shape);
            if (sequence) {
                // the steps side by side: their number is the width over the features per step
                if (shape[1] % width != 0) {
                    throw new CliException(input + ": shape " + shape[0] + "x" + shape[1] + ", but " + model
                            + "'s first layer, " + first.getClass().getSimpleName() + ", takes steps of " + width
                            + " features side by side: the columns must be a multiple of " + width);
                }
                steps = shape[1] / width;
            } else if (width != null && shape[1] != width) {
                throw new CliException(input + ": shape " + shape[0] + "x" + shape[1] + ", but " + model + "'s first layer, "
                        + first.getClass().getSimpleName() + ", takes " + width + " columns (features)");
            }
            x = Tensor.of(shape[0], shape[1], data);
        } else {
            x = Tensor.randn(batch, sequence ? width * steps : width, new Random(seed));
        }
        if (net instanceof Recurrent) {
            int w = x.cols() / steps;
            List<Tensor> list = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                list.add(x.sliceColumns(t * w, (t + 1) * w).detach());
            }
            return list.toArray(new Tensor[0]);
        }
        return new Tensor[] {x};
    }

    private static Module firstLayer(Module m) {
        if (m instanceof Sequential s && s.size() > 0) {
            return firstLayer(s.get(0));
        }
        if (m instanceof WeightNorm w) {
            return firstLayer(w.module());
        }
        return m;
    }

    /** The input width {@code first} takes (per step for a recurrent layer), or null when it does not say. */
    static Integer inputWidth(Module first) {
        if (first instanceof Linear l) {
            return l.inFeatures();
        }
        if (first instanceof InstanceNorm1d || first instanceof InstanceNorm2d || first instanceof Conv1d) {
            return null;   // channels of positions: the length is the user's to give (--features)
        }
        if (first instanceof Conv2d c) {
            return c.inputShape().size();
        }
        if (first instanceof MaxPool2d p) {
            return p.inputShape().size();
        }
        if (first instanceof AvgPool2d p) {
            return p.inputShape().size();
        }
        if (first instanceof RunningStatsNormalization n) {
            return n.numFeatures();
        }
        if (first instanceof LayerNorm n) {
            return product(n.normalizedShape());
        }
        if (first instanceof RMSNorm n) {
            return product(n.normalizedShape());
        }
        if (first instanceof GroupNorm n) {
            return n.numChannels();
        }
        if (first instanceof Recurrent r) {
            return r.inputSize();
        }
        return null;
    }

    private static int product(int[] shape) {
        int p = 1;
        for (int s : shape) {
            p *= s;
        }
        return p;
    }

    private static String describe(Tensor[] inputs) {
        return inputs.length == 1 ? inputs[0].rows() + "x" + inputs[0].cols()
                : inputs.length + " steps of " + inputs[0].rows() + "x" + inputs[0].cols();
    }
}
