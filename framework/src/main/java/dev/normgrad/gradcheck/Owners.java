package dev.normgrad.gradcheck;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Names where an op was created: the path in the model of the module whose forward applied it,
 * as {@code "layers.3 (LayerNorm)"}, from the model's {@link Checkable#namedModules()}.
 */
final class Owners {
    private final Map<Object, String> paths = new IdentityHashMap<>();

    Owners(Checkable model) {
        for (Map.Entry<String, ? extends Checkable> e : model.namedModules().entrySet()) {
            paths.putIfAbsent(e.getValue(), e.getKey());
        }
        paths.putIfAbsent(model, "");
    }

    /** The owner's path in the model ("" for the model itself), or null when it is not part of it. */
    String path(Object owner) {
        return owner == null || owner instanceof GradCheck.FunctionModel ? null : paths.get(owner);
    }

    /** "layers.3 (LayerNorm)", "the model (MyNet)", "a LayerNorm" (not found in the model), or "your function". */
    String label(Object owner) {
        if (owner == null || owner instanceof GradCheck.FunctionModel) {
            return "your function";
        }
        String type = owner.getClass().getSimpleName().isEmpty() ? owner.getClass().getName() : owner.getClass().getSimpleName();
        String path = paths.get(owner);
        if (path == null) {
            return "a " + type;
        }
        return path.isEmpty() ? "the model (" + type + ")" : path + " (" + type + ")";
    }
}
