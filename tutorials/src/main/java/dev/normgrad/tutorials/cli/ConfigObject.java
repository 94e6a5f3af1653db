package dev.normgrad.tutorials.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * One JSON object of a config file, read field by field: every getter checks the JSON type and the
 * range, and every problem is a {@link CliException} naming the file and the field's path
 * ({@code config.json: optimizer.lr: expected a positive number, found the string "0.1"}).
 */
final class ConfigObject {
    private final JsonObject object;
    private final String file;
    private final String path;

    ConfigObject(JsonElement element, String file, String path) {
        this.file = file;
        this.path = path;
        if (element == null || !element.isJsonObject()) {
            throw new CliException(file + ": " + (path.isEmpty() ? "" : path + ": ") + "expected an object {...}, found "
                    + JsonFile.describe(element));
        }
        this.object = element.getAsJsonObject();
    }

    /** {@code file: path.key}, the prefix of a message about {@code key}. */
    String where(String key) {
        return file + ": " + (path.isEmpty() ? key : path + "." + key);
    }

    /** {@code file: path}, the prefix of a message about this object. */
    String where() {
        return file + ": " + (path.isEmpty() ? "(top level)" : path);
    }

    String file() {
        return file;
    }

    boolean has(String key) {
        return object.has(key);
    }

    /** Refuses a key not in {@code allowed}: a misspelt option is never silently ignored. */
    void allowOnly(String what, String... allowed) {
        List<String> keys = Arrays.asList(allowed);
        for (String key : object.keySet()) {
            if (!keys.contains(key)) {
                throw new CliException(where(key) + ": unexpected key; " + what + " takes " + String.join(", ", allowed));
            }
        }
    }

    ConfigObject object(String key) {
        if (!object.has(key)) {
            throw new CliException(where(key) + ": missing");
        }
        return new ConfigObject(object.get(key), file, path.isEmpty() ? key : path + "." + key);
    }

    JsonArray array(String key) {
        JsonElement e = object.get(key);
        if (e == null) {
            throw new CliException(where(key) + ": missing");
        }
        if (!e.isJsonArray()) {
            throw new CliException(where(key) + ": expected an array [...], found " + JsonFile.describe(e));
        }
        return e.getAsJsonArray();
    }

    String path() {
        return path;
    }

    String string(String key, String fallback) {
        JsonElement e = object.get(key);
        if (e == null) {
            if (fallback == null) {
                throw new CliException(where(key) + ": missing");
            }
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CliException(where(key) + ": expected a string, found " + JsonFile.describe(e));
        }
        return e.getAsString();
    }

    /** An integer ≥ {@code min}; {@code fallback} null makes it required. */
    int integer(String key, Integer fallback, int min) {
        JsonElement e = object.get(key);
        if (e == null) {
            if (fallback == null) {
                throw new CliException(where(key) + ": missing (an integer >= " + min + ")");
            }
            return fallback;
        }
        double v = numberOf(key, e, "an integer >= " + min);
        if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
            throw new CliException(where(key) + ": expected an integer >= " + min + ", found " + e);
        }
        return (int) v;
    }

    long longInteger(String key, long fallback) {
        JsonElement e = object.get(key);
        if (e == null) {
            return fallback;
        }
        double v = numberOf(key, e, "an integer");
        if (v != Math.rint(v) || Math.abs(v) > 1L << 53) {
            throw new CliException(where(key) + ": expected an integer, found " + e);
        }
        return (long) v;
    }

    /** A finite number in [min, max]; {@code fallback} null makes it required. */
    double number(String key, Double fallback, double min, double max) {
        JsonElement e = object.get(key);
        if (e == null) {
            if (fallback == null) {
                throw new CliException(where(key) + ": missing (a number)");
            }
            return fallback;
        }
        String range = "a number in [" + min + ", " + max + "]";
        double v = numberOf(key, e, range);
        if (!(v >= min && v <= max)) {
            throw new CliException(where(key) + ": expected " + range + ", found " + e);
        }
        return v;
    }

    /** A number, or JSON null (returned as null), or {@code fallback} when absent. */
    Double nullableNumber(String key, Double fallback, double min, double max) {
        JsonElement e = object.get(key);
        if (e != null && e.isJsonNull()) {
            return null;
        }
        return number(key, fallback, min, max);
    }

    /**
     * A (height, width) pair ≥ {@code min}: one integer for both, or {@code [h, w]}; {@code fallback}
     * null makes it required.
     */
    int[] pair(String key, int[] fallback, int min) {
        JsonElement e = object.get(key);
        String expected = "an integer >= " + min + " or a pair [height, width] of them";
        if (e == null) {
            if (fallback == null) {
                throw new CliException(where(key) + ": missing (" + expected + ")");
            }
            return fallback.clone();
        }
        if (e.isJsonPrimitive()) {
            int v = integer(key, null, min);
            return new int[] {v, v};
        }
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 2) {
            throw new CliException(where(key) + ": expected " + expected + ", found " + JsonFile.describe(e));
        }
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            JsonElement item = e.getAsJsonArray().get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber() || item.getAsDouble() != Math.rint(item.getAsDouble())
                    || item.getAsDouble() < min || item.getAsDouble() > Integer.MAX_VALUE) {
                throw new CliException(where(key) + ": expected " + expected + ", found " + e);
            }
            out[i] = (int) item.getAsDouble();
        }
        return out;
    }

    /** An array of positive integers (a shape), or null when absent. */
    int[] positiveIntegers(String key) {
        if (!object.has(key)) {
            return null;
        }
        JsonArray a = array(key);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = a.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber() || item.getAsDouble() != Math.rint(item.getAsDouble())
                    || item.getAsDouble() < 1 || item.getAsDouble() > Integer.MAX_VALUE) {
                throw new CliException(where(key) + ": expected an array of positive integers, found " + a);
            }
            out[i] = (int) item.getAsDouble();
        }
        return out;
    }

    boolean bool(String key, boolean fallback) {
        JsonElement e = object.get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new CliException(where(key) + ": expected true or false, found " + JsonFile.describe(e));
        }
        return e.getAsBoolean();
    }

    private double numberOf(String key, JsonElement e, String expected) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new CliException(where(key) + ": expected " + expected + ", found " + JsonFile.describe(e));
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw new CliException(where(key) + ": the number is beyond the range of a double");
        }
        return v;
    }
}
