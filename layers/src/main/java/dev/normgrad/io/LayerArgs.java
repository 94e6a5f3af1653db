package dev.normgrad.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.normgrad.nn.Module;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The constructor arguments of one layer, as read from a model file, handed to a
 * {@link LayerType.Factory}. Every getter checks the JSON type and throws a
 * {@link ModelFormatException} naming the argument's path ({@code architecture.layers[1].inFeatures})
 * when it is missing or wrong. After the factory returns, an argument it did not read is reported as
 * unexpected, so a misspelt argument in a hand-edited file is never silently ignored.
 */
public final class LayerArgs {
    private final JsonObject object;
    private final String path;
    private final String typeName;
    private final LayerRegistry.BuildContext context;
    private final int depth;
    private final Set<String> read = new LinkedHashSet<>();

    LayerArgs(JsonObject object, String path, String typeName, LayerRegistry.BuildContext context, int depth) {
        this.object = object;
        this.path = path;
        this.typeName = typeName;
        this.context = context;
        this.depth = depth;
        read.add("type");
    }

    /** Where this layer is in the file, e.g. {@code architecture.layers[1]}. */
    public String path() {
        return path;
    }

    /** True if the argument is present (for arguments added in later versions, with a default). */
    public boolean has(String name) {
        return object.has(name);
    }

    public int getInt(String name) {
        BigDecimal value = number(name, "an integer");
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw new ModelFormatException(JsonPaths.key(path, name), "expected an integer, found " + value);
        }
    }

    public int getInt(String name, int defaultValue) {
        return has(name) ? getInt(name) : markRead(name, defaultValue);
    }

    /** An integer in the range of a long (a seed), read exactly even beyond 2⁵³. */
    public long getLong(String name) {
        BigDecimal value = number(name, "an integer");
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new ModelFormatException(JsonPaths.key(path, name), "expected an integer in the range of a long, found " + value);
        }
    }

    /** A finite number. */
    public double getDouble(String name) {
        BigDecimal value = number(name, "a number");
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            throw new ModelFormatException(JsonPaths.key(path, name), "the number is too large for a double");
        }
        return d;
    }

    public double getDouble(String name, double defaultValue) {
        return has(name) ? getDouble(name) : markRead(name, defaultValue);
    }

    /** A finite number, or null where the file has JSON null (BatchNorm's momentum for a cumulative average). */
    public Double getNullableDouble(String name) {
        JsonElement e = require(name, "a number or null");
        return e.isJsonNull() ? null : getDouble(name);
    }

    public boolean getBoolean(String name) {
        JsonElement e = require(name, "true or false");
        if (e instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        throw wrongType(name, "true or false", e);
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        return has(name) ? getBoolean(name) : markRead(name, defaultValue);
    }

    public String getString(String name) {
        JsonElement e = require(name, "a string");
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw wrongType(name, "a string", e);
    }

    /** An array of integers, e.g. a shape. */
    public int[] getIntArray(String name) {
        JsonElement e = require(name, "an array of integers");
        if (!(e instanceof JsonArray array)) {
            throw wrongType(name, "an array of integers", e);
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = array.get(i);
            String itemPath = JsonPaths.index(JsonPaths.key(path, name), i);
            if (!(item instanceof JsonPrimitive p && p.isNumber())) {
                throw new ModelFormatException(itemPath, "expected an integer, found " + JsonPaths.describe(item));
            }
            try {
                out[i] = p.getAsBigDecimal().intValueExact();
            } catch (ArithmeticException ex) {
                throw new ModelFormatException(itemPath, "expected an integer, found " + p.getAsBigDecimal());
            }
        }
        return out;
    }

    /** A nested layer (the layer a wrapper such as weight normalization wraps), built from its registry. */
    public Module getLayer(String name) {
        JsonElement e = require(name, "a layer object");
        return context.build(e, JsonPaths.key(path, name), depth + 1, name);
    }

    /** A list of nested layers (the layers of a Sequential), built in order. */
    public List<Module> getLayers(String name) {
        JsonElement e = require(name, "an array of layer objects");
        if (!(e instanceof JsonArray array)) {
            throw wrongType(name, "an array of layer objects", e);
        }
        List<Module> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(context.build(array.get(i), JsonPaths.index(JsonPaths.key(path, name), i), depth + 1,
                    JsonPaths.index(name, i)));
        }
        return out;
    }

    /** Throws if the file holds an argument the factory never read (a typo, or a file for another version). */
    void checkAllRead() {
        for (String key : object.keySet()) {
            if (!read.contains(key)) {
                List<String> known = new ArrayList<>(read);
                known.remove("type");
                throw new ModelFormatException(JsonPaths.key(path, key), "unexpected argument for " + typeName + "; it takes "
                        + (known.isEmpty() ? "no arguments" : String.join(", ", known)));
            }
        }
    }

    private <T> T markRead(String name, T value) {
        read.add(name);
        return value;
    }

    private JsonElement require(String name, String expected) {
        read.add(name);
        JsonElement e = object.get(name);
        if (e == null) {
            throw new ModelFormatException(JsonPaths.key(path, name), "missing: " + typeName + " needs " + name + " (" + expected + ")");
        }
        return e;
    }

    private BigDecimal number(String name, String expected) {
        JsonElement e = require(name, expected);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            return p.getAsBigDecimal();
        }
        throw wrongType(name, expected, e);
    }

    private ModelFormatException wrongType(String name, String expected, JsonElement found) {
        return new ModelFormatException(JsonPaths.key(path, name), "expected " + expected + ", found " + JsonPaths.describe(found));
    }
}
