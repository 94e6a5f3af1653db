package dev.normgrad.norm;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Weight normalization (Salimans &amp; Kingma, <i>Weight Normalization: A Simple Reparameterization
 * to Accelerate Training of Deep Neural Networks</i>, 2016), PyTorch's
 * {@code torch.nn.utils.weight_norm}: a layer's weight is rewritten as a direction and a length,
 * each learned on its own,
 *
 * <pre>
 *   w = g · v / ‖v‖          one g and one norm per output unit (dim 0: per row of an out×in weight)
 *   dg = Σ dw ⊙ v / ‖v‖,     dv = (g/‖v‖) (dw − (w/g) · dg)          (derived by autograd)
 * </pre>
 *
 * <p>Wrap any layer that has a parameter named {@code weight} (or the name you give), such as a
 * {@code Linear}: {@code new WeightNorm(new Linear(64, 32))}. The wrapper's parameters are the layer's
 * other parameters (e.g. {@code bias}) followed by {@code weightG} and {@code weightV}, PyTorch's
 * {@code weight_g} and {@code weight_v}; at wrapping, v is the layer's weight and g its norm, so the
 * layer computes the same function as before. Every forward recomputes w from g and v, writes it into
 * the wrapped layer's weight and runs the layer; its weight is then derived, not learned — train and
 * save the wrapper, not the layer inside.
 *
 * <p>How the gradient reaches g and v without changing the wrapped layer: the layer runs on its own
 * small graph, in which its weight is a leaf holding w; the backward of the wrapper runs that graph's
 * backward and hands dL/dw to the graph of w = g·v/‖v‖ (the chain rule across the boundary). That
 * inner graph is released by its backward, so one forward allows one backward, even when the outer
 * graph is retained.
 *
 * <p>Shapes, for an out×in weight: dim 0 (default) gives g: out×1, a norm per row (per output
 * unit); dim 1 gives g: 1×in, per column; dim −1 gives g: 1×1, the norm of the whole weight
 * (PyTorch's {@code dim=None}). v has the weight's shape.
 */
public class WeightNorm extends Module {
    private final Module module;
    private final String name;
    private final int dim;
    private final Parameter target;
    private final Parameter g;
    private final Parameter v;

    /** Normalizes {@code module}'s parameter {@code weight} per output unit (dim 0). */
    public WeightNorm(Module module) {
        this(module, "weight", 0);
    }

    /**
     * @param module the layer to wrap; it keeps running, with its weight recomputed each forward
     * @param name   the name of the weight parameter in {@code module} (a direct parameter)
     * @param dim    0: a norm per row (per output unit), 1: per column, −1: of the whole weight
     */
    public WeightNorm(Module module, String name, int dim) {
        if (module == null) {
            throw new IllegalArgumentException("WeightNorm: the module is null");
        }
        Map<String, Parameter> params = module.namedParameters();
        this.target = params.get(name);
        if (target == null) {
            throw new IllegalArgumentException("WeightNorm: " + module.getClass().getSimpleName() + " has no parameter '" + name
                    + "'; its parameters are " + params.keySet() + "; pass the weight's name: new WeightNorm(module, \"name\", 0)");
        }
        if (dim < -1 || dim > 1) {
            throw new IllegalArgumentException("WeightNorm: dim must be 0 (a norm per row), 1 (per column) or -1 (the whole "
                    + "weight), got " + dim);
        }
        for (String key : params.keySet()) {
            if (key.contains(".")) {
                throw new IllegalArgumentException("WeightNorm: wraps a single layer whose parameters are its own, but "
                        + module.getClass().getSimpleName() + " has the nested parameter '" + key + "'; wrap the inner layer instead");
            }
        }
        this.module = module;
        this.name = name;
        this.dim = dim;
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            if (!p.getKey().equals(name)) {
                registerParameter(p.getKey(), p.getValue());
            }
        }
        for (Map.Entry<String, Tensor> b : module.namedBuffers().entrySet()) {
            registerBuffer(b.getKey(), b.getValue());
        }
        int gRows = dim == 0 ? target.rows() : 1;
        int gCols = dim == 1 ? target.cols() : 1;
        g = registerParameter(name + "G", new Parameter(gRows, gCols));
        v = registerParameter(name + "V", new Parameter(target.rows(), target.cols()));
        takeWeight();
        train(module.isTraining());
    }

    /** v = the wrapped layer's weight, g = its norm: w = g·v/‖v‖ is that weight again. */
    private void takeWeight() {
        v.data().setTo(target.data());
        try (NoGrad off = NoGrad.enter()) {
            g.data().setTo(norm(v).data());
        }
    }

    /** Re-initialises the wrapped layer, then takes g and v from its new weight. */
    @Override
    public void resetParameters() {
        module.resetParameters();
        takeWeight();
    }

    /** w = g · v / ‖v‖, in the graph of g and v. */
    public Tensor weight() {
        return v.mul(g.div(norm(v)));
    }

    private Tensor norm(Tensor t) {
        Tensor squares = t.pow(2);
        Tensor sum = dim == 0 ? squares.sum(1) : dim == 1 ? squares.sum(0) : squares.sum();
        return sum.sqrt();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor w = weight();
        target.data().setTo(w.data());
        if (NoGrad.isActive() || !w.requiresGrad()) {
            return module.apply(input);
        }
        return new ThroughWrapped().apply(input, w);
    }

    /** The wrapped layer. */
    public Module module() {
        return module;
    }

    /** The name of the wrapped layer's weight parameter ({@code weight}). */
    public String weightName() {
        return name;
    }

    /** 0: a norm per row, 1: per column, −1: of the whole weight. */
    public int dim() {
        return dim;
    }

    /** g: out×1 (dim 0), 1×in (dim 1) or 1×1 (dim −1). */
    public Parameter weightG() {
        return g;
    }

    /** v, the weight's shape. */
    public Parameter weightV() {
        return v;
    }

    @Override
    public Module train(boolean mode) {
        super.train(mode);
        if (module != null) {
            module.train(mode);
        }
        return this;
    }

    @Override
    protected State saveExtraState() {
        return module.saveState();
    }

    @Override
    protected String extraRepr() {
        return module + ", name=" + name + ", dim=" + dim;
    }

    /**
     * Inputs (x, w); output: the wrapped layer's output with its weight holding w. Backward runs
     * the layer's own graph backward and passes dL/dx and dL/dw on.
     */
    private final class ThroughWrapped extends Function {
        private Tensor x;
        private Tensor out;
        private boolean done;

        @Override
        public String name() {
            return "weightNorm(" + module.getClass().getSimpleName() + ")";
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            target.data().setTo(in[1]);   // the layer computes with this op's input w, so that the op is a function of (x, w)
            x = Tensor.wrap(in[0]).requiresGrad(true);
            out = module.apply(x);
            return out.data();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (done) {
                throw new IllegalStateException(name() + ": this forward was already back-propagated once; the wrapped "
                        + "layer's own graph is released after its backward, so run the forward again");
            }
            done = true;
            target.zeroGrad();
            out.backward(Tensor.wrap(dy));
            if (dx[0] != null && x.gradData() != null) {
                CommonOps_DDRM.addEquals(dx[0], x.gradData());
            }
            if (dx[1] != null && target.gradData() != null) {
                CommonOps_DDRM.addEquals(dx[1], target.gradData());
            }
            target.zeroGrad();
        }
    }
}
