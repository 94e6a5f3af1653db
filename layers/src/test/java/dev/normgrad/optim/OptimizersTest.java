package dev.normgrad.optim;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.NnFixtures;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SGD and Adam over three steps on fixed gradients, parameter values after each step against PyTorch. */
class OptimizersTest {
    private static void replay(String name, Function<List<Tensor>, Optimizer> make) {
        JsonObject f = NnFixtures.get("optimizers." + name);
        Tensor w = tensor(f.getAsJsonObject("start").get("w")).requiresGrad(true);
        Tensor b = tensor(f.getAsJsonObject("start").get("b")).requiresGrad(true);
        Optimizer opt = make.apply(List.of(w, b));
        JsonArray grads = f.getAsJsonArray("grads");
        JsonArray after = f.getAsJsonArray("after");
        for (int s = 0; s < grads.size(); s++) {
            opt.zeroGrad();
            // gradients as a backward would leave them: seed w and b through a sum with fixed weights
            Tensor gw = tensor(grads.get(s).getAsJsonObject().get("w"));
            Tensor gb = tensor(grads.get(s).getAsJsonObject().get("b"));
            w.mul(gw).sum().add(b.mul(gb).sum()).backward();
            opt.step();
            assertClose(matrix(after.get(s).getAsJsonObject().get("w")), w.data(), PYTORCH, name + " w after step " + (s + 1));
            assertClose(matrix(after.get(s).getAsJsonObject().get("b")), b.data(), PYTORCH, name + " b after step " + (s + 1));
        }
    }

    @Test
    void plainSgdMatchesPyTorch() {
        replay("sgd", p -> new SGD(p, 0.1));
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesPyTorch() {
        replay("sgdMomentumWeightDecay", p -> new SGD(p, 0.1, 0.9, 0.01));
    }

    @Test
    void adamWithDefaultsMatchesPyTorch() {
        replay("adam", p -> new Adam(p, 0.01));
    }

    @Test
    void adamWithEveryArgumentMatchesPyTorch() {
        replay("adamFull", p -> new Adam(p, 0.05, 0.8, 0.99, 1e-6, 0.1));
    }

    @Test
    void aParameterWithoutAGradientIsNotUpdated() {
        Tensor used = Tensor.ones(1, 2).requiresGrad(true);
        Tensor unused = Tensor.ones(1, 2).requiresGrad(true);
        Optimizer opt = new Adam(List.of(used, unused), 0.1);
        used.sum().backward();
        opt.step();
        assertEquals(1.0, unused.get(0, 0));
        assertTrue(used.get(0, 0) < 1.0);
    }

    @Test
    void stepUpdatesInPlaceWithoutRecordingAGraph() {
        Sequential model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
        Optimizer opt = new SGD(model.parameters(), 0.1);
        Tensor w = model.parameters().get(0);
        model.apply(Tensor.ones(2, 3)).sum().backward();
        double before = w.get(0, 0);
        double g = w.gradData().get(0, 0);
        opt.step();
        assertEquals(before - 0.1 * g, w.get(0, 0), 1e-15);
        assertTrue(w.isLeaf(), "the parameter is still a leaf");
        opt.zeroGrad();
        assertEquals(0.0, w.gradData().get(0, 0));
    }

    @Test
    void anOptimizerWithoutParametersIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertTrue(e.getMessage().startsWith("SGD: no parameters to optimize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(new ReLU().parameters(), 0.1));
        assertTrue(e.getMessage().startsWith("Adam: no parameters to optimize"), e.getMessage());
    }

    @Test
    void aNonPositiveLearningRateIsAnError() {
        List<Tensor> p = List.of(Tensor.ones(1, 1).requiresGrad(true));
        for (double lr : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(p, lr));
            assertTrue(e.getMessage().startsWith("SGD: the learning rate must be a positive number, got " + lr), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(p, 0.1).setLearningRate(-1));
    }

    @Test
    void badHyperparametersAreErrors() {
        List<Tensor> p = List.of(Tensor.ones(1, 1).requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(p, 0.1, -0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(p, 0.1, 0.9, -1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0.1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0.1, 0.9, -0.1, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0.1, 0.9, 0.999, -1, 0));
    }

    @Test
    void parametersThatDoNotRequireGradOrRepeatAreErrors() {
        Tensor frozen = Tensor.ones(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(frozen), 0.1));
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        Tensor p = Tensor.ones(2, 2).requiresGrad(true);
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void toStringShowsTheHyperparameters() {
        List<Tensor> p = List.of(Tensor.ones(1, 1).requiresGrad(true));
        assertEquals("SGD(lr=0.1, momentum=0.9, weightDecay=1.0E-4)", new SGD(p, 0.1, 0.9, 1e-4).toString());
        assertEquals("Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0)", new Adam(p, 0.001).toString());
    }
}
