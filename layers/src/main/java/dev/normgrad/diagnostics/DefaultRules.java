package dev.normgrad.diagnostics;

import dev.normgrad.nn.GELU;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import java.util.Map;

/** The saturation rule of each NormGrad activation layer (layers without one report NaN). */
final class DefaultRules {
    static final Map<Class<?>, SaturationRule> RULES = Map.of(
            Tanh.class, SaturationRule.TANH,
            Sigmoid.class, SaturationRule.SIGMOID,
            ReLU.class, SaturationRule.RELU,
            LeakyReLU.class, SaturationRule.LEAKY_RELU,
            GELU.class, SaturationRule.GELU);

    private DefaultRules() {
    }
}
