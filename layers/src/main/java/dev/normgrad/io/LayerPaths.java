package dev.normgrad.io;

import dev.normgrad.nn.Module;
import java.util.HashMap;
import java.util.Map;

/**
 * Translates dotted module names ({@code 2.runningVar}, as {@link Module#namedBuffers()} gives them)
 * into the paths of the architecture a learner reads in the file ({@code layers[2].runningVar}).
 */
final class LayerPaths {
    private final Map<String, String> displayByName = new HashMap<>();

    /** @param childPaths each child module's path relative to its parent's layer object ({@code layers[2]}) */
    LayerPaths(Module root, Map<Module, String> childPaths) {
        for (Map.Entry<String, Module> e : root.namedModules().entrySet()) {
            String name = e.getKey();
            if (name.isEmpty()) {
                displayByName.put(name, "");
                continue;
            }
            int dot = name.lastIndexOf('.');
            String parent = dot < 0 ? "" : name.substring(0, dot);
            String local = childPaths.getOrDefault(e.getValue(), name.substring(dot + 1));
            displayByName.putIfAbsent(name, join(displayByName.getOrDefault(parent, parent), local));
        }
    }

    /** {@code layers[2].runningVar} for the tensor named {@code 2.runningVar}. */
    String tensor(String name) {
        int dot = name.lastIndexOf('.');
        String module = dot < 0 ? "" : name.substring(0, dot);
        return join(displayByName.getOrDefault(module, module), name.substring(dot + 1));
    }

    /** How a message names a tensor: {@code layers[2].runningVar (buffer "2.runningVar")}. */
    String describe(String name, String kind) {
        String display = tensor(name);
        return display.equals(name) ? kind + " " + JsonPaths.quote(name) : display + " (" + kind + " " + JsonPaths.quote(name) + ")";
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
