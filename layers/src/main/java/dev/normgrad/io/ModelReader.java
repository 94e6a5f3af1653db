package dev.normgrad.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model file as a stream of JSON tokens, checking each value's type as it comes and every
 * size before allocating for it. The architecture (small) becomes a JSON tree of bounded depth; the
 * tensors go straight into {@code double[]} arrays. Nothing here instantiates a class.
 */
final class ModelReader {
    /** A tensor as the file holds it, not yet matched against a model. */
    record RawTensor(int rows, int cols, double[] data) {
        String shape() {
            return rows + "x" + cols;
        }
    }

    /** The parts of a model file. */
    record Document(JsonObject architecture, Map<String, RawTensor> parameters, Map<String, RawTensor> buffers) {
    }

    private static final String LAYOUT = "a NormGrad model file is {\"format\": \"" + ModelIO.FORMAT + "\", \"version\": "
            + ModelIO.VERSION + ", \"architecture\": {...}, \"parameters\": {...}, \"buffers\": {...}}";

    private final ModelIO.Limits limits;
    private long totalEntries;

    ModelReader(ModelIO.Limits limits) {
        this.limits = limits;
    }

    Document read(Reader source) {
        // NaN and Infinity (as Python's json writes them) reach readNumber, which names the tensor entry
        JsonReader reader = StrictJson.reader(new BoundedReader(source, limits.maxChars()), true);
        try {
            return readDocument(reader);
        } catch (MalformedJsonException e) {
            throw new ModelFormatException("", "not valid JSON: " + StrictJson.message(e), e);
        } catch (EOFException e) {
            throw new ModelFormatException("", "the JSON ends too early (a truncated file?): " + StrictJson.message(e), e);
        } catch (CharacterCodingException e) {
            throw new ModelFormatException("", "not UTF-8 text (a model file is UTF-8 JSON)", e);
        } catch (IOException e) {
            throw new ModelFormatException("", "cannot be read: " + e, e);
        } catch (IllegalStateException | NumberFormatException e) {
            // JsonReader signals some malformed input (e.g. a number literal it cannot convert) this way
            throw new ModelFormatException("", "not valid JSON: " + StrictJson.message(e), e);
        }
    }

