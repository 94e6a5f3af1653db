package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Parameter;
import dev.normgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Names, shapes, initialisation, printing and the one-tensor form of the sequence layers. */
class RecurrentLayerTest {

    @Test
    void parametersHavePyTorchsShapesUnderLayerPrefixedNames() {
        LSTM lstm = new LSTM(3, 4, 2, CellNormalization.none(), new Random(0));
        Map<String, String> shapes = new LinkedHashMap<>();
        lstm.namedParameters().forEach((k, v) -> shapes.put(k, v.shape()));
        assertEquals(Map.of("l0.weightIh", "(16x3)", "l0.weightHh", "(16x4)", "l0.biasIh", "(1x16)", "l0.biasHh", "(1x16)",
                "l1.weightIh", "(16x4)", "l1.weightHh", "(16x4)", "l1.biasIh", "(1x16)", "l1.biasHh", "(1x16)"), shapes);
        assertEquals(List.of("l0.weightIh", "l0.weightHh", "l0.biasIh", "l0.biasHh",
                "l1.weightIh", "l1.weightHh", "l1.biasIh", "l1.biasHh"), new ArrayList<>(shapes.keySet()));
        assertEquals("(12x3)", new GRUCell(3, 4, new Random(0)).weightIh().shape());
        assertEquals("(4x4)", new RNNCell(3, 4, new Random(0)).weightHh().shape());
    }

    @Test
    void weightsAreUniformInPlusMinusOneOverRootHiddenAndSeeded() {
        LSTM a = new LSTM(3, 25, 1, CellNormalization.none(), new Random(9));
        LSTM b = new LSTM(3, 25, 1, CellNormalization.none(), new Random(9));
        double bound = 1 / Math.sqrt(25);
        double max = 0;
        for (Map.Entry<String, Parameter> p : a.namedParameters().entrySet()) {
            for (int i = 0; i < p.getValue().data().getNumElements(); i++) {
                double v = p.getValue().data().data[i];
                assertTrue(Math.abs(v) <= bound, p.getKey());
                max = Math.max(max, Math.abs(v));
            }
            assertArrayEquals(p.getValue().data().data, b.namedParameters().get(p.getKey()).data().data, 0.0);
        }
        assertTrue(max > 0.9 * bound, "the draws fill the interval");
    }

    @Test
    void normalizationParametersStartAtTheirPapersValues() {
        LSTMCell ln = new LSTMCell(3, 4, CellNormalization.layerNorm(), new Random(0));
        LSTMCell bn = new LSTMCell(3, 4, CellNormalization.recurrentBatchNorm(10), new Random(0));
        assertEquals(List.of("weightIh", "weightHh", "biasIh", "biasHh", "normIh.weight", "normIh.bias",
                "normHh.weight", "normHh.bias", "normC.weight", "normC.bias"), new ArrayList<>(ln.namedParameters().keySet()));
        for (double g : ln.namedParameters().get("normC.weight").data().data) {
            assertEquals(1.0, g);
        }
        for (double g : bn.namedParameters().get("normHh.weight").data().data) {
            assertEquals(0.1, g);
        }
        assertEquals("(1x16)", bn.namedParameters().get("normIh.bias").shape());
        assertFalse(new GRUCell(3, 4, CellNormalization.layerNorm(), new Random(0)).namedParameters().containsKey("normC.weight"),
                "a GRU has no cell state to normalize");
    }

    @Test
    void toStringShowsTheConstructorArguments() {
        assertEquals("RNNCell(3, 4, nonlinearity=relu, normalization=none)",
                new RNNCell(3, 4, RNNCell.Nonlinearity.RELU, CellNormalization.none(), new Random(0)).toString());
        String lstm = new LSTM(2, 8, 2, CellNormalization.layerNorm(), new Random(0)).toString();
        assertTrue(lstm.startsWith("LSTM(2, 8, numLayers=2, normalization=layerNorm\n  (l0): LSTMCell(2, 8, normalization=layerNorm\n"),
                lstm);
        assertTrue(new RNN(2, 8, 1, RNNCell.Nonlinearity.TANH, CellNormalization.recurrentBatchNorm(50), new Random(0)).toString()
                .startsWith("RNN(2, 8, numLayers=1, nonlinearity=tanh, normalization=recurrentBatchNorm(maxSteps=50)"));
    }

    @Test
    void aNormalizationIsRebuiltFromItsDescription() {
        for (CellNormalization n : List.of(CellNormalization.none(), CellNormalization.layerNorm(),
                CellNormalization.recurrentBatchNorm(37))) {
            assertEquals(n.toString(), CellNormalization.parse(n.toString()).toString());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CellNormalization.parse("rmsNorm"));
        assertTrue(e.getMessage().contains("'rmsNorm' is not none, layerNorm or recurrentBatchNorm(maxSteps=N)"), e.getMessage());
    }

    @Test
    void oneTensorOfStepsSideBySideGivesTheSameAsTheList() {
        Random rng = new Random(4);
        GRU gru = new GRU(2, 3, 2, CellNormalization.layerNorm(), rng);
        List<Tensor> steps = List.of(Tensor.randn(5, 2, rng), Tensor.randn(5, 2, rng), Tensor.randn(5, 2, rng));
        Tensor flat = Tensor.concatColumns(steps.toArray(new Tensor[0]));
        Tensor viaList = gru.forward(steps).concatenated();
        Tensor viaTensor = gru.apply(flat);
        Tensor viaSteps = gru.apply(steps.toArray(new Tensor[0]));
        assertEquals("(5x9)", viaTensor.shape());
        assertArrayEquals(viaList.data().data, viaTensor.data().data, 0.0);
        assertArrayEquals(viaList.data().data, viaSteps.data().data, 0.0);

        // so it composes in a Sequential: the last step's 3 features feed a Linear of 9 inputs here
        Sequential model = new Sequential(gru, new Linear(9, 1, true, rng));
        assertEquals("(5x1)", model.apply(flat).shape());
    }

    @Test
    void evalReachesTheNormalizationInsideEveryCell() {
        LSTM lstm = new LSTM(2, 3, 2, CellNormalization.recurrentBatchNorm(4), new Random(0));
        lstm.eval();
        lstm.namedModules().values().forEach(m -> assertFalse(m.isTraining(), m.toString()));
        // evaluation with a single sequence is fine (training would need a batch of at least 2)
        assertEquals("(1x3)", lstm.forward(List.of(Tensor.ones(1, 2))).last().shape());
    }
}
