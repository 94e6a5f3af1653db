package dev.normgrad.tutorials.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dev.normgrad.io.StrictJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON file given on the command line (a training config, an input tensor) strictly — no
 * comments, no unquoted strings, nothing after the document — and turns every problem into a
 * {@link CliException} whose message starts with the file as the user named it.
 */
final class JsonFile {
    private static final Gson GSON = new Gson();

    private JsonFile() {
    }

    /**
     * @param file  the file to read
     * @param shown the file as the user named it, for messages
     */
    static JsonElement read(Path file, String shown) {
        String text = readText(file, shown);
        if (text.isBlank()) {
            throw new CliException(shown + ": the file is empty; it should hold a JSON document");
        }
        JsonReader reader = StrictJson.reader(new StringReader(text), false);
        try {
            JsonElement root = GSON.getAdapter(JsonElement.class).read(reader);
            if (!endsHere(reader)) {
                throw new CliException(shown + ": more after the JSON document ends"
                        + "; a file holds one JSON value");
            }
            return root;
        } catch (EOFException e) {
            throw new CliException(shown + ": the JSON ends too early (a truncated file?): " + StrictJson.message(e), e);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new CliException(shown + ": not valid JSON: " + StrictJson.message(e), e);
        }
    }

    private static boolean endsHere(JsonReader reader) throws IOException {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (MalformedJsonException e) {
            return false;
        }
    }

    /** The file's text, UTF-8. */
    static String readText(Path file, String shown) {
        requireNotFolder(file, shown);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable(shown, e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(shown + ": not UTF-8 text (a JSON file is UTF-8)", e);
        }
    }

    /** Refuses a folder named where a file is expected (reading it would fail with a less clear message). */
    static void requireNotFolder(Path file, String shown) {
        if (Files.isDirectory(file)) {
            throw new CliException(shown + ": is a folder, not a file");
        }
    }

    /** The one-line message for a file that could not be read: missing, not permitted, or another I/O error. */
    static CliException unreadable(String shown, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new CliException(shown + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new CliException(shown + ": cannot be read (permission denied)", e);
        }
        return new CliException(shown + ": cannot be read (" + e + ")", e);
    }

    /** A JSON value as a reader understands it: {@code the string "5"}, {@code an array}, {@code null}. */
    static String describe(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) {
            return "the string " + p;
        }
        if (p.isBoolean()) {
            return "the boolean " + p;
        }
        return "the number " + p;
    }

    /**
     * A tensor from {@code file}: either rows, {@code [[1, 2], [3, 4]]}, or the model format's
     * {@code {"shape": [2, 2], "data": [1, 2, 3, 4]}}. Returns {rows, cols} in {@code shape} and the
     * row-major values.
     */
    static double[] tensor(JsonElement root, String shown, int[] shape) {
        if (root.isJsonArray()) {
            JsonArray rows = root.getAsJsonArray();
            if (rows.isEmpty()) {
                throw new CliException(shown + ": the tensor has no rows; give [[...], ...] with at least one row");
            }
            int cols = -1;
            double[] data = null;
            for (int i = 0; i < rows.size(); i++) {
                JsonElement row = rows.get(i);
                if (!row.isJsonArray()) {
                    throw new CliException(shown + ": [" + i + "]: expected a row (an array of numbers), found " + describe(row));
                }
                JsonArray r = row.getAsJsonArray();
                if (cols < 0) {
                    cols = r.size();
                    if (cols == 0) {
                        throw new CliException(shown + ": [0]: the row is empty");
                    }
                    data = new double[rows.size() * cols];
                } else if (r.size() != cols) {
                    throw new CliException(shown + ": [" + i + "]: has " + r.size() + " numbers, but row 0 has " + cols
                            + "; every row has the same length");
                }
                for (int j = 0; j < cols; j++) {
                    data[i * cols + j] = number(r.get(j), shown + ": [" + i + "][" + j + "]");
                }
            }
            shape[0] = rows.size();
            shape[1] = cols;
            return data;
        }
        if (root.isJsonObject()) {
            JsonObject o = root.getAsJsonObject();
            for (String key : o.keySet()) {
                if (!key.equals("shape") && !key.equals("data")) {
                    throw new CliException(shown + ": " + key + ": unexpected key; a tensor is {\"shape\": [rows, cols], \"data\": [...]}");
                }
            }
            JsonElement s = o.get("shape");
            if (s == null || !s.isJsonArray() || s.getAsJsonArray().size() != 2) {
                throw new CliException(shown + ": shape: expected [rows, cols], found " + (s == null ? "nothing" : describe(s)));
            }
            for (int k = 0; k < 2; k++) {
                double v = number(s.getAsJsonArray().get(k), shown + ": shape[" + k + "]");
                if (v < 1 || v != Math.rint(v) || v > 1 << 24) {
                    throw new CliException(shown + ": shape[" + k + "]: expected a positive integer, found " + s.getAsJsonArray().get(k));
                }
                shape[k] = (int) v;
            }
            JsonElement d = o.get("data");
            if (d == null || !d.isJsonArray()) {
                throw new CliException(shown + ": data: expected an array of rows·cols numbers, found " + (d == null ? "nothing" : describe(d)));
            }
            JsonArray a = d.getAsJsonArray();
            long need = (long) shape[0] * shape[1];
            if (a.size() != need) {
                throw new CliException(shown + ": data: has " + a.size() + " numbers, but shape " + shape[0] + "x" + shape[1]
                        + " needs " + need);
            }
            double[] data = new double[a.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = number(a.get(i), shown + ": data[" + i + "]");
            }
            return data;
        }
        throw new CliException(shown + ": expected a tensor, [[...], ...] or {\"shape\": [rows, cols], \"data\": [...]}, found "
                + describe(root));
    }

    private static double number(JsonElement e, String where) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new CliException(where + ": expected a number, found " + describe(e));
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw new CliException(where + ": the number is beyond the range of a double");
        }
        return v;
    }
}
