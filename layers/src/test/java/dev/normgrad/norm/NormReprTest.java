package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import org.junit.jupiter.api.Test;

/** toString() shows the constructor arguments, as PyTorch's extra_repr. */
class NormReprTest {
    @Test
    void batchNormShowsItsArgumentsLikePyTorch() {
        assertEquals("BatchNorm1d(16, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true)", new BatchNorm1d(16).toString());
        assertEquals("BatchNorm1d(8, eps=0.001, momentum=null, affine=false, trackRunningStats=false)",
                new BatchNorm1d(8, 1e-3, null, false, false).toString());
    }

    @Test
    void aComposedLayerSaysSo() {
        assertEquals("BatchNorm1d(16, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true, fused=false)",
                new BatchNorm1d(16).setFused(false).toString());
    }

    @Test
    void everyLayerShowsItsArguments() {
        assertEquals("LayerNorm(16, eps=1e-05, elementwiseAffine=true)", new LayerNorm(16).toString());
        assertEquals("LayerNorm((4, 3), eps=1e-05, elementwiseAffine=true)", new LayerNorm(4, 3).toString());
        assertEquals("GroupNorm(2, 4, eps=1e-05, affine=true)", new GroupNorm(2, 4).toString());
        assertEquals("InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=false, trackRunningStats=false)",
                new InstanceNorm1d(3).toString());
        assertEquals("RMSNorm(8, eps=2.220446049250313e-16, elementwiseAffine=true)", new RMSNorm(8).toString());
        assertEquals("BatchRenorm1d(8, eps=1e-05, momentum=0.1, affine=true, rmax=3.0, dmax=5.0)", new BatchRenorm1d(8).toString());
        assertEquals("WeightNorm(Linear(inFeatures=3, outFeatures=2, bias=true), name=weight, dim=0)", new WeightNorm(new Linear(3, 2)).toString());
    }

    @Test
    void inASequentialEachLayerIsPrintedOnItsLine() {
        Sequential s = new Sequential(new BatchNorm1d(4), new LayerNorm(4));
        assertEquals("Sequential(\n  (0): BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true)\n"
                + "  (1): LayerNorm(4, eps=1e-05, elementwiseAffine=true)\n)", s.toString());
    }

    @Test
    void numbersArePrintedAsPythonPrintsThem() {
        assertEquals("1e-05", NormalizationLayer.format(1e-5));
        assertEquals("0.0001", NormalizationLayer.format(1e-4));
        assertEquals("0.1", NormalizationLayer.format(0.1));
        assertEquals("3.0", NormalizationLayer.format(3));
        assertEquals("1e+16", NormalizationLayer.format(1e16));
        assertEquals("-2.5e-07", NormalizationLayer.format(-2.5e-7));
    }
}
