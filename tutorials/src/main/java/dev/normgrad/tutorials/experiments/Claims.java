package dev.normgrad.tutorials.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The seed's claims about normalization, each read off the experiments' results for one or more
 * seeds: a measure for the normalized model ({@code value}), often against a baseline
 * ({@code reference}), and whether the claim's direction held for each seed. The numbers are the
 * experiments' own; nothing is re-run here.
 */
public final class Claims {
    /** The claims, as the notebooks issue states them (index 0 is claim 1). */
    public static final List<String> STATEMENTS = List.of(
            "Normalization makes activations zero-mean, unit-variance over its axes; the learnable affine restores what the network needs.",
            "It speeds convergence.",
            "It mitigates vanishing gradients.",
            "It lowers sensitivity to weight initialisation.",
            "It can improve generalization.",
            "BatchNorm normalizes over the mini-batch, LayerNorm over each example's features.",
            "BatchNorm suits feed-forward/convolutional nets, LayerNorm suits recurrent ones.",
            "Its parameters matter (momentum, eps, batch size), and it can hurt very small networks or particular tasks.");

    private Claims() {
    }

    /** The results of every experiment for one seed. */
    public record SeedResults(long seed, VanishingGradients.Result vanishingGradients, BatchNormExperiments.Result batchNorm,
                              LayerNormFamily.Result layerNormFamily) {
    }

    /**
     * One piece of evidence for a claim.
     *
     * @param claim      the claim's number, 1..8
     * @param experiment the experiment and the part of its result read
     * @param measure    what {@code value} and {@code reference} are
     * @param holdsWhen  the claim's direction, in terms of value and reference
     * @param value      per seed, the measure for the normalized model
     * @param reference  per seed, the baseline's (NaN where there is none)
     * @param holds      per seed, whether the direction held
     * @param heldFor    how many seeds it held for
     */
    public record Evidence(int claim, String experiment, String measure, String holdsWhen, double[] value, double[] reference,
                           boolean[] holds, int heldFor) {
        /** {@code "3/3"}. */
        public String tally() {
            return heldFor + "/" + holds.length;
        }
    }

