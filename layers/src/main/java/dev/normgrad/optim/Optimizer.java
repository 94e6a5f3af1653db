package dev.normgrad.optim;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Updates parameters from their gradients. The training loop is PyTorch's:
 * <pre>{@code
 * optimizer.zeroGrad();                 // gradients accumulate: clear last step's
 * Tensor loss = criterion.apply(model.apply(x), y);
 * loss.backward();                      // fills every parameter's grad
 * optimizer.step();                     // updates the parameters in place
 * }</pre>
 * {@link #step()} runs inside {@link NoGrad} and modifies each parameter's value in place (the
 * {@code Parameter} objects stay the same, so the model keeps seeing them). A parameter without a
 * gradient (none reached it) is skipped, as in PyTorch. Subclasses write {@link #update}: the rule
 * for one parameter.
 *
 * <p><b>Non-finite gradients.</b> Unlike PyTorch, {@link #step()} first checks every gradient and
 * refuses to apply NaN or ±∞: it throws {@link NonFiniteGradientException} naming the parameter
 * (its position in {@link #parameters()}, which is {@code model.namedParameters()}'s order, its name
 * when the optimizer was given {@code model.namedParameters()}, and its shape) and the first bad entry, and changes no parameter — a diverged step would otherwise turn
 * every weight into NaN, silently. To find the op that produced the value, run the forward and
 * backward inside {@code Anomaly.detect()}. An experiment that studies divergence itself (and
 * reads the NaN loss afterwards) opts out with {@link #allowNonFiniteGradients()}.
 */
public abstract class Optimizer {
    private final List<Tensor> params;
    private final List<String> names;
    private final Map<Tensor, Integer> steps = new IdentityHashMap<>();
    private double lr;
    private boolean allowNonFinite;

    /**
     * @param params the tensors to update, usually {@code model.parameters()}; each must require grad
     * @param lr     the learning rate, &gt; 0
     */
    protected Optimizer(Collection<? extends Tensor> params, double lr) {
        this(params, null, lr);
    }

    /**
     * @param namedParams the tensors to update by name, usually {@code model.namedParameters()}: messages
     *                    then name the parameter ({@code "2.weight"}) rather than only its position
     * @param lr          the learning rate, &gt; 0
     */
    protected Optimizer(Map<String, ? extends Tensor> namedParams, double lr) {
        this(namedParams == null ? null : namedParams.values(), namedParams == null ? null : List.copyOf(namedParams.keySet()), lr);
    }

    /**
     * @param names the parameters' names in the order of {@code params}, or null to name them by position
     */
    protected Optimizer(Collection<? extends Tensor> params, List<String> names, double lr) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name() + ": no parameters to optimize; pass model.parameters() "
                    + "of a model that has some (activations and Sequential() alone have none)");
        }
        List<Tensor> list = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        int i = 0;
        for (Tensor p : params) {
            if (p == null) {
                throw new IllegalArgumentException(name() + ": parameter " + i + " is null");
            }
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException(name() + ": parameter " + i + " " + p.shape()
                        + " does not require grad, so it would never receive a gradient; call requiresGrad(true) on it");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(name() + ": parameter " + i + " " + p.shape()
                        + " is listed twice; it would be updated twice per step");
            }
            list.add(p);
            i++;
        }
        this.params = Collections.unmodifiableList(list);
        this.names = names;
        setLearningRate(lr);
    }

    /** The optimizer's name in messages: its class name. */
    protected String name() {
        return getClass().getSimpleName();
    }

    /** The parameters this optimizer updates, in order. */
    public List<Tensor> parameters() {
        return params;
    }

    public double learningRate() {
        return lr;
    }

    /** Changes the learning rate (a schedule calls this between steps). */
    public void setLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name() + ": the learning rate must be a positive number, got " + lr
                    + " (typical values: 0.1 to 0.001 for SGD, 0.001 for Adam)");
        }
        this.lr = lr;
    }

    /** Sets every parameter's gradient to zero (gradients accumulate across backward passes). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /**
     * Lets {@link #step()} apply NaN and infinite gradients as PyTorch does (the parameters then
     * become NaN): for experiments that show divergence. Returns this optimizer.
     */
    public Optimizer allowNonFiniteGradients() {
        this.allowNonFinite = true;
        return this;
    }

    /** True after {@link #allowNonFiniteGradients()}: {@link #step()} does not check the gradients. */
    public boolean allowsNonFiniteGradients() {
        return allowNonFinite;
    }

    /**
     * One update of every parameter that has a gradient.
     *
     * @throws NonFiniteGradientException if a gradient holds NaN or ±∞ (checked for all parameters
     *                                    before any is updated), unless {@link #allowNonFiniteGradients()}
     */
    public void step() {
        if (!allowNonFinite) {
            checkFinite();
        }
        try (NoGrad off = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                if (p.gradData() == null) {
                    continue;
                }
                int t = steps.merge(p, 1, Integer::sum);
                update(i, p.data(), p.gradData(), t);
            }
        }
    }

    private void checkFinite() {
        for (int i = 0; i < params.size(); i++) {
            DMatrixRMaj g = params.get(i).gradData();
            if (g == null) {
                continue;
            }
            int n = g.getNumElements();
            for (int k = 0; k < n; k++) {
                double v = g.data[k];
                if (!Double.isFinite(v)) {
                    throw new NonFiniteGradientException(name() + ".step: the gradient of parameter " + describe(i) + " is " + v + " at (" + k / g.numCols + ", " + k % g.numCols
                            + "); no parameter was updated. The loss or a layer diverged (too high a learning rate, "
                            + "log or division at 0, NaN in the data): run the forward and backward inside Anomaly.detect() "
                            + "to find the op, and check the data"
                            + (names == null ? "; parameters are numbered in model.namedParameters() order (pass "
                            + "model.namedParameters() to the optimizer to see names)" : ""), i);
                }
            }
        }
    }

    /** {@code 3 "1.bias" (1x2)} with names, {@code 3 (1x2)} without. */
    private String describe(int i) {
        String shape = params.get(i).shape();
        return names == null ? i + " " + shape : i + " \"" + names.get(i) + "\" " + shape;
    }

    /**
     * The update rule for one parameter.
     *
     * @param index the parameter's position in {@link #parameters()} (to find its state)
     * @param value the parameter's value. Modified, in place.
     * @param grad  its gradient. Not modified.
     * @param step  how many updates this parameter has had, this one included (1 on the first)
     */
    protected abstract void update(int index, DMatrixRMaj value, DMatrixRMaj grad, int step);
}
