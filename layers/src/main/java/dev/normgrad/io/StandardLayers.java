package dev.normgrad.io;

import dev.normgrad.init.SplitMix64;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.GELU;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import java.util.List;
import java.util.Random;

/**
 * NormGrad's own layer types, one entry per layer: its name in the file, its constructor arguments,
 * its factory. The names and arguments are listed in {@code layers/MODEL-FORMAT.md}.
 */
final class StandardLayers {
    private StandardLayers() {
    }

    static LayerType<Sequential> sequential() {
        return new LayerType<>("Sequential", Sequential.class,
                (seq, out) -> out.putLayers("layers", seq.layers()),
                in -> new Sequential(in.getLayers("layers").toArray(new Module[0])));
    }

    /**
     * The generator a rebuilt layer initialises from before the file's values overwrite it: a fresh
     * one, so that loading a model never draws from {@code Init.defaultRandom()} and leaves the
     * learner's random sequence as it was.
     */
    private static Random throwaway() {
        return new SplitMix64(0);
    }

    static List<LayerType<?>> types() {
        return List.of(
                sequential(),
                new LayerType<>("Linear", Linear.class,
                        (layer, out) -> out.put("inFeatures", layer.inFeatures()).put("outFeatures", layer.outFeatures())
                                .put("bias", layer.bias() != null),
                        in -> new Linear(in.getInt("inFeatures"), in.getInt("outFeatures"), in.getBoolean("bias"), throwaway())),
                LayerType.withoutArguments("ReLU", ReLU.class, ReLU::new),
                new LayerType<>("LeakyReLU", LeakyReLU.class,
                        (layer, out) -> out.put("negativeSlope", layer.negativeSlope()),
                        in -> new LeakyReLU(in.getDouble("negativeSlope"))),
                LayerType.withoutArguments("Tanh", Tanh.class, Tanh::new),
                LayerType.withoutArguments("Sigmoid", Sigmoid.class, Sigmoid::new),
                LayerType.withoutArguments("GELU", GELU.class, GELU::new),
                LayerType.withoutArguments("Identity", Identity.class, Identity::new),
                // "seed" is the mask generator's state at save time: the loaded layer continues the same masks
                new LayerType<>("Dropout", Dropout.class,
                        (layer, out) -> out.put("p", layer.p()).put("seed", layer.generatorState()),
                        in -> new Dropout(in.getDouble("p"), in.getLong("seed"))));
    }
}
