package dev.normgrad.diagnostics;

import java.util.Map;

/** The saturation rule of each NormGrad activation layer. */
final class DefaultRules {
    static final Map<Class<?>, SaturationRule> RULES = Map.of();

    private DefaultRules() {
    }
}
