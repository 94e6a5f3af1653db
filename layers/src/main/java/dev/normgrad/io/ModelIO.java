package dev.normgrad.io;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Saves a model — its architecture, parameters and buffers — as versioned JSON, and loads it back.
 *
 * <pre>{@code
 * ModelIO.save(model, Path.of("digits-mlp.json"));
 * Module model = ModelIO.load(Path.of("digits-mlp.json"));   // same outputs, bit for bit
 * }</pre>
 *
 * <p>The format ({@code layers/MODEL-FORMAT.md}):
 * <pre>{@code
 * {"format": "normgrad-model", "version": 1,
 *  "architecture": {"type": "Sequential", "layers": [{"type": "Linear", "inFeatures": 64, "outFeatures": 10, "bias": true}]},
 *  "parameters": {"0.weight": {"shape": [10, 64], "data": [...row-major...]}, "0.bias": {...}},
 *  "buffers": {}}
 * }</pre>
 *
 * <p><b>Loading</b> builds only the layer types of a {@link LayerRegistry} (never a class named by
 * the file), checks every tensor name and shape against the built model, and throws a
 * {@link ModelFormatException} naming the file and the first problem by path, e.g.
 * {@code model.json: layers[2].runningVar (buffer "2.runningVar"): expected 1x16, found 1x8}.
 * Every size is checked against {@link Limits} before memory is allocated for it. A loaded model is
 * in training mode, like a newly constructed one: call {@code eval()} for inference.
 *
 * <p><b>Saving</b> writes a temporary file next to the target, forces it to disk, and renames it over
 * the target in one atomic step; if anything fails on the way, the temporary file is deleted and
 * the previous file is untouched. An interrupted save never leaves a half-written model: even a
 * process killed mid-save (SIGKILL, power loss after the rename) leaves the old or the new model
 * ({@code InterruptedSaveTest}). A killed process cannot delete its temporary file
 * {@code .NAME.<random>.tmp}; loads never read it, and it can be deleted at any time.
 *
 * <p>Not saved: gradients, optimizer state, random-generator state (a Dropout resumes from its seed).
 */
public final class ModelIO {
    /** The value of {@code "format"} in every model file. */
    public static final String FORMAT = "normgrad-model";
    /** The format version this NormGrad writes and reads. */
    public static final int VERSION = 1;

    /**
     * Bounds checked while loading, before allocating memory for what the input claims.
     *
     * @param maxChars         characters in the whole file or string
     * @param maxTensorEntries rows·cols of any one tensor (a shape claiming more is refused unread)
     * @param maxTotalEntries  numbers in all tensors together
     * @param maxDepth         nesting of objects and arrays in the architecture
     */
    public record Limits(long maxChars, long maxTensorEntries, long maxTotalEntries, int maxDepth) {
        /** 1 Gi characters, 16 Mi entries per tensor (128 MiB), 64 Mi entries in all (512 MiB), depth 64. */
        public static final Limits DEFAULT = new Limits(1L << 30, 1L << 24, 1L << 26, 64);

        public Limits {
            if (maxChars <= 0 || maxTensorEntries <= 0 || maxTotalEntries <= 0 || maxDepth <= 0) {
                throw new IllegalArgumentException("ModelIO.Limits: every limit must be positive, got " + maxChars + ", "
                        + maxTensorEntries + ", " + maxTotalEntries + ", " + maxDepth);
            }
            if (maxTensorEntries > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("ModelIO.Limits: maxTensorEntries " + maxTensorEntries
                        + " exceeds what one Java array holds (" + (Integer.MAX_VALUE - 8) + ")");
            }
        }
    }

    private ModelIO() {
    }

    // ------------------------------------------------------------------ saving