    /** Reads every piece of evidence off the results of each seed. */
    public static List<Evidence> evaluate(List<SeedResults> seeds) {
        List<Evidence> out = new ArrayList<>();
        Builder b = new Builder(seeds, out);

        // ---- claim 1
        b.add(1, "LayerNormFamily.normalizedStatistics", "max |mean| of the output over its own axes (BN, LN, GN, IN); reference: the input's",
                "value < 1e-12",
                r -> maxOverCentred(r, l -> l.maxAbsMean()), r -> r.layerNormFamily().normalizedStatistics().layers().get(1).inputMeanRange()[1],
                (v, ref) -> v < 1e-12);
        b.add(1, "LayerNormFamily.normalizedStatistics", "max |variance − 1| of the output over its own axes (BN, LN, GN, IN)",
                "value < 1e-3 (σ²/(σ² + eps) differs from 1 by eps/σ²)",
                r -> maxOverCentred(r, l -> l.maxAbsVarMinusOne()), r -> Double.NaN, (v, ref) -> v < 1e-3);
        b.add(1, "LayerNormFamily.normalizedStatistics", "max |y − x| of a BatchNorm with γ = √(σ_B² + eps), β = μ_B",
                "value < 1e-12: the affine can undo the normalization",
                r -> r.layerNormFamily().normalizedStatistics().identityError(), r -> Double.NaN, (v, ref) -> v < 1e-12);
        for (int i = 0; i < 4; i++) {
            int k = i;
            LayerNormFamily.AffineAblation first = seeds.get(0).layerNormFamily().affineAblation().get(k);
            String pair = first.normalization() + ", " + first.activation();
            b.add(1, "LayerNormFamily.affineAblation", "test accuracy with γ, β; reference: without (" + pair + ")",
                    "value > reference: the affine helps",
                    r -> r.layerNormFamily().affineAblation().get(k).withAffine(),
                    r -> r.layerNormFamily().affineAblation().get(k).withoutAffine(), (v, ref) -> v > ref);
            b.add(1, "LayerNormFamily.affineAblation", "test loss with γ, β; reference: without (" + pair + ")",
                    "value < reference: the affine helps",
                    r -> r.layerNormFamily().affineAblation().get(k).withAffineLoss(),
                    r -> r.layerNormFamily().affineAblation().get(k).withoutAffineLoss(), (v, ref) -> v < ref);
        }

        // ---- claim 2
        b.add(2, "BatchNormExperiments.figure1", "steps to 90% test accuracy with BN; reference: without (-1: never)",
                "value < reference", r -> stepsTo(r.batchNorm().figure1().withBatchNorm(), 0.9),
                r -> stepsTo(r.batchNorm().figure1().withoutBatchNorm(), 0.9), Claims::sooner);
        for (int i = 0; i < seeds.get(0).batchNorm().convergence().runs().size() / 2; i++) {
            int k = i;
            double lr = seeds.get(0).batchNorm().convergence().runs().get(2 * k).learningRate();
            b.add(2, "BatchNormExperiments.convergence", "steps to 90% test accuracy with BN; reference: without (ReLU, lr " + lr
                            + ", -1: never)", "value < reference",
                    r -> r.batchNorm().convergence().runs().get(2 * k + 1).stepsTo90(),
                    r -> r.batchNorm().convergence().runs().get(2 * k).stepsTo90(), Claims::sooner);
            b.add(2, "BatchNormExperiments.convergence", "mean test accuracy over the run (area under the curve) with BN; "
                            + "reference: without (ReLU, lr " + lr + ")", "value > reference",
                    r -> r.batchNorm().convergence().runs().get(2 * k + 1).meanTestAccuracy(),
                    r -> r.batchNorm().convergence().runs().get(2 * k).meanTestAccuracy(), (v, ref) -> v > ref);
        }

        // ---- claim 3
        for (String init : new String[] {"default", "N(0,0.01^2)"}) {
            b.add(3, "VanishingGradients", "‖∂L/∂s‖ of layer 1 / of layer 8 at init, sigmoid, " + init + ", with BN; reference: without",
                    "|log10 value| < |log10 reference|: closer to 1",
                    r -> run(r, "sigmoid, " + init + ", BN").gradientRatio(), r -> run(r, "sigmoid, " + init).gradientRatio(),
                    (v, ref) -> Math.abs(Math.log10(v)) < Math.abs(Math.log10(ref)));
        }

        // ---- claim 4
        for (String act : new String[] {"sigmoid", "relu"}) {
            Function<SeedResults, BatchNormExperiments.InitSweep> sweep = act.equals("sigmoid")
                    ? r -> r.batchNorm().initScaleSigmoid() : r -> r.batchNorm().initScaleRelu();
            b.add(4, "BatchNormExperiments.initScaleSweep", "spread (max − min) of test accuracy over σ in " + sigmas(seeds.get(0), act)
                            + ", " + act + ", with BN; reference: without", "value < reference",
                    r -> spread(sweep.apply(r), true), r -> spread(sweep.apply(r), false), (v, ref) -> v < ref);
        }

        // ---- claim 5
        b.add(5, "BatchNormExperiments.figure1", "final test accuracy with BN; reference: without", "value > reference",
                r -> last(r.batchNorm().figure1().withBatchNorm().testAccuracy()),
                r -> last(r.batchNorm().figure1().withoutBatchNorm().testAccuracy()), (v, ref) -> v > ref);
        for (int i = 0; i < seeds.get(0).batchNorm().convergence().runs().size() / 2; i++) {
            int k = i;
            double lr = seeds.get(0).batchNorm().convergence().runs().get(2 * k).learningRate();
            b.add(5, "BatchNormExperiments.convergence", "final test accuracy with BN; reference: without (ReLU, lr " + lr + ")",
                    "value > reference", r -> r.batchNorm().convergence().runs().get(2 * k + 1).finalTestAccuracy(),
                    r -> r.batchNorm().convergence().runs().get(2 * k).finalTestAccuracy(), (v, ref) -> v > ref);
            b.add(5, "BatchNormExperiments.convergence", "train − test accuracy with BN; reference: without (ReLU, lr " + lr + ")",
                    "value < reference: a smaller generalization gap", r -> gap(r.batchNorm().convergence().runs().get(2 * k + 1)),
                    r -> gap(r.batchNorm().convergence().runs().get(2 * k)), (v, ref) -> v < ref);
        }

        // ---- claim 6
        b.add(6, "LayerNormFamily.batchDependence", "max change of one sample's LayerNorm output when its batch-mates change; "
                        + "reference: BatchNorm's (training mode)", "value = 0 and reference > 0",
                r -> change(r, "LayerNorm"), r -> change(r, "BatchNorm1d (train)"), (v, ref) -> v == 0 && ref > 0);

        // ---- claim 7 (feed-forward side only)
        b.add(7, "LayerNormFamily.batchSizeSweep", "mean test accuracy over batch sizes >= 32 with BatchNorm; reference: LayerNorm "
                        + "(feed-forward side only: the recurrent side is notebook 6)", "value >= reference",
                r -> meanAccuracy(r, "BatchNorm", 32), r -> meanAccuracy(r, "LayerNorm", 32), (v, ref) -> v >= ref);

        // ---- claim 8
        b.add(8, "BatchNormExperiments.smallBatches", "test accuracy at batch size 2 with BN; reference: without",
                "value < reference: BN hurts", r -> smallBatch(r, 2, true), r -> smallBatch(r, 2, false), (v, ref) -> v < ref);
        b.add(8, "LayerNormFamily.batchSizeSweep", "test accuracy at batch size 2 with BatchNorm; reference: LayerNorm",
                "value < reference", r -> sweepAccuracy(r, "BatchNorm", 2), r -> sweepAccuracy(r, "LayerNorm", 2), (v, ref) -> v < ref);
        b.add(8, "BatchNormExperiments.momentumSweep", "eval-mode test accuracy with momentum 0.001; reference: momentum 0.1",
                "value < reference: momentum matters", r -> momentum(r, "0.001"), r -> momentum(r, "0.1"), (v, ref) -> v < ref);
        b.add(8, "BatchNormExperiments.epsSweep", "test accuracy with eps = 100; reference: eps = 1e-5",
                "value < reference: eps matters", r -> eps(r, 100), r -> eps(r, 1e-5), (v, ref) -> v < ref);
        for (int w : new int[] {2, 4}) {
            b.add(8, "BatchNormExperiments.tinyNetworks", "mean test accuracy (over its seeds) of 64-" + w + "-10 with BN; reference: without",
                    "value < reference: BN hurts a very small network", r -> tiny(r, w, true), r -> tiny(r, w, false), (v, ref) -> v < ref);
        }
        return out;
    }

