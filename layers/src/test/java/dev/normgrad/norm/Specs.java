package dev.normgrad.norm;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Parameter;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** One configuration of every normalization layer, with an input shape that exercises it. */
final class Specs {
    private Specs() {
    }

    record Spec(String name, Supplier<NormalizationLayer> make, int rows, int cols) {
        /** A fresh layer with random γ, β (not 1 and 0), fused or composed. */
        NormalizationLayer build(boolean fused, long seed) {
            NormalizationLayer layer = make.get();
            layer.setFused(fused);
            Random r = new Random(seed);
            for (Parameter p : layer.parameters()) {
                for (int i = 0; i < p.data().getNumElements(); i++) {
                    p.data().data[i] += 0.5 * r.nextGaussian();
                }
            }
            return layer;
        }

        /** An input with mean 1.5 and standard deviation 2. */
        Tensor input(long seed) {
            Random r = new Random(seed);
            return Tensor.randn(rows, cols, r).mul(2).add(1.5).detach();
        }

        /** Runs a few training forwards so that running statistics (if any) are not at their initial values. */
        void warmUp(NormalizationLayer layer, long seed) {
            layer.train();
            try (NoGrad off = NoGrad.enter()) {
                for (int k = 0; k < 3; k++) {
                    layer.apply(input(seed + 100 + k));
                }
            }
        }
    }

    static final List<Spec> ALL = List.of(
            new Spec("BatchNorm1d(4) on N×C", () -> new BatchNorm1d(4), 6, 4),
            new Spec("BatchNorm1d(3) on N×(C·L), L=5", () -> new BatchNorm1d(3), 4, 15),
            new Spec("BatchNorm1d(3) affine=false", () -> new BatchNorm1d(3, 1e-5, 0.1, false, true), 5, 6),
            new Spec("BatchNorm1d(4) trackRunningStats=false", () -> new BatchNorm1d(4, 1e-5, 0.1, true, false), 5, 8),
            new Spec("BatchRenorm1d(3, rmax=1.5, dmax=0.5), L=2", () -> new BatchRenorm1d(3, 1.5, 0.5), 5, 6),
            new Spec("BatchRenorm1d(4) unclipped", () -> new BatchRenorm1d(4, 1e-5, 0.1, true, 100, 100), 6, 4),
            new Spec("InstanceNorm1d(3)", () -> new InstanceNorm1d(3), 4, 15),
            new Spec("InstanceNorm1d(3) affine, trackRunningStats", () -> new InstanceNorm1d(3, 1e-5, 0.1, true, true), 4, 12),
            new Spec("LayerNorm(6)", () -> new LayerNorm(6), 5, 6),
            new Spec("LayerNorm(3, 5)", () -> new LayerNorm(3, 5), 4, 15),
            new Spec("LayerNorm(5) on rows of 3·5", () -> new LayerNorm(5), 3, 15),
            new Spec("GroupNorm(2, 6), L=3", () -> new GroupNorm(2, 6), 3, 18),
            new Spec("GroupNorm(2, 6) on N×C", () -> new GroupNorm(2, 6), 4, 6),
            new Spec("RMSNorm(6)", () -> new RMSNorm(6), 5, 6),
            new Spec("RMSNorm(3, 5)", () -> new RMSNorm(3, 5), 4, 15),
            new Spec("BatchNorm2d(3) on (3, 5, 7) images", () -> new BatchNorm2d(3), 4, 3 * 5 * 7),
            new Spec("BatchNorm2d(2) affine=false on (2, 3, 2) images", () -> new BatchNorm2d(2, 1e-5, 0.1, false, true), 3, 12),
            new Spec("InstanceNorm2d(3) on (3, 3, 5) images", () -> new InstanceNorm2d(3), 3, 45),
            new Spec("InstanceNorm2d(2) affine, trackRunningStats, (2, 4, 3)", () -> new InstanceNorm2d(2, 1e-5, 0.1, true, true), 3, 24),
            new Spec("GroupNorm(2, 6) on (6, 3, 5) images", () -> new GroupNorm(2, 6), 3, 90),
            new Spec("LayerNorm(3, 5, 4) on (3, 5, 4) images", () -> new LayerNorm(3, 5, 4), 3, 60));
}
