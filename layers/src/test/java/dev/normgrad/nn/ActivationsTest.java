package dev.normgrad.nn;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each activation against PyTorch (values and input gradients, the input includes an exact 0). */
class ActivationsTest {
    private static Module activation(String name) {
        switch (name) {
            case "relu": return new ReLU();
            case "leakyRelu": return new LeakyReLU();
            case "leakyRelu0.2": return new LeakyReLU(0.2);
            case "tanh": return new Tanh();
            case "sigmoid": return new Sigmoid();
            case "gelu":
            case "geluTails": return new GELU();
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leakyRelu", "leakyRelu0.2", "tanh", "sigmoid", "gelu", "geluTails"})
    void valueAndInputGradientMatchPyTorch(String name) {
        JsonObject f = NnFixtures.get("activations." + name);
        Tensor x = tensor(f.get("x")).requiresGrad(true);
        Tensor y = activation(name).apply(x);
        y.backward(tensor(f.get("upstream")));
        assertClose(matrix(f.get("y")), y.data(), PYTORCH, name + " y");
        assertClose(matrix(f.get("dx")), x.gradData(), PYTORCH, name + " dx");
    }

    @Test
    void toStringShowsTheConstructorArguments() {
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("LeakyReLU(negativeSlope=0.01)", new LeakyReLU().toString());
        assertEquals("LeakyReLU(negativeSlope=0.2)", new LeakyReLU(0.2).toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("GELU()", new GELU().toString());
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void leakyReluRejectsANonFiniteSlope() {
        assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(Double.NaN));
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.ones(2, 3);
        assertSame(x, new Identity().apply(x));
    }
}
