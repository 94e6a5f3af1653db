package dev.normgrad.recurrent;

import dev.normgrad.nn.Module;
import dev.normgrad.norm.LayerNorm;

/** The implementations behind {@link CellNormalization}'s factories. */
final class CellNormalizations {
    static final CellNormalization NONE = new Named("none", (site, features) -> null);
    static final CellNormalization LAYER_NORM = new Named("layerNorm", (site, features) -> new LayerNorm(features));

    private CellNormalizations() {
    }

    /** A normalization with a name for {@code toString()}. */
    record Named(String name, CellNormalization factory) implements CellNormalization {
        @Override
        public Module create(Site site, int features) {
            return factory.create(site, features);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