    /** The evidence as a plain-text table: claim, tally, measure, values per seed. */
    public static String table(List<Evidence> evidence) {
        StringBuilder s = new StringBuilder();
        for (Evidence e : evidence) {
            s.append(String.format(Locale.ROOT, "claim %d  held %s  %s: %s [%s]%n", e.claim(), e.tally(), e.experiment(), e.measure(),
                    e.holdsWhen()));
            for (int i = 0; i < e.value().length; i++) {
                s.append(String.format(Locale.ROOT, "      value %-12s reference %-12s %s%n", fmt(e.value()[i]), fmt(e.reference()[i]),
                        e.holds()[i] ? "holds" : "does not hold"));
            }
        }
        return s.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    // ------------------------------------------------------------------ readers

    private static double maxOverCentred(SeedResults r, ToDoubleFunction<LayerNormFamily.LayerStatistics> f) {
        double m = 0;
        for (LayerNormFamily.LayerStatistics l : r.layerNormFamily().normalizedStatistics().layers()) {
            if (!l.layer().equals("RMSNorm")) {
                m = Math.max(m, f.applyAsDouble(l));
            }
        }
        return m;
    }

    private static double stepsTo(BatchNormExperiments.Figure1Curve c, double threshold) {
        for (int i = 0; i < c.steps().length; i++) {
            if (c.testAccuracy()[i] >= threshold) {
                return c.steps()[i];
            }
        }
        return -1;
    }

    /** value sooner than reference, −1 meaning never. */
    private static boolean sooner(double value, double reference) {
        if (value < 0) {
            return false;
        }
        return reference < 0 || value < reference;
    }

    private static VanishingGradients.Run run(SeedResults r, String label) {
        for (VanishingGradients.Run run : r.vanishingGradients().runs()) {
            if (run.label().equals(label)) {
                return run;
            }
        }
        throw new IllegalArgumentException("Claims: no VanishingGradients run labelled '" + label + "'");
    }

    private static String sigmas(SeedResults r, String act) {
        BatchNormExperiments.InitSweep s = act.equals("sigmoid") ? r.batchNorm().initScaleSigmoid() : r.batchNorm().initScaleRelu();
        List<String> values = new ArrayList<>();
        for (BatchNormExperiments.InitSweepPoint p : s.points()) {
            String v = String.valueOf(p.initStd());
            if (!values.contains(v)) {
                values.add(v);
            }
        }
        return "{" + String.join(", ", values) + "}";
    }

    private static double spread(BatchNormExperiments.InitSweep sweep, boolean batchNorm) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (BatchNormExperiments.InitSweepPoint p : sweep.points()) {
            if (p.batchNorm() == batchNorm) {
                lo = Math.min(lo, p.testAccuracy());
                hi = Math.max(hi, p.testAccuracy());
            }
        }
        return hi - lo;
    }

