package dev.normgrad.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The layer types {@link ModelIO} knows: a model file can only build these. {@link #standard()}
 * holds NormGrad's own layers; a course or a learner with a layer of their own adds it:
 * <pre>{@code
 * LayerRegistry registry = LayerRegistry.standard().with(
 *         new LayerType<>("Scale", Scale.class, (s, out) -> out.put("features", s.features()),
 *                         in -> new Scale(in.getInt("features"))));
 * ModelIO.save(model, path, registry);
 * Module again = ModelIO.load(path, registry);
 * }</pre>
 * A registry is immutable: {@link #with} returns a new one. Type names are looked up in a map —
 * loading never calls {@code Class.forName} or reflection on a name from the file, so a file
 * naming {@code java.lang.Runtime} is refused like any other unknown type.
 */
public final class LayerRegistry {
    private static final LayerRegistry STANDARD = new LayerRegistry(Map.of(), Map.of()).with(StandardLayers.types());

    private final Map<String, LayerType<?>> byName;
    private final Map<Class<?>, LayerType<?>> byClass;

    private LayerRegistry(Map<String, LayerType<?>> byName, Map<Class<?>, LayerType<?>> byClass) {
        this.byName = byName;
        this.byClass = byClass;
    }

    /** NormGrad's layers: {@link Sequential} and every layer listed in {@code MODEL-FORMAT.md}. */
    public static LayerRegistry standard() {
        return STANDARD;
    }

    /** A registry holding only {@link Sequential} (to build a registry of your own from scratch). */
    public static LayerRegistry minimal() {
        return new LayerRegistry(Map.of(), Map.of()).with(StandardLayers.sequential());
    }

    /** A new registry with these types added; a name or class already registered is refused. */
    public LayerRegistry with(LayerType<?>... types) {
        return with(List.of(types));
    }

    /** A new registry with these types added; a name or class already registered is refused. */
    public LayerRegistry with(List<? extends LayerType<?>> types) {
        Map<String, LayerType<?>> names = new LinkedHashMap<>(byName);
        Map<Class<?>, LayerType<?>> classes = new LinkedHashMap<>(byClass);
        for (LayerType<?> type : types) {
            if (names.containsKey(type.name())) {
                throw new IllegalArgumentException("LayerRegistry: the type name " + type.name() + " is already registered (for "
                        + names.get(type.name()).layerClass().getName() + "); choose another name");
            }
            if (classes.containsKey(type.layerClass())) {
                throw new IllegalArgumentException("LayerRegistry: " + type.layerClass().getName() + " is already registered as "
                        + classes.get(type.layerClass()).name());
            }
            names.put(type.name(), type);
            classes.put(type.layerClass(), type);
        }
        return new LayerRegistry(Collections.unmodifiableMap(names), Collections.unmodifiableMap(classes));
    }

    /** The type registered under {@code name}. */
    public Optional<LayerType<?>> type(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The type registered for exactly this class (a subclass is not its parent's type). */
    public Optional<LayerType<?>> typeOf(Class<? extends Module> layerClass) {
        return Optional.ofNullable(byClass.get(layerClass));
    }

    /** The registered type names, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(byName.keySet()));
    }

    // ------------------------------------------------------------------ writing

    /** The architecture of {@code model} as JSON, and each module's path in it (for messages). */
    WriteContext writer() {
        return new WriteContext();
    }

    /** Writing one architecture: remembers where each child was written, for {@link LayerPaths}. */
    final class WriteContext {
        final Map<Module, String> childPaths = new IdentityHashMap<>();

        JsonObject write(Module layer, String path, String relativePath) {
            if (layer == null) {
                throw new IllegalArgumentException("cannot save " + path + ": the layer is null");
            }
            LayerType<?> type = byClass.get(layer.getClass());
            if (type == null) {
                throw new IllegalArgumentException("cannot save " + path + ": " + layer.getClass().getName()
                        + " is not a registered layer type (known: " + String.join(", ", names())
                        + "); add it with LayerRegistry.standard().with(new LayerType<>(...)) and pass that registry to ModelIO");
            }
            if (relativePath != null) {
                childPaths.put(layer, relativePath);
            }
            JsonObject object = new JsonObject();
            object.addProperty("type", type.name());
            type.writeArguments(layer, new LayerArgsWriter(object, path, this));
            return object;
        }
    }

    // ------------------------------------------------------------------ building

    BuildContext builder(int maxDepth) {
        return new BuildContext(maxDepth);
    }

    /** Building one architecture: registry look-ups only, depth bounded, child paths remembered. */
    final class BuildContext {
        final Map<Module, String> childPaths = new IdentityHashMap<>();
        private final int maxDepth;

        BuildContext(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        Module build(JsonElement element, String path, int depth, String relativePath) {
            if (depth > maxDepth) {
                throw new ModelFormatException(path, "layers nested deeper than " + maxDepth + " levels (ModelIO.Limits.maxDepth)");
            }
            if (!(element instanceof JsonObject object)) {
                throw new ModelFormatException(path, "expected a layer object {\"type\": ..., arguments...}, found " + JsonPaths.describe(element));
            }
            JsonElement typeElement = object.get("type");
            String typePath = JsonPaths.key(path, "type");
            if (typeElement == null) {
                throw new ModelFormatException(typePath, "missing: every layer names its type (known types: " + String.join(", ", names()) + ")");
            }
            if (!(typeElement instanceof JsonPrimitive p && p.isString())) {
                throw new ModelFormatException(typePath, "expected a type name string, found " + JsonPaths.describe(typeElement));
            }
            String name = typeElement.getAsString();
            LayerType<?> type = byName.get(name);
            if (type == null) {
                throw new ModelFormatException(typePath, "unknown layer type " + JsonPaths.quote(name) + "; known types: "
                        + String.join(", ", names()) + " (a layer of your own must be registered: LayerRegistry.standard().with(...))");
            }
            LayerArgs args = new LayerArgs(object, path, name, this, depth);
            Module layer;
            try {
                layer = type.factory().create(args);
            } catch (ModelFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(path, name + " cannot be built from these arguments: " + e.getMessage(), e);
            }
            if (layer == null || layer.getClass() != type.layerClass()) {
                throw new IllegalStateException("LayerType " + name + ": the factory returned "
                        + (layer == null ? "null" : layer.getClass().getName()) + ", not a " + type.layerClass().getName());
            }
            args.checkAllRead();
            if (relativePath != null) {
                childPaths.put(layer, relativePath);
            }
            return layer;
        }
    }

    /** The layer types of this registry, in registration order (for documentation and tests). */
    List<LayerType<?>> types() {
        return new ArrayList<>(byName.values());
    }
}
