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
 * finite differences (numeric), entry by entry, for every input and every parameter.
 *
 * <pre>
 *   numeric = (L(θ + h) − L(θ − h)) / 2h          h = 1e-6, float64
 *   an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|   (atol 1e-5, rtol 1e-3: PyTorch's)
 *   the report also gives cs231n's relative error  max|a − n| / max(1e-8, max|a| + max|n|)
 *   read as: below 1e-7 good, above 1e-4 wrong.
 * </pre>
 *
 * <p>Why a check can lie, and what this one does about it:
 * <ul>
 *   <li>A non-scalar output is reduced to the scalar L = Σ y ⊙ P with a fixed random P, never by
 *       {@code sum()}: with γ equal across features (as at initialisation) a normalization layer's
 *       output sums to a constant over its axes, so the input gradient through {@code sum()} is zero
 *       whatever the backward does.</li>
 *   <li>State is put back around every perturbed forward ({@link Checkable#saveState()}): running
 *       statistics do not drift and a dropout mask stays the same.</li>
 *   <li>An entry whose ± perturbation crosses a non-differentiable point (ReLU at 0, abs) is
 *       reported as a kink, not a failure; the ops themselves say where they are not
 *       differentiable, so this does not depend on the size of the error.</li>
 * </ul>
 *
 * <p>The inputs are copied: your tensors are not modified and need not require grad (every input
 * is checked; to hold one fixed, capture it in the function instead). Parameters are perturbed in
 * place and restored exactly; their gradients are put back as they were.
 *
 * <pre>{@code
 * GradCheck.check(x -> x[0].tanh().mul(x[1]), a, b).assertPassed();
 * GradCheckReport r = GradCheck.check(new LayerNorm(8), Tensor.randn(4, 8, rng));
 * System.out.println(r);          // the table
 * String json = r.toJson();       // for an autograder
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
        if (directions <= 0) {
            throw new IllegalArgumentException("GradCheck.fast: needs at least one direction, got " + directions);
        }
        return run(model, inputs, directions);
    }

    private static Checkable asCheckable(Fn f) {
        if (f == null) {
            throw new IllegalArgumentException("GradCheck: the function is null");
        }
        return new Checkable() {
            @Override
            public Tensor apply(Tensor... inputs) {
                return f.apply(inputs);
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return Map.of();
            }
        };
    }

    private GradCheckReport run(Checkable model, Tensor[] given, int directions) {
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
            out.backward(Tensor.wrap(projection));
            List<DMatrixRMaj> analytic = new ArrayList<>();
            for (Tensor t : tensors) {
                analytic.add(t.gradData() == null ? new DMatrixRMaj(t.rows(), t.cols()) : t.gradData().copy());
            }
            state.restore();
            List<GradCheckReport.TensorResult> results = directions == 0
                    ? fullEntries(model, inputs, names, tensors, analytic, projection, state)
                    : fastDirections(model, inputs, tensors, analytic, projection, state, directions);
            return new GradCheckReport(directions == 0 ? "full" : "fast", step, atol, rtol, seed, results);
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

    /** One perturbed forward: L = Σ y ⊙ P, with state restored first and kinks recorded. */
    private double loss(Checkable model, Tensor[] inputs, DMatrixRMaj projection, Checkable.State state, KinkRecorder[] kinks, int slot) {
        state.restore();
        try (NoGrad off = NoGrad.enter(); KinkRecorder recorder = KinkRecorder.start()) {
            kinks[slot] = recorder;
            DMatrixRMaj y = model.apply(inputs).data();
            if (y.numRows != projection.numRows || y.numCols != projection.numCols) {
                throw new IllegalStateException("GradCheck: the output changed shape from "
                        + "(" + projection.numRows + "x" + projection.numCols + ") to (" + y.numRows + "x" + y.numCols
                        + ") between forwards; the forward must be deterministic");
            }
            double l = 0;
            for (int i = 0; i < y.getNumElements(); i++) {
                l += y.data[i] * projection.data[i];
            }
            return l;
        }
    }

    private List<GradCheckReport.TensorResult> fullEntries(Checkable model, Tensor[] inputs, List<String> names,
            List<Tensor> tensors, List<DMatrixRMaj> analytic, DMatrixRMaj projection, Checkable.State state) {
        List<GradCheckReport.TensorResult> results = new ArrayList<>();
        KinkRecorder[] kinks = new KinkRecorder[2];
        for (int t = 0; t < tensors.size(); t++) {
            DMatrixRMaj value = tensors.get(t).data();
            GradCheckReport.Accumulator acc = new GradCheckReport.Accumulator(names.get(t), value.numRows, value.numCols, atol, rtol);
            for (int k = 0; k < value.getNumElements(); k++) {
                double original = value.data[k];
                value.data[k] = original + step;
                double plus = loss(model, inputs, projection, state, kinks, 0);
                value.data[k] = original - step;
                double minus = loss(model, inputs, projection, state, kinks, 1);
                value.data[k] = original;
                double numeric = (plus - minus) / (2 * step);
                String kinkOp = kinks[0].firstDifference(kinks[1]);
                acc.add(k / value.numCols, k % value.numCols, analytic.get(t).data[k], numeric, kinkOp);
            }
            results.add(acc.result());
        }
        return results;
    }

    private List<GradCheckReport.TensorResult> fastDirections(Checkable model, Tensor[] inputs, List<Tensor> tensors,
            List<DMatrixRMaj> analytic, DMatrixRMaj projection, Checkable.State state, int directions) {
        List<GradCheckReport.TensorResult> results = new ArrayList<>();
        KinkRecorder[] kinks = new KinkRecorder[2];
        Random random = new Random(seed + 1);
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
            List<double[]> originals = new ArrayList<>();
            for (int t = 0; t < tensors.size(); t++) {
                double[] dir = v.get(t);
                double[] a = analytic.get(t).data;
                for (int k = 0; k < dir.length; k++) {
                    dir[k] /= norm;
                    directional += a[k] * dir[k];
                }
                originals.add(java.util.Arrays.copyOf(tensors.get(t).data().data, dir.length));
            }
            perturb(tensors, originals, v, step);
            double plus = loss(model, inputs, projection, state, kinks, 0);
            perturb(tensors, originals, v, -step);
            double minus = loss(model, inputs, projection, state, kinks, 1);
            perturb(tensors, originals, v, 0);
            GradCheckReport.Accumulator acc = new GradCheckReport.Accumulator("direction " + (d + 1), 1, 1, atol, rtol);
            acc.add(0, 0, directional, (plus - minus) / (2 * step), kinks[0].firstDifference(kinks[1]));
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
