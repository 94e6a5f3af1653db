package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * Gaussian error linear unit, elementwise, the exact form (PyTorch's default):
 * <pre>
 *   y = x·Φ(x) = x/2 · (1 + erf(x/√2))        dx = dy · (Φ(x) + x·φ(x))
 * </pre>
 * where Φ and φ are the standard normal distribution and density. Shapes: any → same. D. Hendrycks
 * and K. Gimpel, "Gaussian Error Linear Units (GELUs)", 2016. The op is {@link Gelu} (its erf is
 * W. J. Cody's rational approximation, ~1e-16 relative).
 */
public class GELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}