    private Document readDocument(JsonReader reader) throws IOException {
        JsonToken first;
        try {
            first = reader.peek();
        } catch (EOFException e) {
            first = JsonToken.END_DOCUMENT;
        }
        if (first == JsonToken.END_DOCUMENT) {
            throw new ModelFormatException("", "empty: no JSON at all; " + LAYOUT);
        }
        if (first != JsonToken.BEGIN_OBJECT) {
            throw new ModelFormatException("", "expected a JSON object, found " + found(reader) + "; " + LAYOUT);
        }
        JsonObject architecture = null;
        Map<String, RawTensor> parameters = null;
        Map<String, RawTensor> buffers = null;
        boolean format = false;
        boolean version = false;
        Set<String> seen = new HashSet<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            String path = JsonPaths.key("", key);
            if (!seen.add(key)) {
                throw new ModelFormatException(path, "appears twice; each key appears once");
            }
            switch (key) {
                case "format" -> {
                    readFormat(reader);
                    format = true;
                }
                case "version" -> {
                    readVersion(reader);
                    version = true;
                }
                case "architecture" -> {
                    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                        throw new ModelFormatException(path, "expected a layer object, found " + found(reader));
                    }
                    architecture = (JsonObject) readTree(reader, path, 1);
                }
                case "parameters" -> parameters = readTensors(reader, path);
                case "buffers" -> buffers = readTensors(reader, path);
                default -> throw new ModelFormatException(path, "unexpected key; " + LAYOUT);
            }
        }
        reader.endObject();
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new ModelFormatException("", "unexpected " + found(reader) + " after the model's closing brace");
        }
        if (!format) {
            throw new ModelFormatException("format", "missing: this is not a NormGrad model file; " + LAYOUT);
        }
        if (!version) {
            throw new ModelFormatException("version", "missing; " + LAYOUT);
        }
        if (architecture == null) {
            throw new ModelFormatException("architecture", "missing: the file must say which layers to build; " + LAYOUT);
        }
        if (parameters == null) {
            throw new ModelFormatException("parameters", "missing (write \"parameters\": {} for a model without any); " + LAYOUT);
        }
        if (buffers == null) {
            throw new ModelFormatException("buffers", "missing (write \"buffers\": {} for a model without any); " + LAYOUT);
        }
        return new Document(architecture, parameters, buffers);
    }

    private void readFormat(JsonReader reader) throws IOException {
        if (reader.peek() != JsonToken.STRING) {
            throw new ModelFormatException("format", "expected the string \"" + ModelIO.FORMAT + "\", found " + found(reader));
        }
        String format = reader.nextString();
        if (!ModelIO.FORMAT.equals(format)) {
            throw new ModelFormatException("format", "expected \"" + ModelIO.FORMAT + "\", found " + JsonPaths.quote(format)
                    + ": this file is not a NormGrad model");
        }
    }

    private void readVersion(JsonReader reader) throws IOException {
        if (reader.peek() != JsonToken.NUMBER) {
            throw new ModelFormatException("version", "expected an integer, found " + found(reader));
        }
        String literal = reader.nextString();
        BigDecimal value = new BigDecimal(literal);
        if (value.compareTo(BigDecimal.valueOf(ModelIO.VERSION)) != 0) {
            throw new ModelFormatException("version", "unsupported version " + literal + "; this NormGrad reads version "
                    + ModelIO.VERSION + (value.compareTo(BigDecimal.valueOf(ModelIO.VERSION)) > 0
                    ? " (the file was written by a newer NormGrad: upgrade to load it)" : ""));
        }
    }

    // ------------------------------------------------------------------ the architecture

    /** A JSON value as a tree, at most {@code maxDepth} arrays/objects deep; duplicate keys refused. */
    private JsonElement readTree(JsonReader reader, String path, int depth) throws IOException {
        JsonToken token = reader.peek();
        if ((token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY) && depth > limits.maxDepth()) {
            throw new ModelFormatException(path, "nested deeper than " + limits.maxDepth() + " levels (ModelIO.Limits.maxDepth)");
        }
        switch (token) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String key = reader.nextName();
                    String child = JsonPaths.key(path, key);
                    if (object.has(key)) {
                        throw new ModelFormatException(child, "appears twice; each key appears once");
                    }
                    object.add(key, readTree(reader, child, depth + 1));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(readTree(reader, JsonPaths.index(path, array.size()), depth + 1));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new BigDecimal(reader.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new ModelFormatException(path, "expected a value, found " + found(reader));
        }
    }

    // ------------------------------------------------------------------ tensors

    private Map<String, RawTensor> readTensors(JsonReader reader, String path) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new ModelFormatException(path, "expected an object of named tensors {\"0.weight\": {\"shape\": [rows, cols], "
                    + "\"data\": [...]}, ...}, found " + found(reader));
        }
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            String tensorPath = JsonPaths.key(path, name);
            if (tensors.containsKey(name)) {
                throw new ModelFormatException(tensorPath, "appears twice; each tensor appears once");
            }
            tensors.put(name, readTensor(reader, tensorPath));
        }
        reader.endObject();
        return tensors;
    }

    private RawTensor readTensor(JsonReader reader, String path) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new ModelFormatException(path, "expected a tensor {\"shape\": [rows, cols], \"data\": [...]}, found " + found(reader));
        }
        int[] shape = null;
        double[] data = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            String keyPath = JsonPaths.key(path, key);
            switch (key) {
                case "shape" -> {
                    if (shape != null) {
                        throw new ModelFormatException(keyPath, "appears twice; each key appears once");
                    }
                    shape = readShape(reader, keyPath);
                    if (data != null && data.length != (long) shape[0] * shape[1]) {
                        throw countMismatch(path, data.length, shape);
                    }
                }
                case "data" -> {
                    if (data != null) {
                        throw new ModelFormatException(keyPath, "appears twice; each key appears once");
                    }
                    data = readData(reader, keyPath, path, shape);
                }
                default -> throw new ModelFormatException(keyPath, "unexpected key; a tensor is {\"shape\": [rows, cols], \"data\": [...]}");
            }
        }
        reader.endObject();
        if (shape == null) {
            throw new ModelFormatException(JsonPaths.key(path, "shape"), "missing; a tensor is {\"shape\": [rows, cols], \"data\": [...]}");
        }
        if (data == null) {
            throw new ModelFormatException(JsonPaths.key(path, "data"), "missing; a tensor is {\"shape\": [rows, cols], \"data\": [...]}");
        }
        return new RawTensor(shape[0], shape[1], data);
    }

    private int[] readShape(JsonReader reader, String path) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new ModelFormatException(path, "expected [rows, cols], found " + found(reader));
        }
        int[] shape = new int[2];
        int n = 0;
        reader.beginArray();
        while (reader.hasNext()) {
            String itemPath = JsonPaths.index(path, n);
            if (n == 2) {
                throw new ModelFormatException(path, "expected [rows, cols], found more than two numbers (NormGrad tensors are 2-D)");
            }
            if (reader.peek() != JsonToken.NUMBER) {
                throw new ModelFormatException(itemPath, "expected a positive integer, found " + found(reader));
            }
            String literal = reader.nextString();
            int value;
            try {
                value = new BigDecimal(literal).intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                value = -1;
            }
            if (value <= 0) {
                throw new ModelFormatException(itemPath, "expected a positive integer, found " + literal);
            }
            shape[n++] = value;
        }
        reader.endArray();
        if (n != 2) {
            throw new ModelFormatException(path, "expected [rows, cols], found " + n + (n == 1 ? " number" : " numbers")
                    + " (NormGrad tensors are 2-D)");
        }
        long entries = (long) shape[0] * shape[1];
        if (entries > limits.maxTensorEntries()) {
            throw new ModelFormatException(path, "shape " + shape[0] + "x" + shape[1] + " has " + entries
                    + " entries, more than the limit of " + limits.maxTensorEntries()
                    + " (ModelIO.Limits.maxTensorEntries); refused before allocating");
        }
        return shape;
    }

    /** The numbers of a tensor: with the shape known, exactly rows·cols of them, else as many as the limits allow. */
    private double[] readData(JsonReader reader, String path, String tensorPath, int[] shape) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new ModelFormatException(path, "expected an array of numbers (row-major), found " + found(reader));
        }
        long bound = shape != null ? (long) shape[0] * shape[1] : limits.maxTensorEntries();
        if (totalEntries + (shape != null ? bound : 0) > limits.maxTotalEntries()) {
            throw totalTooLarge(path, bound);
        }
        // grown as numbers arrive, so memory follows what the file holds, not what its shape claims
        double[] data = new double[(int) Math.min(bound, 1024)];
        int n = 0;
        reader.beginArray();
        while (reader.hasNext()) {
            if (n == bound) {
                if (shape != null) {
                    throw new ModelFormatException(path, "more numbers than shape " + shape[0] + "x" + shape[1] + " holds (" + bound + ")");
                }
                throw new ModelFormatException(path, "more than " + bound + " numbers (ModelIO.Limits.maxTensorEntries)");
            }
            if (totalEntries + n >= limits.maxTotalEntries()) {
                throw totalTooLarge(path, n + 1);
            }
            if (n == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(bound, 2L * data.length));
            }
            data[n] = readNumber(reader, JsonPaths.index(path, n));
            n++;
        }
        reader.endArray();
        if (shape != null && n != bound) {
            throw countMismatch(tensorPath, n, shape);
        }
        totalEntries += n;
        return n == data.length ? data : Arrays.copyOf(data, n);
    }

    private double readNumber(JsonReader reader, String path) throws IOException {
        JsonToken token = reader.peek();
        if (token == JsonToken.NUMBER) {
            double value = reader.nextDouble();
            if (!Double.isFinite(value)) {
                throw new ModelFormatException(path, "the number is beyond the range of a double (about ±1.8e308); "
                        + "a model file holds only finite numbers");
            }
            return value;
        }
        if (token == JsonToken.STRING) {
            String s = reader.nextString();
            if (s.matches("[+-]?(NaN|nan|Infinity|inf|Inf)")) {
                throw new ModelFormatException(path, "non-finite number " + s + ": a model file holds only finite numbers "
                        + "(the model that was saved had diverged; retrain it, with Anomaly.detect() to find where)");
            }
            throw new ModelFormatException(path, "expected a number, found the string " + JsonPaths.quote(s));
        }
        throw new ModelFormatException(path, "expected a number, found " + found(reader));
    }

    private static ModelFormatException countMismatch(String tensorPath, long count, int[] shape) {
        return new ModelFormatException(tensorPath, "data has " + count + " numbers, but shape " + shape[0] + "x" + shape[1]
                + " needs " + (long) shape[0] * shape[1]);
    }

    private ModelFormatException totalTooLarge(String path, long more) {
        return new ModelFormatException(path, "the tensors together hold more than " + limits.maxTotalEntries()
                + " numbers (ModelIO.Limits.maxTotalEntries); refused before allocating " + more + " more");
    }

    /** What the reader is looking at, consumed, for a message: "the string \"abc\"", "an array"... */
    private static String found(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        return switch (token) {
            case STRING -> "the string " + JsonPaths.quote(reader.nextString());
            case NUMBER -> "the number " + reader.nextString();
            case BOOLEAN -> reader.nextBoolean() ? "true" : "false";
            case NULL -> "null";
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case END_ARRAY -> "the end of an array";
            case END_OBJECT -> "the end of an object";
            case NAME -> "a key";
            case END_DOCUMENT -> "the end of the file";
        };
    }

    /** Stops reading past {@code max} characters, so a huge input is refused while streaming. */
    private static final class BoundedReader extends Reader {
        private final Reader in;
        private final long max;
        private long count;

        BoundedReader(Reader in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, (int) Math.min(length, max - count + 1));
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new ModelFormatException("", "larger than " + max + " characters (ModelIO.Limits.maxChars)");
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