    /** Saves with the standard layer types; atomically replaces {@code file}. */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, LayerRegistry.standard());
    }

    /**
     * Saves {@code model} to {@code file} (created or atomically replaced). Throws
     * {@link IllegalArgumentException} for a layer the registry does not know or a non-finite
     * parameter; the previous file is then left as it was.
     */
    public static void save(Module model, Path file, LayerRegistry registry) throws IOException {
        save(model, file, registry, UnaryOperator.identity());
    }

    /** The save itself; {@code wrap} lets tests interpose a writer that fails midway. */
    static void save(Module model, Path file, LayerRegistry registry, UnaryOperator<Writer> wrap) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = createTemporary(directory, target.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                Writer out = wrap.apply(new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16));
                ModelWriter.write(model, registry, out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** {@code .name.<random>.tmp} beside the target: same file system, so the final rename is atomic. */
    private static Path createTemporary(Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable (POSIX); some systems cannot open a directory, and then the rename is all we have. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }

    /** The model as JSON text in the file format, with the standard layer types. */
    public static String toJson(Module model) {
        return toJson(model, LayerRegistry.standard());
    }

    public static String toJson(Module model, LayerRegistry registry) {
        StringWriter out = new StringWriter();
        try {
            ModelWriter.write(model, registry, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ loading

    /** Loads a model saved by {@link #save}, with the standard layer types and default limits. */
    public static Module load(Path file) throws IOException {
        return load(file, LayerRegistry.standard(), Limits.DEFAULT);
    }

    public static Module load(Path file, LayerRegistry registry) throws IOException {
        return load(file, registry, Limits.DEFAULT);
    }

    /**
     * Loads a model, building only the registry's layer types; throws {@link ModelFormatException}
     * (its message starts with the file name) for anything that is not a valid model, and
     * {@link IOException} when the file cannot be read at all.
     */
    public static Module load(Path file, LayerRegistry registry, Limits limits) throws IOException {
        String name = file.toString();
        if (Files.isRegularFile(file) && limits.maxChars() < Long.MAX_VALUE / 4 && Files.size(file) > limits.maxChars() * 4) {
            // more bytes than maxChars characters can take in UTF-8: refuse without reading (the
            // reader also stops at maxChars while streaming, for inputs whose size is not known)
            throw new ModelFormatException("", Files.size(file) + " bytes, larger than the limit of " + limits.maxChars()
                    + " characters (ModelIO.Limits.maxChars)").inFile(name);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, registry, limits);
        } catch (ModelFormatException e) {
            throw e.inFile(name);
        }
    }

    /** A model from JSON text in the file format, with the standard layer types and default limits. */
    public static Module fromJson(String json) {
        return fromJson(json, LayerRegistry.standard(), Limits.DEFAULT);
    }

    public static Module fromJson(String json, LayerRegistry registry) {
        return fromJson(json, registry, Limits.DEFAULT);
    }

    public static Module fromJson(String json, LayerRegistry registry, Limits limits) {
        if (json == null) {
            throw new IllegalArgumentException("ModelIO.fromJson: the JSON text is null");
        }
        if (json.length() > limits.maxChars()) {
            throw new ModelFormatException("", json.length() + " characters, more than the limit of " + limits.maxChars()
                    + " (ModelIO.Limits.maxChars)");
        }
        return read(new StringReader(json), registry, limits);
    }

    private static Module read(Reader in, LayerRegistry registry, Limits limits) {
        ModelReader.Document document = new ModelReader(limits).read(in);
        LayerRegistry.BuildContext builder = registry.builder(limits.maxDepth());
        Module model = builder.build(document.architecture(), "architecture", 1, null);
        LayerPaths paths = new LayerPaths(model, builder.childPaths);
        List<Runnable> copies = new ArrayList<>();
        // names and shapes the architecture expects first, then tensors it does not expect
        match(model.namedParameters(), document.parameters(), document.buffers(), "parameter", "parameters", "buffers", paths, copies);
        match(model.namedBuffers(), document.buffers(), document.parameters(), "buffer", "buffers", "parameters", paths, copies);
        refuseExtra(model.namedParameters(), document.parameters(), "parameter", "parameters");
        refuseExtra(model.namedBuffers(), document.buffers(), "buffer", "buffers");
        // every check passed: only now are values copied in
        copies.forEach(Runnable::run);
        return model;
    }

    /** Checks the names and shapes of one kind of tensor against the built model, and prepares the copies. */
    private static void match(Map<String, ? extends Tensor> expected, Map<String, ModelReader.RawTensor> found,
                              Map<String, ModelReader.RawTensor> otherSection, String kind, String section, String otherName,
                              LayerPaths paths, List<Runnable> copies) {
        for (Map.Entry<String, ? extends Tensor> e : expected.entrySet()) {
            String name = e.getKey();
            Tensor tensor = e.getValue();
            ModelReader.RawTensor raw = found.get(name);
            if (raw == null) {
                throw new ModelFormatException(paths.describe(name, kind), "missing from \"" + section + "\""
                        + (otherSection.containsKey(name) ? " (it is under \"" + otherName + "\")" : "")
                        + "; the architecture has it");
            }
            if (raw.rows() != tensor.rows() || raw.cols() != tensor.cols()) {
                throw new ModelFormatException(paths.describe(name, kind), "expected " + tensor.rows() + "x" + tensor.cols()
                        + ", found " + raw.shape());
            }
            copies.add(() -> System.arraycopy(raw.data(), 0, tensor.data().data, 0, raw.data().length));
        }
    }

    private static void refuseExtra(Map<String, ? extends Tensor> expected, Map<String, ModelReader.RawTensor> found,
                                    String kind, String section) {
        for (String name : found.keySet()) {
            if (!expected.containsKey(name)) {
                throw new ModelFormatException(JsonPaths.key(section, name), "unexpected " + kind
                        + ": the architecture has no " + kind + " of that name (" + names(expected.keySet(), kind) + ")");
            }
        }
    }

    private static String names(Set<String> names, String kind) {
        if (names.isEmpty()) {
            return "it has no " + kind + "s";
        }
        List<String> shown = new ArrayList<>(names);
        String list = String.join(", ", shown.subList(0, Math.min(12, shown.size())));
        return "its " + kind + "s are " + list + (shown.size() > 12 ? ", ..." : "");
    }
}
