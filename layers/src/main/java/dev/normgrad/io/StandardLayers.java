package dev.normgrad.io;

import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import java.util.List;

/** NormGrad's own layer types, one entry per layer: its name, its constructor arguments, its factory. */
final class StandardLayers {
    private StandardLayers() {
    }

    static LayerType<Sequential> sequential() {
        return new LayerType<>("Sequential", Sequential.class,
                (seq, out) -> out.putLayers("layers", seq.layers()),
                in -> new Sequential(in.getLayers("layers").toArray(new Module[0])));
    }

    static List<LayerType<?>> types() {
        return List.of(sequential());
    }
}