    private static double last(double[] v) {
        return v[v.length - 1];
    }

    private static double gap(BatchNormExperiments.ConvergenceRun run) {
        return run.finalTrainAccuracy() - run.finalTestAccuracy();
    }

    private static double change(SeedResults r, String layer) {
        for (LayerNormFamily.BatchDependencePoint p : r.layerNormFamily().batchDependence().layers()) {
            if (p.layer().equals(layer)) {
                return p.maxChange();
            }
        }
        throw new IllegalArgumentException("Claims: no batch-dependence result for " + layer);
    }

    private static double meanAccuracy(SeedResults r, String normalization, int minBatch) {
        double sum = 0;
        int n = 0;
        for (LayerNormFamily.BatchSizePoint p : r.layerNormFamily().batchSizeSweep().points()) {
            if (p.normalization().equals(normalization) && p.batchSize() >= minBatch) {
                sum += p.testAccuracy();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double sweepAccuracy(SeedResults r, String normalization, int batch) {
        for (LayerNormFamily.BatchSizePoint p : r.layerNormFamily().batchSizeSweep().points()) {
            if (p.normalization().equals(normalization) && p.batchSize() == batch) {
                return p.testAccuracy();
            }
        }
        return Double.NaN;
    }

    private static double smallBatch(SeedResults r, int batch, boolean bn) {
        for (BatchNormExperiments.SmallBatchPoint p : r.batchNorm().sensitivity().smallBatches()) {
            if (p.batchSize() == batch && p.batchNorm() == bn) {
                return p.evalAccuracy();
            }
        }
        return Double.NaN;
    }

    private static double momentum(SeedResults r, String m) {
        for (BatchNormExperiments.MomentumPoint p : r.batchNorm().sensitivity().momentum()) {
            if (p.momentum().equals(m)) {
                return p.evalAccuracy();
            }
        }
        return Double.NaN;
    }

    private static double eps(SeedResults r, double e) {
        for (BatchNormExperiments.EpsPoint p : r.batchNorm().sensitivity().eps()) {
            if (p.eps() == e) {
                return p.testAccuracy();
            }
        }
        return Double.NaN;
    }

    private static double tiny(SeedResults r, int width, boolean bn) {
        for (BatchNormExperiments.WidthPoint p : r.batchNorm().sensitivity().tinyNetworks()) {
            if (p.width() == width && p.batchNorm() == bn) {
                return p.meanAccuracy();
            }
        }
        return Double.NaN;
    }

    /** Collects evidence rows, one value per seed. */
    private static final class Builder {
        private final List<SeedResults> seeds;
        private final List<Evidence> out;

        Builder(List<SeedResults> seeds, List<Evidence> out) {
            this.seeds = seeds;
            this.out = out;
        }

        interface Holds {
            boolean test(double value, double reference);
        }

        void add(int claim, String experiment, String measure, String holdsWhen, ToDoubleFunction<SeedResults> value,
                 ToDoubleFunction<SeedResults> reference, Holds holds) {
            int n = seeds.size();
            double[] v = new double[n];
            double[] ref = new double[n];
            boolean[] h = new boolean[n];
            int held = 0;
            for (int i = 0; i < n; i++) {
                v[i] = value.applyAsDouble(seeds.get(i));
                ref[i] = reference.applyAsDouble(seeds.get(i));
                h[i] = holds.test(v[i], ref[i]);
                if (h[i]) {
                    held++;
                }
            }
            out.add(new Evidence(claim, experiment, measure, holdsWhen, v, ref, h, held));
        }
    }
}
