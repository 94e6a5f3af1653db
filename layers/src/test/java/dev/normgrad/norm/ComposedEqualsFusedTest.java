package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The two forms of the one kernel agree: for every layer, the composed form (autograd through
 * engine ops) and the fused op (closed-form backward) give the same output, dL/dx, dL/d(parameters)
 * and running statistics to 1e-12 relative, over training steps and then in evaluation.
 */
class ComposedEqualsFusedTest {
    static final double REL = 1e-12;

    @TestFactory
    List<DynamicTest> composedEqualsFusedInTrainingAndEvaluation() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Specs.Spec spec : Specs.ALL) {
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> compare(spec)));
        }
        return tests;
    }

    private static void compare(Specs.Spec spec) {
        NormalizationLayer fused = spec.build(true, 7);
        NormalizationLayer composed = spec.build(false, 7);
        Random r = new Random(3);
        for (int step = 0; step < 4; step++) {
            boolean training = step < 3;
            fused.train(training);
            composed.train(training);
            Tensor x = spec.input(step);
            Tensor dy = Tensor.randn(spec.rows(), spec.cols(), r);
            String at = spec.name() + (training ? " train step " + step : " eval");
            Tensor xf = x.copy().requiresGrad(true);
            Tensor xc = x.copy().requiresGrad(true);
            fused.zeroGrad();
            composed.zeroGrad();
            Tensor yf = fused.apply(xf);
            Tensor yc = composed.apply(xc);
            yf.backward(dy);
            yc.backward(dy);
            Close.assertClose(at + " output", yf, yc, REL);
            Close.assertClose(at + " dL/dx", xf.grad(), xc.grad(), REL);
            Map<String, Parameter> pc = composed.namedParameters();
            fused.namedParameters().forEach((name, p) -> Close.assertClose(at + " dL/d" + name, p.grad(), pc.get(name).grad(), REL));
            Map<String, Tensor> bc = composed.namedBuffers();
            assertEquals(fused.namedBuffers().keySet(), bc.keySet());
            fused.namedBuffers().forEach((name, b) -> Close.assertClose(at + " " + name, b, bc.get(name), REL));
        }
    }
}
