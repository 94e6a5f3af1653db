package dev.normgrad.io;

import dev.normgrad.nn.Module;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One kind of layer that {@link ModelIO} can save and load: the name written as {@code "type"} in
 * the file, the class, how to write the layer's constructor arguments, and how to rebuild the layer
 * from them. Loading builds only the types of a {@link LayerRegistry}; a name in the file is looked
 * up there and never used to find or instantiate a class.
 *
 * <p>Adding a layer takes a few lines:
 * <pre>{@code
 * new LayerType<>("Linear", Linear.class,
 *         (layer, out) -> out.put("inFeatures", layer.inFeatures())
 *                            .put("outFeatures", layer.outFeatures())
 *                            .put("bias", layer.bias() != null),
 *         in -> new Linear(in.getInt("inFeatures"), in.getInt("outFeatures"), in.getBoolean("bias")))
 * }</pre>
 * The factory only rebuilds the structure: parameters and buffers are then filled from the file,
 * so the layer's random initialisation does not matter. Write every constructor argument that
 * changes the layer's shapes or its computation (eps, momentum...), or a loaded model would differ.
 *
 * @param name       the {@code "type"} written in the file: a letter then letters, digits or {@code _}
 * @param layerClass the exact class written under this name (a subclass needs its own type)
 * @param writer     writes the constructor arguments of a layer
 * @param factory    builds a layer from the arguments the writer wrote
 */
public record LayerType<M extends Module>(String name, Class<M> layerClass, Writer<M> writer, Factory<M> factory) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public LayerType {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("LayerType: the name must be a letter followed by letters, digits or '_', got "
                    + (name == null ? "null" : JsonPaths.quote(name)));
        }
        if (layerClass == null || writer == null || factory == null) {
            throw new IllegalArgumentException("LayerType " + name + ": the class, writer and factory must not be null");
        }
    }

    /** A layer whose constructor takes no arguments (an activation such as ReLU). */
    public static <M extends Module> LayerType<M> withoutArguments(String name, Class<M> layerClass, Supplier<M> constructor) {
        return new LayerType<>(name, layerClass, (layer, out) -> { }, in -> constructor.get());
    }

    /** Writes the constructor arguments of {@code layer} into {@code out}. */
    @FunctionalInterface
    public interface Writer<M extends Module> {
        void write(M layer, LayerArgsWriter out);
    }

    /** Builds a layer from its constructor arguments; a bad argument throws (the message is kept). */
    @FunctionalInterface
    public interface Factory<M extends Module> {
        M create(LayerArgs in);
    }

    void writeArguments(Module layer, LayerArgsWriter out) {
        writer.write(layerClass.cast(layer), out);
    }
}
