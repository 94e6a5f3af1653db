package dev.normgrad.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.normgrad.nn.Module;
import java.util.List;

/**
 * Where a {@link LayerType.Writer} puts a layer's constructor arguments. Each {@code put} returns
 * this writer, so a layer's arguments read as one chain. Argument names are the constructor's
 * parameter names ({@code inFeatures}, {@code eps}, {@code momentum}).
 */
public final class LayerArgsWriter {
    private final JsonObject object;
    private final String path;
    private final LayerRegistry.WriteContext context;

    LayerArgsWriter(JsonObject object, String path, LayerRegistry.WriteContext context) {
        this.object = object;
        this.path = path;
        this.context = context;
    }

    /** Where this layer is in the architecture, e.g. {@code architecture.layers[1]} (for messages). */
    public String path() {
        return path;
    }

    public LayerArgsWriter put(String name, int value) {
        object.addProperty(checkName(name), value);
        return this;
    }

    public LayerArgsWriter put(String name, long value) {
        object.addProperty(checkName(name), value);
        return this;
    }

    /** A finite number (JSON has no NaN or infinity). */
    public LayerArgsWriter put(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot save " + JsonPaths.key(path, name) + ": the value " + value
                    + " is not finite, and JSON has no NaN or infinity");
        }
        object.addProperty(checkName(name), value);
        return this;
    }

    /** A finite number, or null (written as JSON null) for an argument that may be absent (BatchNorm's momentum). */
    public LayerArgsWriter putNullable(String name, Double value) {
        if (value == null) {
            object.add(checkName(name), JsonNull.INSTANCE);
            return this;
        }
        return put(name, value.doubleValue());
    }

    public LayerArgsWriter put(String name, boolean value) {
        object.addProperty(checkName(name), value);
        return this;
    }

    public LayerArgsWriter put(String name, String value) {
        object.addProperty(checkName(name), value);
        return this;
    }

    public LayerArgsWriter put(String name, int[] values) {
        JsonArray array = new JsonArray(values.length);
        for (int v : values) {
            array.add(v);
        }
        object.add(checkName(name), array);
        return this;
    }

    /** A nested layer, written with its own type and arguments. */
    public LayerArgsWriter putLayer(String name, Module layer) {
        object.add(checkName(name), context.write(layer, JsonPaths.key(path, name), name));
        return this;
    }

    /** A list of nested layers, in order. */
    public LayerArgsWriter putLayers(String name, List<? extends Module> layers) {
        JsonArray array = new JsonArray(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            array.add(context.write(layers.get(i), JsonPaths.index(JsonPaths.key(path, name), i), JsonPaths.index(name, i)));
        }
        object.add(checkName(name), array);
        return this;
    }

    private String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals("type")) {
            throw new IllegalArgumentException("LayerArgsWriter at " + path + ": an argument name must be non-empty and not \"type\" (reserved), got "
                    + (name == null ? "null" : JsonPaths.quote(name)));
        }
        if (object.has(name)) {
            throw new IllegalArgumentException("LayerArgsWriter at " + path + ": the argument " + name + " was written twice");
        }
        return name;
    }
}
