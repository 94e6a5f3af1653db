package dev.normgrad.tutorials.experiments;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The experiments' results as JSON (Gson): records become objects with their component names, arrays
 * become arrays. A value that is not a finite number (a diverged loss) is written as {@code NaN} or
 * {@code Infinity}, which Gson, JavaScript and Python's {@code json} module read back.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .create();
    private static final Gson PRETTY = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .setPrettyPrinting().create();

    private Json() {
    }

    /** One line of JSON. */
    public static String toJson(Object result) {
        return GSON.toJson(result);
    }

    /** Indented JSON, for reading. */
    public static String toPrettyJson(Object result) {
        return PRETTY.toJson(result);
    }

    /** Reads JSON written by {@link #toJson} back into a result type. */
    public static <T> T fromJson(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }
}
