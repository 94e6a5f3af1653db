package dev.normgrad.nn;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearTest {
    /** A layer holding the fixture's weight and bias. */
    private static Linear fromFixture(JsonObject f, boolean bias) {
        Tensor w = tensor(f.get("weight"));
        Linear layer = new Linear(w.cols(), w.rows(), bias, new Random(0));
        layer.weight().data().setTo(w.data());
        if (bias) {
            layer.bias().data().setTo(tensor(f.get("bias")).data());
        }
        return layer;
    }

    private static void checkAgainstPyTorch(String name, boolean bias) {
        JsonObject f = NnFixtures.get(name);
        Linear layer = fromFixture(f, bias);
        Tensor x = tensor(f.get("x")).requiresGrad(true);
        Tensor y = layer.apply(x);
        y.backward(tensor(f.get("upstream")));
        assertClose(matrix(f.get("y")), y.data(), PYTORCH, name + " y");
        assertClose(matrix(f.get("dx")), x.gradData(), PYTORCH, name + " dx");
        assertClose(matrix(f.get("dweight")), layer.weight().gradData(), PYTORCH, name + " dW");
        if (bias) {
            assertClose(matrix(f.get("dbias")), layer.bias().gradData(), PYTORCH, name + " db");
        }
    }

    @Test
    void forwardAndGradientsMatchPyTorch() {
        checkAgainstPyTorch("linear", true);
    }

    @Test
    void withoutBiasForwardAndGradientsMatchPyTorch() {
        checkAgainstPyTorch("linearNoBias", false);
    }

    @Test
    void defaultInitIsPyTorchsUniformWithBoundOneOverSqrtFanIn() {
        Linear layer = new Linear(400, 300, true, new Random(11));
        double bound = 1 / Math.sqrt(400);
        double[] w = layer.weight().data().data;
        double sum = 0, sumSq = 0, max = 0;
        for (double v : w) {
            sum += v;
            sumSq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        int n = 400 * 300;
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertTrue(max <= bound, "every weight within ±1/√in = " + bound + ", max |w| = " + max);
        assertTrue(max > 0.99 * bound, "the uniform's range is reached, max |w| = " + max);
        assertEquals(0.0, mean, 3 * bound / Math.sqrt(3 * n), "mean of U(−b, b) is 0");
        assertEquals(bound / Math.sqrt(3), std, 0.01 * bound / Math.sqrt(3), "std of U(−b, b) is b/√3");
        for (double b : layer.bias().data().data) {
            assertTrue(Math.abs(b) <= bound, "bias within ±1/√in");
        }
    }

    @Test
    void manualSeedMakesDefaultLayersReproducibleAndResetDrawsAgain() {
        Init.manualSeed(42);
        Linear a = new Linear(5, 3);
        Init.manualSeed(42);
        Linear b = new Linear(5, 3);
        assertArrayEquals(a.weight().data().data, b.weight().data().data);
        assertArrayEquals(a.bias().data().data, b.bias().data().data);
        double[] before = a.weight().data().data.clone();
        a.resetParameters();
        assertFalse(java.util.Arrays.equals(before, a.weight().data().data), "resetParameters draws new weights");
    }

    @Test
    void theSameSeededRandomGivesTheSameLayer() {
        Linear a = new Linear(6, 4, true, new Random(5));
        Linear b = new Linear(6, 4, true, new Random(5));
        assertArrayEquals(a.weight().data().data, b.weight().data().data);
        assertArrayEquals(a.bias().data().data, b.bias().data().data);
    }

    @Test
    void wrongFeatureCountIsAnErrorNamingTheLayerAndTheShapes() {
        Linear layer = new Linear(64, 10);
        ShapeException e = assertThrows(ShapeException.class, () -> layer.apply(Tensor.zeros(32, 63)));
        assertEquals("Linear(in=64, out=10): input is (32x63), expected 64 features per row; "
                + "check the previous layer's output size", e.getMessage());
    }

    @Test
    void badConstructorArgumentsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, -1));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2, true, null));
    }

    @Test
    void parametersAreNamedWeightAndBiasWithPyTorchsShapes() {
        Linear layer = new Linear(4, 3);
        assertEquals(List.of("weight", "bias"), List.copyOf(layer.namedParameters().keySet()));
        assertEquals("(3x4)", layer.weight().shape());
        assertEquals("(1x3)", layer.bias().shape());
        Linear noBias = new Linear(4, 3, false);
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        assertNull(noBias.bias());
    }

    @Test
    void toStringShowsTheConstructorArguments() {
        assertEquals("Linear(inFeatures=64, outFeatures=10, bias=true)", new Linear(64, 10).toString());
        assertEquals("Linear(inFeatures=3, outFeatures=2, bias=false)", new Linear(3, 2, false).toString());
    }

    @Test
    void underNoGradTheOutputHasNoGraph() {
        Linear layer = new Linear(3, 2);
        try (NoGrad off = NoGrad.enter()) {
            assertFalse(layer.apply(Tensor.ones(4, 3)).requiresGrad());
        }
    }
}
