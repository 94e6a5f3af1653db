package dev.normgrad.diagnostics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import dev.normgrad.recurrent.HiddenGradients;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * Records, for every watched layer and every training step, what its activations and gradients did:
 * activation mean, std, saturation and histogram, the gradient norm of its output, and for each of
 * its parameters the gradient norm and the update-to-data ratio ‖Δw‖/‖w‖ (see {@link LayerStats} and
 * {@link ParameterStats} for the exact definitions). This is the data behind "are my activations
 * saturating? is the gradient vanishing? is the learning rate sane?".
 *
 * <pre>{@code
 * Diagnostics diagnostics = Diagnostics.attach(model);       // hooks on every leaf layer
 * for (int step = 0; step < 1000; step++) {
 *     diagnostics.step(step);
 *     model.zeroGrad();
 *     Tensor loss = lossFn.apply(model.apply(x), y);
 *     loss.backward();
 *     diagnostics.optimizerStep(optimizer::step);            // gradient norms, then ‖Δw‖/‖w‖
 * }
 * diagnostics.detach();
 * List<LayerStats> stats = diagnostics.records();
 * String json = diagnostics.toJson();
 * }</pre>
 *
 * <p>Watched layers: by default every module without children, plus any module that owns parameters
 * directly (a weight-normalization wrapper); the model's container itself is not watched. Or only
 * the layers of given types: {@code Diagnostics.attach(model, Tanh.class, BatchNorm1d.class)}.
 * Activation statistics come from forward hooks, the output gradient from backward hooks (which
 * add an identity node after each watched layer while attached); parameter gradients and updates
 * are measured by {@link #beforeStep()} and {@link #afterStep()} around the optimizer's step.
 *
 * <p>Saturation rules ({@link SaturationRule}) are given per layer class with
 * {@link #saturation(Class, SaturationRule)}; the layers of {@code dev.normgrad.nn} have theirs by default.
 */
public final class Diagnostics {
    /** The value of {@code "format"} in {@link #toJson()}. */
    public static final String FORMAT = "normgrad-diagnostics";
    /** The version of the JSON written by {@link #toJson()}. */
    public static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final Map<Module, String> watched = new LinkedHashMap<>();
    private final Map<Module, Object[]> hooks = new IdentityHashMap<>();
    private final Map<Class<?>, SaturationRule> rules = new LinkedHashMap<>(DefaultRules.RULES);
    private final Map<Module, Accumulator> current = new IdentityHashMap<>();
    private final List<LayerStats> records = new ArrayList<>();
    private final List<SequenceStats> sequences = new ArrayList<>();
    private int step;
    private boolean attached = true;
    private Map<Parameter, DMatrixRMaj> snapshot;

    private Diagnostics(Module model, List<Class<? extends Module>> types) {
        Map<Module, Boolean> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (seen.put(m, Boolean.TRUE) == null && watches(m, types)) {
                watched.put(m, e.getKey());
            }
        }
        if (watched.isEmpty()) {
            throw new IllegalArgumentException("Diagnostics.attach: no layer of " + model.getClass().getSimpleName() + " to watch"
                    + (types.isEmpty() ? "" : " among the types " + types.stream().map(Class::getSimpleName).toList()));
        }
        for (Module m : watched.keySet()) {
            Module.ForwardHook forward = m.addForwardHook((module, input, output) -> accumulator(module).addForward(input, output, rule(module)));
            Module.BackwardHook backward = m.addBackwardHook((module, gradOutput) -> accumulator(module).addGradient(gradOutput));
            hooks.put(m, new Object[] {forward, backward});
        }
    }

    private static boolean watches(Module m, List<Class<? extends Module>> types) {
        if (!types.isEmpty()) {
            return types.stream().anyMatch(t -> t.isInstance(m));
        }
        return m.children().isEmpty() || !ownParameters(m).isEmpty();
    }

    /** Watches every leaf layer of {@code model} (and any layer owning parameters directly). */
    public static Diagnostics attach(Module model) {
        return new Diagnostics(checkModel(model), List.of());
    }

    /** Watches the layers of {@code model} that are instances of one of {@code types}. */
    @SafeVarargs
    public static Diagnostics attach(Module model, Class<? extends Module>... types) {
        if (types.length == 0) {
            throw new IllegalArgumentException("Diagnostics.attach: give at least one layer type, or call attach(model) to watch every leaf layer");
        }
        List<Class<? extends Module>> list = new ArrayList<>(types.length);
        for (Class<? extends Module> type : types) {
            list.add(type);
        }
        return new Diagnostics(checkModel(model), list);
    }

    private static Module checkModel(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("Diagnostics.attach: the model is null");
        }
        return model;
    }

    /** Sets (or replaces) the saturation rule for layers of {@code type} and its subclasses; returns this. */
    public Diagnostics saturation(Class<? extends Module> type, SaturationRule rule) {
        rules.remove(type);
        rules.put(type, rule);
        return this;
    }

    /** The watched layers by dotted path, in model order. */
    public List<String> watchedLayers() {
        return List.copyOf(watched.values());
    }

    // ------------------------------------------------------------------ the step cycle

    /**
     * Starts step {@code step}: what the layers do from now on is recorded under this index. The
     * statistics of the previous step are closed into {@link #records()}.
     */
    public void step(int step) {
        checkAttached("step");
        flush();
        this.step = step;
    }

    /**
     * After backward, before the optimizer's step: records every watched parameter's norm and
     * gradient norm, and snapshots its value for {@link #afterStep()}.
     */
    public void beforeStep() {
        checkAttached("beforeStep");
        snapshot = new IdentityHashMap<>();
        for (Module m : watched.keySet()) {
            Map<String, Parameter> own = ownParameters(m);
            if (own.isEmpty()) {
                continue;
            }
            Accumulator acc = accumulator(m);
            acc.parameters.clear();
            for (Map.Entry<String, Parameter> e : own.entrySet()) {
                Parameter p = e.getValue();
                snapshot.put(p, p.data().copy());
                double gradNorm = p.gradData() == null ? 0.0 : NormOps_DDRM.normF(p.gradData());
                acc.parameters.put(e.getKey(), new ParameterStats(e.getKey(), NormOps_DDRM.normF(p.data()), gradNorm,
                        Double.NaN, Double.NaN));
            }
        }
    }

    /** After the optimizer's step: records ‖Δw‖ and ‖Δw‖/‖w‖ for every watched parameter. */
    public void afterStep() {
        checkAttached("afterStep");
        if (snapshot == null) {
            throw new IllegalStateException("Diagnostics.afterStep: call beforeStep() before the optimizer's step, "
                    + "or use optimizerStep(optimizer::step) which calls both");
        }
        for (Module m : watched.keySet()) {
            Accumulator acc = current.get(m);
            if (acc == null) {
                continue;
            }
            for (Map.Entry<String, Parameter> e : ownParameters(m).entrySet()) {
                DMatrixRMaj before = snapshot.get(e.getValue());
                ParameterStats old = acc.parameters.get(e.getKey());
                if (before == null || old == null) {
                    continue;
                }
                DMatrixRMaj after = e.getValue().data();
                DMatrixRMaj delta = new DMatrixRMaj(before.numRows, before.numCols);
                for (int i = 0; i < before.numRows * before.numCols; i++) {
                    delta.data[i] = after.data[i] - before.data[i];
                }
                double updateNorm = NormOps_DDRM.normF(delta);
                double ratio = old.norm() == 0 ? Double.NaN : updateNorm / old.norm();
                acc.parameters.put(e.getKey(), new ParameterStats(old.name(), old.norm(), old.gradNorm(), updateNorm, ratio));
            }
        }
        snapshot = null;
    }

    /** {@link #beforeStep()}, then the optimizer's step, then {@link #afterStep()}. */
    public void optimizerStep(Runnable optimizerStep) {
        beforeStep();
        optimizerStep.run();
        afterStep();
    }

    /**
     * After backward: stores ‖∂L/∂h_t‖ of the hidden states h_0 … h_{T−1} (see
     * {@link HiddenGradients#gradNorms}) under the current step and {@code name}; returns the norms.
     */
    public double[] recordSequence(String name, List<? extends Tensor> states) {
        checkAttached("recordSequence");
        double[] norms = HiddenGradients.gradNorms(states);
        sequences.add(new SequenceStats(step, name, norms));
        return norms;
    }

    /** Removes every hook; the records stay readable. Idempotent. */
    public void detach() {
        if (!attached) {
            return;
        }
        flush();
        for (Map.Entry<Module, Object[]> e : hooks.entrySet()) {
            for (Object hook : e.getValue()) {
                e.getKey().removeHook(hook);
            }
        }
        hooks.clear();
        attached = false;
    }

    public boolean isAttached() {
        return attached;
    }

    // ------------------------------------------------------------------ results

    /** Every record so far, by step then layer in model order, the current step's included. */
    public List<LayerStats> records() {
        List<LayerStats> out = new ArrayList<>(records);
        out.addAll(currentRecords());
        return Collections.unmodifiableList(out);
    }

    /** The records of one layer (by dotted path), in step order. */
    public List<LayerStats> records(String layer) {
        return records().stream().filter(r -> r.layer().equals(layer)).toList();
    }

    /** Every sequence recorded with {@link #recordSequence}, in order. */
    public List<SequenceStats> sequences() {
        return List.copyOf(sequences);
    }

    /**
     * All records as JSON ({@code layers/DIAGNOSTICS-FORMAT.md}):
     * <pre>{@code
     * {"format": "normgrad-diagnostics", "version": 1,
     *  "histogram": {"bins": 62, "low": -3.0, "high": 3.0, "binWidth": 0.1, "edges": [-3.0, ..., 3.0]},
     *  "layers": [{"step": 0, "layer": "1", "type": "Tanh", "calls": 1, "count": 320, "mean": 0.01, "std": 0.63,
     *              "saturation": 0.05, "nonFinite": 0, "histogram": [0, 3, ...], "gradNorm": 0.02,
     *              "parameters": [{"name": "weight", "norm": 4.1, "gradNorm": 0.3, "updateNorm": 0.003, "updateRatio": 7.3e-4}]}],
     *  "sequences": [{"step": 0, "name": "rnn", "gradNorms": [1e-6, ..., 0.4]}]}
     * }</pre>
     * A value that was not measured (NaN) is {@code null}.
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        JsonObject histogram = new JsonObject();
        histogram.addProperty("bins", LayerStats.HISTOGRAM_BINS);
        histogram.addProperty("low", LayerStats.HISTOGRAM_LOW);
        histogram.addProperty("high", LayerStats.HISTOGRAM_HIGH);
        histogram.addProperty("binWidth", LayerStats.HISTOGRAM_BIN_WIDTH);
        JsonArray edges = new JsonArray();
        for (int bin = 1; bin < LayerStats.HISTOGRAM_BINS; bin++) {
            edges.add(LayerStats.histogramLowerEdge(bin));
        }
        histogram.add("edges", edges);
        root.add("histogram", histogram);
        JsonArray layers = new JsonArray();
        for (LayerStats r : records()) {
            JsonObject o = new JsonObject();
            o.addProperty("step", r.step());
            o.addProperty("layer", r.layer());
            o.addProperty("type", r.type());
            o.addProperty("calls", r.calls());
            o.addProperty("count", r.count());
            number(o, "mean", r.mean());
            number(o, "std", r.std());
            number(o, "saturation", r.saturation());
            o.addProperty("nonFinite", r.nonFinite());
            JsonArray counts = new JsonArray();
            for (long c : r.histogram()) {
                counts.add(c);
            }
            o.add("histogram", counts);
            number(o, "gradNorm", r.gradNorm());
            JsonArray parameters = new JsonArray();
            for (ParameterStats p : r.parameters()) {
                JsonObject po = new JsonObject();
                po.addProperty("name", p.name());
                number(po, "norm", p.norm());
                number(po, "gradNorm", p.gradNorm());
                number(po, "updateNorm", p.updateNorm());
                number(po, "updateRatio", p.updateRatio());
                parameters.add(po);
            }
            o.add("parameters", parameters);
            layers.add(o);
        }
        root.add("layers", layers);
        JsonArray seqs = new JsonArray();
        for (SequenceStats s : sequences) {
            JsonObject o = new JsonObject();
            o.addProperty("step", s.step());
            o.addProperty("name", s.name());
            JsonArray norms = new JsonArray();
            for (double v : s.gradNorms()) {
                if (Double.isFinite(v)) {
                    norms.add(v);
                } else {
                    norms.add(JsonNull.INSTANCE);
                }
            }
            o.add("gradNorms", norms);
            seqs.add(o);
        }
        root.add("sequences", seqs);
        return GSON.toJson(root);
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }

    // ------------------------------------------------------------------ internals

    private Accumulator accumulator(Module m) {
        return current.computeIfAbsent(m, k -> new Accumulator());
    }

    private SaturationRule rule(Module m) {
        SaturationRule exact = rules.get(m.getClass());
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<Class<?>, SaturationRule> e : rules.entrySet()) {
            if (e.getKey().isInstance(m)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Map<String, Parameter> ownParameters(Module m) {
        Map<String, Parameter> own = new LinkedHashMap<>();
        m.namedParameters().forEach((name, p) -> {
            if (name.indexOf('.') < 0) {
                own.put(name, p);
            }
        });
        return own;
    }

    private List<LayerStats> currentRecords() {
        List<LayerStats> out = new ArrayList<>();
        for (Map.Entry<Module, String> e : watched.entrySet()) {
            Accumulator acc = current.get(e.getKey());
            if (acc != null) {
                out.add(acc.toStats(step, e.getValue(), e.getKey().getClass().getSimpleName(), rule(e.getKey()) != null));
            }
        }
        return out;
    }

    private void flush() {
        records.addAll(currentRecords());
        current.clear();
        snapshot = null;
    }

    private void checkAttached(String method) {
        if (!attached) {
            throw new IllegalStateException("Diagnostics." + method + ": detached; attach a new Diagnostics to record more");
        }
    }

    /** One layer's statistics within the current step, pooled over its calls. */
    private static final class Accumulator {
        int calls;
        long count;
        double mean;
        double m2;          // Σ (v − mean)², combined across calls with Chan's formula
        long saturated;
        long nonFinite;
        final long[] histogram = new long[LayerStats.HISTOGRAM_BINS];
        double gradSquares;
        boolean hasGradient;
        final Map<String, ParameterStats> parameters = new LinkedHashMap<>();

        void addForward(Tensor input, Tensor output, SaturationRule rule) {
            calls++;
            DMatrixRMaj y = output.data();
            int n = y.numRows * y.numCols;
            long finite = 0;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double v = y.data[i];
                if (Double.isFinite(v)) {
                    finite++;
                    sum += v;
                }
            }
            nonFinite += n - finite;
            if (finite == 0) {
                return;
            }
            double callMean = sum / finite;
            double callM2 = 0;
            DMatrixRMaj x = input.data();
            boolean sameShape = x.numRows == y.numRows && x.numCols == y.numCols;
            for (int i = 0; i < n; i++) {
                double v = y.data[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double d = v - callMean;
                callM2 += d * d;
                histogram[LayerStats.histogramBin(v)]++;
                if (rule != null && rule.isSaturated(sameShape ? x.data[i] : Double.NaN, v)) {
                    saturated++;
                }
            }
            long total = count + finite;
            double delta = callMean - mean;
            mean += delta * finite / total;
            m2 += callM2 + delta * delta * count * finite / total;
            count = total;
        }

        void addGradient(DMatrixRMaj gradOutput) {
            double norm = NormOps_DDRM.normF(gradOutput);
            gradSquares += norm * norm;
            hasGradient = true;
        }

        LayerStats toStats(int step, String layer, String type, boolean hasRule) {
            return new LayerStats(step, layer, type, calls, count,
                    count == 0 ? Double.NaN : mean,
                    count == 0 ? Double.NaN : Math.sqrt(m2 / count),
                    !hasRule || count == 0 ? Double.NaN : (double) saturated / count,
                    nonFinite, histogram, hasGradient ? Math.sqrt(gradSquares) : Double.NaN,
                    new ArrayList<>(parameters.values()));
        }
    }
}
