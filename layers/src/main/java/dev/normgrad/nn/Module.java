package dev.normgrad.nn;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.OpRecorder;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Checkable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * A layer or a network of layers: it owns state — learnable {@link Parameter}s, buffers such as
 * running statistics, child modules — and computes {@link #forward}. The math itself lives in ops
 * and static functions; a module only decides which state goes into them (PyTorch's
 * {@code nn.Module} over {@code torch.nn.functional}).
 *
 * <p>Call a module through {@link #apply(Tensor...)} (what containers do): it runs the forward
 * hooks and the backward hooks that diagnostics attach. Names are dotted paths, as in PyTorch:
 * {@code 0.weight}, {@code 1.runningMean}.
 *
 * <p>Writing a layer: register parameters, buffers and children in the constructor, call
 * {@link #resetParameters()} last, implement {@link #forward}, and make {@link #extraRepr()} print
 * the constructor arguments.
 */
public abstract class Module implements Checkable {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardHook> forwardHooks = new ArrayList<>();
    private final List<BackwardHook> backwardHooks = new ArrayList<>();
    private boolean training = true;

    /** Called after the forward with the input and output of this module. */
    @FunctionalInterface
    public interface ForwardHook {
        void afterForward(Module module, Tensor input, Tensor output);
    }

    /** Called during backward with dL/d(output of this module). */
    @FunctionalInterface
    public interface BackwardHook {
        void onGradient(Module module, DMatrixRMaj gradOutput);
    }

    /** The computation: input → output. Call {@link #apply} to run hooks too. */
    public abstract Tensor forward(Tensor input);

    /** Runs {@link #forward} on the single input, with this module's hooks. */
    @Override
    public Tensor apply(Tensor... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": takes one input tensor, got " + inputs.length);
        }
        Tensor input = inputs[0];
        Tensor output;
        try (OpRecorder.Scope owner = OpRecorder.enter(this)) {   // names this module in GradCheck.locate; no-op otherwise
            output = forward(input);
        }
        for (ForwardHook hook : forwardHooks) {
            hook.afterForward(this, input, output);
        }
        if (!backwardHooks.isEmpty() && output.requiresGrad()) {
            output = new GradientTap(this).apply(output);
        }
        return output;
    }

    /** Re-initialises the parameters (and resets buffers); called last by every constructor. */
    public void resetParameters() {
    }

    // ------------------------------------------------------------------ registration

    protected final <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter, buffer or child name must be "
                    + "non-empty and without dots, got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the name '" + name + "' is already registered");
        }
    }

    // ------------------------------------------------------------------ traversal

    /** Every parameter of this module and its descendants, by dotted path, in registration order. */
    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, v) -> v.collectParameters(prefix + k + ".", out));
    }

    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer (running statistics and the like) by dotted path. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, v) -> v.collectBuffers(prefix + k + ".", out));
    }

    /** The direct children, by name. */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all its descendants by dotted path ("" for this one), depth first. */
    @Override
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, Map<String, Module> out) {
        out.put(path, this);
        children.forEach((k, v) -> v.collectModules(path.isEmpty() ? k : path + "." + k, out));
    }

    // ------------------------------------------------------------------ modes and gradients

    /** Training mode (the default) for this module and its children; returns this. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode: normalization uses running statistics, dropout is the identity. Returns this. */
    public Module eval() {
        return train(false);
    }

    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) {
            child.train(mode);
        }
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ hooks

    /** Adds a hook run after every forward through {@link #apply}; returns it (to remove later). */
    public ForwardHook addForwardHook(ForwardHook hook) {
        forwardHooks.add(hook);
        return hook;
    }

    /** Adds a hook run in backward with dL/d(output); returns it. */
    public BackwardHook addBackwardHook(BackwardHook hook) {
        backwardHooks.add(hook);
        return hook;
    }

    public void removeHook(Object hook) {
        forwardHooks.remove(hook);
        backwardHooks.remove(hook);
    }

    /** Identity op that shows dL/d(output) to the backward hooks on its way through. */
    private static final class GradientTap extends Function {
        private final Module module;

        GradientTap(Module module) {
            this.module = module;
        }

        @Override
        public String name() {
            return "hook(" + module.getClass().getSimpleName() + ")";
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            return in[0].copy();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (BackwardHook hook : module.backwardHooks) {
                hook.onGradient(module, dy);
            }
            if (dx[0] != null) {
                org.ejml.dense.row.CommonOps_DDRM.addEquals(dx[0], dy);
            }
        }
    }

    // ------------------------------------------------------------------ state for gradient checks

    /**
     * Snapshots every buffer of the tree and every module's extra state (random generators);
     * the returned handle restores them. Gradient checks call this around each perturbed forward.
     */
    @Override
    public State saveState() {
        List<State> states = new ArrayList<>();
        for (Tensor buffer : namedBuffers().values()) {
            DMatrixRMaj copy = buffer.data().copy();
            states.add(() -> buffer.data().setTo(copy));
        }
        for (Module m : namedModules().values()) {
            State extra = m.saveExtraState();
            if (extra != null) {
                states.add(extra);
            }
        }
        return () -> states.forEach(State::restore);
    }

    /** State beyond the buffers that a forward changes (a dropout's random generator); null if none. */
    protected State saveExtraState() {
        return null;
    }

    // ------------------------------------------------------------------ printing

    /** The constructor arguments, as {@code toString()} shows them: {@code "4, 3, bias=true"}. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree with constructor arguments, as PyTorch prints it. */
    @Override
    public String toString() {
        String head = getClass().getSimpleName() + "(" + extraRepr();
        if (children.isEmpty()) {
            return head + ")";
        }
        StringBuilder s = new StringBuilder(head).append('\n');
        children.forEach((name, child) -> s.append("  (").append(name).append("): ")
                .append(child.toString().replace("\n", "\n  ")).append('\n'));
        return s.append(')').toString();
    }
}
