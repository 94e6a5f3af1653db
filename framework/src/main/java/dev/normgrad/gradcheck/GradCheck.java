package dev.normgrad.gradcheck;

import dev.normgrad.autograd.KinkRecorder;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Gradient checking: compares the gradients that backward computes (analytic) with central
 * finite differences (numeric), entry by entry, for every input and every parameter — and, when
 * they disagree, says what is wrong ({@link Diagnosis}) and where ({@link #locate}).
 *
 * <pre>
 *   numeric = (L(θ + h) − L(θ − h)) / 2h          h = 1e-6, float64
 *   an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|   (atol 1e-5, rtol 1e-3: PyTorch's)
 *   the report also gives cs231n's relative error  max|a − n| / max(1e-8, max|a| + max|n|)
 *   as information (below 1e-7 good, above 1e-4 wrong); the verdict is the per-entry rule.
 * </pre>
 *
 * <p>Why a check can lie, and what this one does about it:
 * <ul>
 *   <li>A non-scalar output is reduced to the scalar L = Σ y ⊙ P with a fixed random P, never by
 *       {@code sum()}: with γ equal across features (as at initialisation) a normalization layer's
 *       output sums to a constant over its axes, so the input gradient through {@code sum()} is zero
 *       whatever the backward does.</li>
 *   <li>State is put back around every perturbed forward ({@link Checkable#saveState()}): running
 *       statistics do not drift and a dropout mask stays the same. State the check cannot put back
 *       (kept in a plain field) makes two forwards at the same point disagree: the centre is
 *       evaluated again after the sweep, and then the report says "not repeatable" and names the
 *       op and module whose output changed, instead of a verdict.</li>
 *   <li>An entry whose ±h step crosses a non-differentiable point (ReLU at 0, abs) is judged by a
 *       second-order one-sided difference from the smooth side, (−3L(θ) + 4L(θ ± h) − L(θ ± 2h)) / ±2h;
 *       an entry sitting exactly on the kink passes anywhere between its left and right derivatives
 *       (the subgradients: PyTorch's relu'(0) = 0 is one). Only an entry with kinks within 2h on
 *       both sides goes unchecked, and the report counts it. A fast-mode direction is judged the same
 *       way, as one entry. The ops themselves say where they are
 *       not differentiable, so this does not depend on the size of the error.</li>
 * </ul>
 *
 * <p>The inputs are copied: your tensors are not modified and need not require grad (every input
 * is checked; to hold one fixed, capture it in the function instead). Parameters are perturbed in
 * place and restored exactly; their gradients are put back as they were.
 *
 * <pre>{@code
 * GradCheck.check(x -> x[0].tanh().mul(x[1]), a, b).assertPassed();
 * GradCheckReport r = GradCheck.check(new LayerNorm(8), Tensor.randn(4, 8, rng));
 * System.out.println(r);          // the verdict, the table, a diagnosis per failing tensor
 * String json = r.toJson();       // for an autograder
 * GraphCheckReport g = GradCheck.locate(model, x);      // every op on its own: the first wrong one
 * }</pre>
 *
 * Fast mode ({@link #fast}) checks k random directions v instead of every entry:
 * v·∇L against (L(θ + hv) − L(θ − hv)) / 2h, with O(k) forward passes.
 */
public final class GradCheck {
    public static final double DEFAULT_STEP = 1e-6;
    public static final double DEFAULT_ATOL = 1e-5;
    public static final double DEFAULT_RTOL = 1e-3;
    public static final long DEFAULT_SEED = 0x5EED;

    /** A function of tensors to check. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor... inputs);
    }

    private final double step;
    private final double atol;
    private final double rtol;
    private final long seed;

    /** Step 1e-6, atol 1e-5, rtol 1e-3 (PyTorch's defaults), a fixed seed for the projection. */
    public GradCheck() {
        this(DEFAULT_STEP, DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_SEED);
    }

    /**
     * @param step the finite-difference step h
     * @param atol absolute tolerance
     * @param rtol relative tolerance
     * @param seed seeds the projection tensor P and the fast-mode directions
     */
    public GradCheck(double step, double atol, double rtol, long seed) {
        if (!(step > 0) || !(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("GradCheck: need step > 0, atol >= 0, rtol >= 0; got step=" + step
                    + ", atol=" + atol + ", rtol=" + rtol);
        }
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
    }

    /** Full check of a function of tensors with the default settings. */
    public static GradCheckReport check(Fn f, Tensor... inputs) {
        return new GradCheck().full(f, inputs);
    }

    /** Full check of a layer or model (inputs and every parameter) with the default settings. */
    public static GradCheckReport check(Checkable model, Tensor... inputs) {
        return new GradCheck().full(model, inputs);
    }

    /**
     * The first wrong op of the graph {@code f} computes, with the default settings: runs
     * {@code f} once, then checks every op of the graph on its own recorded inputs, in forward
     * order (see {@link #opByOp(Checkable, Tensor...)}).
     */
    public static GraphCheckReport locate(Fn f, Tensor... inputs) {
        return new GradCheck().opByOp(f, inputs);
    }

    /**
     * The first wrong op of a model's graph, with the default settings; each op is named by the
     * module that created it, by its path in the model ({@code "layers.3 (LayerNorm)"}).
     */
    public static GraphCheckReport locate(Checkable model, Tensor... inputs) {
        return new GradCheck().opByOp(model, inputs);
    }

    /** Full check: every entry of every input. */
    public GradCheckReport full(Fn f, Tensor... inputs) {
        return full(asCheckable(f), inputs);
    }

    /** Full check: every entry of every input and every parameter. */
    public GradCheckReport full(Checkable model, Tensor... inputs) {
        return run(model, inputs, 0);
    }

    /** Fast check along {@code directions} random directions. */
    public GradCheckReport fast(Fn f, int directions, Tensor... inputs) {
        return fast(asCheckable(f), directions, inputs);
    }

    /** Fast check of a layer or model along {@code directions} random directions. */
    public GradCheckReport fast(Checkable model, int directions, Tensor... inputs) {
        requireDirections(directions);
        return run(model, inputs, directions);
    }

    /** {@link #opByOp(Checkable, Tensor...)} of a function of tensors. */
    public GraphCheckReport opByOp(Fn f, Tensor... inputs) {
        return OpByOp.run(this, asCheckable(f), inputs, 0);
    }

    /**
     * Checks every op of the model's graph on its own: runs the forward once, recording the graph,
     * then for each op (every {@code Function} between the checked tensors and the output, in
     * forward order) checks its backward against central differences of its forward alone, run
     * again on the inputs it was given — the inputs that required grad are checked, the others
     * (a dropout mask, a constant) held as they were. Kinks are handled as in {@link #full}; an op
     * whose forward does not give its recorded output again (it draws random numbers or reads
     * state) is reported as not checked, with the reason. The model's state is put back afterwards.
     */
    public GraphCheckReport opByOp(Checkable model, Tensor... inputs) {
        return OpByOp.run(this, model, inputs, 0);
    }

    /** {@link #opByOp(Checkable, Tensor...)} with each op checked along {@code directions} random directions (no diagnosis). */
    public GraphCheckReport opByOp(Checkable model, int directions, Tensor... inputs) {
        requireDirections(directions);
        return OpByOp.run(this, model, inputs, directions);
    }

    double step() {
        return step;
    }

    double atol() {
        return atol;
    }

    double rtol() {
        return rtol;
    }

    long seed() {
        return seed;
    }

    private static void requireDirections(int directions) {
        if (directions <= 0) {
            throw new IllegalArgumentException("GradCheck.fast: needs at least one direction, got " + directions);
        }
    }

    /** A function of tensors as a model without parameters or state. */
    static final class FunctionModel implements Checkable {
        private final Fn f;

        FunctionModel(Fn f) {
            this.f = f;
        }

        @Override
        public Tensor apply(Tensor... inputs) {
            return f.apply(inputs);
        }

        @Override
        public Map<String, ? extends Tensor> namedParameters() {
            return Map.of();
        }
    }

    private static Checkable asCheckable(Fn f) {
        if (f == null) {
            throw new IllegalArgumentException("GradCheck: the function is null");
        }
        return new FunctionModel(f);
    }

    GradCheckReport run(Checkable model, Tensor[] given, int directions) {
        if (model == null) {
            throw new IllegalArgumentException("GradCheck: the model is null");
        }
        if (given.length == 0 && model.namedParameters().isEmpty()) {
            throw new IllegalArgumentException("GradCheck: nothing to check: no inputs and no parameters");
        }
        Tensor[] inputs = new Tensor[given.length];
        Map<String, Tensor> checked = new LinkedHashMap<>();
        for (int i = 0; i < given.length; i++) {
            if (given[i] == null) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is null");
            }
            inputs[i] = given[i].copy().requiresGrad(true);
            String name = given[i].name() != null ? given[i].name() : "input " + i;
            checked.put(checked.containsKey(name) ? name + " (" + i + ")" : name, inputs[i]);
        }
        for (Map.Entry<String, ? extends Tensor> p : model.namedParameters().entrySet()) {
            if (p.getValue().requiresGrad()) {
                checked.put(p.getKey(), p.getValue());
            }
        }
        List<String> names = new ArrayList<>(checked.keySet());
        List<Tensor> tensors = new ArrayList<>(checked.values());

        Checkable.State state = model.saveState();
        Map<Tensor, DMatrixRMaj> userGrads = new LinkedHashMap<>();
        for (Tensor p : model.namedParameters().values()) {
            userGrads.put(p, p.gradData() == null ? null : p.gradData().copy());
            p.zeroGrad();
        }
        try {
            // analytic: one forward and one backward of L = Σ y ⊙ P
            Tensor out = model.apply(inputs);
            if (out == null) {
                throw new IllegalStateException("GradCheck: the forward returned null");
            }
            if (!out.requiresGrad()) {
                throw new IllegalStateException("GradCheck: the output " + out.shape()
                        + " has no graph: it depends on none of the checked tensors (or was computed under NoGrad)");
            }
            DMatrixRMaj projection = projection(out.rows(), out.cols());
            double analyticLoss = dot(out.data(), projection);
            out.backward(Tensor.wrap(projection));
            List<DMatrixRMaj> analytic = new ArrayList<>();
            for (Tensor t : tensors) {
                analytic.add(t.gradData() == null ? new DMatrixRMaj(t.rows(), t.cols()) : t.gradData().copy());
            }
            Probe probe = new Probe(model, inputs, projection, state);
            Eval centre = probe.eval();
            List<GradCheckReport.TensorResult> results = directions == 0
                    ? fullEntries(probe, centre, names, tensors, analytic, sizes(names, tensors, given.length, out))
                    : fastDirections(probe, centre, tensors, analytic, directions);
            Eval again = probe.eval();
            GradCheckReport.NotRepeatable notRepeatable = null;
            if (differ(analyticLoss, centre.loss(), centre.scale()) || differ(centre.loss(), again.loss(), centre.scale())) {
                notRepeatable = Repeatability.whatChanged(model, inputs, state,
                        differ(analyticLoss, centre.loss(), centre.scale()) ? analyticLoss : centre.loss(), again.loss());
            }
            return new GradCheckReport(directions == 0 ? "full" : "fast", step, atol, rtol, seed, results, notRepeatable);
        } finally {
            state.restore();
            for (Map.Entry<Tensor, DMatrixRMaj> e : userGrads.entrySet()) {
                Tensor p = e.getKey();
                if (p.gradData() != null) {
                    if (e.getValue() == null) {
                        p.zeroGrad();
                    } else {
                        p.gradData().setTo(e.getValue());
                    }
                }
            }
        }
    }

    /** Two evaluations of L at the same point that differ beyond rounding. */
    private static boolean differ(double a, double b, double scale) {
        return !(Math.abs(a - b) <= 1e-10 * (scale + Double.MIN_NORMAL));
    }

    private DMatrixRMaj projection(int rows, int cols) {
        DMatrixRMaj p = new DMatrixRMaj(rows, cols);
        if (rows == 1 && cols == 1) {
            p.data[0] = 1.0;
            return p;
        }
        Random random = new Random(seed);
        for (int i = 0; i < p.getNumElements(); i++) {
            p.data[i] = random.nextGaussian();
        }
        return p;
    }

    private static double dot(DMatrixRMaj y, DMatrixRMaj projection) {
        double l = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            l += y.data[i] * projection.data[i];
        }
        return l;
    }

    /**
     * The sizes of this check a ratio analytic/numeric may match, most telling first: the batch
     * (rows of the first input), the output's rows, the columns, every entry.
     */
    private static List<ErrorPatterns.Size> sizes(List<String> names, List<Tensor> tensors, int inputCount, Tensor out) {
        Map<Integer, String> sizes = new LinkedHashMap<>();
        for (int i = 0; i < inputCount; i++) {
            String q = "'" + names.get(i) + "'";
            sizes.putIfAbsent(tensors.get(i).rows(), i == 0 ? "N, the rows (batch) of " + q : "the rows of " + q);
        }
        sizes.putIfAbsent(out.rows(), "the rows of the output");
        for (int i = 0; i < inputCount; i++) {
            sizes.putIfAbsent(tensors.get(i).cols(), "the columns (features) of '" + names.get(i) + "'");
        }
        sizes.putIfAbsent(out.cols(), "the columns of the output");
        sizes.putIfAbsent(out.rows() * out.cols(), "the entries of the output (a mean over all of them?)");
        for (int i = 0; i < inputCount; i++) {
            sizes.putIfAbsent(tensors.get(i).rows() * tensors.get(i).cols(), "the entries of '" + names.get(i) + "'");
        }
        List<ErrorPatterns.Size> out2 = new ArrayList<>();
        sizes.forEach((v, meaning) -> {
            if (v >= 2) {
                out2.add(new ErrorPatterns.Size(v, meaning));
            }
        });
        return out2;
    }

    /** L at one point, and which side of each kink the forward was on. */
    record Eval(double loss, double scale, KinkRecorder kinks) {
    }

    /** Evaluates L = Σ y ⊙ P at the current values, with state restored first and kinks recorded. */
    private static final class Probe {
        private final Checkable model;
        private final Tensor[] inputs;
        private final DMatrixRMaj projection;
        private final Checkable.State state;

        Probe(Checkable model, Tensor[] inputs, DMatrixRMaj projection, Checkable.State state) {
            this.model = model;
            this.inputs = inputs;
            this.projection = projection;
            this.state = state;
        }

        Eval eval() {
            state.restore();
            try (NoGrad off = NoGrad.enter(); KinkRecorder recorder = KinkRecorder.start()) {
                DMatrixRMaj y = model.apply(inputs).data();
                if (y.numRows != projection.numRows || y.numCols != projection.numCols) {
                    throw new IllegalStateException("GradCheck: the output changed shape from "
                            + "(" + projection.numRows + "x" + projection.numCols + ") to (" + y.numRows + "x" + y.numCols
                            + ") between forwards; the forward must be deterministic");
                }
                double l = 0;
                double scale = 0;
                for (int i = 0; i < y.getNumElements(); i++) {
                    l += y.data[i] * projection.data[i];
                    scale += Math.abs(y.data[i] * projection.data[i]);
                }
                return new Eval(l, scale, recorder);
            }
        }
    }

    /** L along one line through the point: {@code at(s)} evaluates θ + s·h·v and puts θ back. */
    @FunctionalInterface
    private interface Line {
        Eval at(int s);
    }

    /**
     * The numeric derivative along a line: central unless the ±h step crosses a kink, then
     * one-sided from the side(s) without one.
     */
    private TensorCheck.Estimate estimate(Line line, Eval centre) {
        Eval plus = line.at(1);
        Eval minus = line.at(-1);
        String crossed = plus.kinks().firstCrossing(minus.kinks());
        if (crossed == null) {
            return TensorCheck.Estimate.central((plus.loss() - minus.loss()) / (2 * step));
        }
        Eval plus2 = line.at(2);
        Eval minus2 = line.at(-2);
        boolean right = smooth(centre, plus, plus2);
        boolean left = smooth(centre, minus, minus2);
        double dRight = (4 * plus.loss() - plus2.loss() - 3 * centre.loss()) / (2 * step);
        double dLeft = (3 * centre.loss() - 4 * minus.loss() + minus2.loss()) / (2 * step);
        if (right && left) {
            return new TensorCheck.Estimate(TensorCheck.Judged.AT_KINK, dLeft, dRight, crossed);
        }
        if (right || left) {
            return new TensorCheck.Estimate(TensorCheck.Judged.ONE_SIDED, right ? dRight : dLeft, Double.NaN, crossed);
        }
        return new TensorCheck.Estimate(TensorCheck.Judged.UNCHECKED, Double.NaN, Double.NaN, crossed);
    }

    /** No kink between any two of three points on one side. */
    private static boolean smooth(Eval a, Eval b, Eval c) {
        return a.kinks().firstCrossing(b.kinks()) == null && b.kinks().firstCrossing(c.kinks()) == null
                && a.kinks().firstCrossing(c.kinks()) == null;
    }

    private List<GradCheckReport.TensorResult> fullEntries(Probe probe, Eval centre, List<String> names, List<Tensor> tensors,
            List<DMatrixRMaj> analytic, List<ErrorPatterns.Size> sizes) {
        List<GradCheckReport.TensorResult> results = new ArrayList<>();
        for (int t = 0; t < tensors.size(); t++) {
            DMatrixRMaj value = tensors.get(t).data();
            int n = value.getNumElements();
            TensorCheck acc = new TensorCheck(names.get(t), value.numRows, value.numCols, atol, rtol,
                    java.util.Arrays.copyOf(value.data, n), sizes);
            for (int k = 0; k < n; k++) {
                int entry = k;
                double original = value.data[k];
                Line line = s -> {
                    value.data[entry] = original + s * step;
                    try {
                        return probe.eval();
                    } finally {
                        value.data[entry] = original;
                    }
                };
                acc.add(k / value.numCols, k % value.numCols, analytic.get(t).data[k], estimate(line, centre));
            }
            results.add(acc.result());
        }
        return results;
    }

    private List<GradCheckReport.TensorResult> fastDirections(Probe probe, Eval centre, List<Tensor> tensors,
            List<DMatrixRMaj> analytic, int directions) {
        List<GradCheckReport.TensorResult> results = new ArrayList<>();
        Random random = new Random(seed + 1);
        List<double[]> originals = new ArrayList<>();
        for (Tensor t : tensors) {
            originals.add(java.util.Arrays.copyOf(t.data().data, t.rows() * t.cols()));
        }
        for (int d = 0; d < directions; d++) {
            List<double[]> v = new ArrayList<>();
            double norm = 0;
            for (Tensor t : tensors) {
                double[] dir = new double[t.rows() * t.cols()];
                for (int k = 0; k < dir.length; k++) {
                    dir[k] = random.nextGaussian();
                    norm += dir[k] * dir[k];
                }
                v.add(dir);
            }
            norm = Math.sqrt(norm);
            double directional = 0;
            for (int t = 0; t < tensors.size(); t++) {
                double[] dir = v.get(t);
                double[] a = analytic.get(t).data;
                for (int k = 0; k < dir.length; k++) {
                    dir[k] /= norm;
                    directional += a[k] * dir[k];
                }
            }
            Line line = s -> {
                perturb(tensors, originals, v, s * step);
                try {
                    return probe.eval();
                } finally {
                    perturb(tensors, originals, v, 0);
                }
            };
            TensorCheck acc = new TensorCheck("direction " + (d + 1), 1, 1, atol, rtol, null, List.of());
            acc.add(0, 0, directional, estimate(line, centre));
            results.add(acc.result());
        }
        return results;
    }

    private static void perturb(List<Tensor> tensors, List<double[]> originals, List<double[]> v, double h) {
        for (int t = 0; t < tensors.size(); t++) {
            double[] data = tensors.get(t).data().data;
            double[] o = originals.get(t);
            double[] dir = v.get(t);
            for (int k = 0; k < dir.length; k++) {
                data[k] = o[k] + h * dir[k];
            }
        }
    }
}
