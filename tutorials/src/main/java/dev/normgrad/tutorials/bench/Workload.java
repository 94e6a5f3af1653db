package dev.normgrad.tutorials.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A reference workload as {@code ./normgrad bench --launches} and {@code bench cpu} time it: its step
 * through the autograd engine and, when there is one, the same step written by hand on raw matrices
 * (engine ÷ raw is the engine's overhead). {@link #ALL} lists them; a new workload is one more entry.
 *
 * @param name      the name in the output ("W2")
 * @param selection the command-line word that selects it ("w2"; W3-full and W3-fast share "w3")
 * @param warmUpSeconds wall-clock warm-up before a launch measures: enough for the JIT to compile
 *                  every method of the step (the W1/W2 engine steps run many of them)
 * @param steps     builds the two steps, from the same weights
 */
public record Workload(String name, String selection, double warmUpSeconds, Supplier<Steps> steps) {

    /**
     * A workload's two steps. Each call runs one step and returns its loss (or a value that depends
     * on all its work, so that nothing is optimised away).
     *
     * @param engine the step through the engine
     * @param raw    the same step written by hand, or null when the workload has none (W3: the check is the workload)
     */
    public record Steps(DoubleSupplier engine, DoubleSupplier raw) {
    }

    /** Every workload, in the order the bench runs them. */
    public static final List<Workload> ALL = List.of(
            new Workload("W1", "w1", 4, () -> {
                W1Engine engine = new W1Engine(W1Raw.standard(7));
                W1Raw raw = W1Raw.standard(7);
                return new Steps(engine::step, raw::step);
            }),
            new Workload("W2", "w2", 4, () -> {
                W2Engine engine = new W2Engine(W2Raw.standard(7));
                W2Raw raw = W2Raw.standard(7);
                return new Steps(engine::lossAndGradients, raw::lossAndGradients);
            }),
            new Workload("W3-full", "w3", 2, () -> {
                W3Bench check = new W3Bench();
                check.setUp();
                return new Steps(() -> check.full().checked(), null);
            }),
            new Workload("W3-fast", "w3", 2, () -> {
                W3Bench check = new W3Bench();
                check.setUp();
                return new Steps(() -> check.fast().checked(), null);
            }),
            new Workload("W4", "w4", 4, () -> {
                W4Engine engine = new W4Engine(W4Raw.standard(7));
                W4Raw raw = W4Raw.standard(7);
                return new Steps(engine::step, raw::step);
            }));

    /** The selection words, in order, each once: "w1", "w2", "w3", "w4". */
    public static List<String> selections() {
        List<String> words = new ArrayList<>();
        for (Workload w : ALL) {
            if (!words.contains(w.selection)) {
                words.add(w.selection);
            }
        }
        return words;
    }

    /** The workloads a selection word names. */
    public static List<Workload> selected(String selection) {
        List<Workload> out = new ArrayList<>();
        for (Workload w : ALL) {
            if (w.selection.equals(selection)) {
                out.add(w);
            }
        }
        return out;
    }

    /** The workload of this name ("W2", case ignored). */
    public static Workload named(String name) {
        for (Workload w : ALL) {
            if (w.name.equalsIgnoreCase(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload named '" + name + "'; the workloads are "
                + String.join(", ", ALL.stream().map(Workload::name).toList()));
    }
}
