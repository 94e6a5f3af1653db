package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Anomaly;
import dev.normgrad.autograd.AnomalyException;
import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.io.ModelFormatException;
import dev.normgrad.io.ModelIO;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.BatchRenorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.norm.WeightNorm;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Clip;
import dev.normgrad.optim.NonFiniteGradientException;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.CellState;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.GRUCell;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.LSTMCell;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.recurrent.RecurrentCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rows of {@code layers/ERRORS.md} that no other test class proves: every layer's wrong feature
 * count, NaN and infinity with anomaly mode on and off, the optimizer's refusal of a non-finite
 * gradient, mixed batch sizes, and JSON nested or sized to exhaust a naive reader. Each asserts the
 * exception's exact type and the start of its message.
 */
class ErrorCatalogueTest {
    private final Random rng = new Random(3);

    /** The exception thrown by {@code call}, of exactly {@code type}, its message starting with {@code start}. */
    static <T extends Throwable> T expect(Class<T> type, String start, Executable call) {
        Throwable t = assertThrows(Throwable.class, call);
        assertSame(type, t.getClass(), () -> "expected " + type.getSimpleName() + ", got " + t);
        assertTrue(t.getMessage() != null && t.getMessage().startsWith(start),
                () -> "message does not start with\n  " + start + "\nit is\n  " + t.getMessage());
        return type.cast(t);
    }

    // ------------------------------------------------------------------ wrong feature count into every layer

    @Test
    void everyNormalizationLayerNamesItselfAndTheInputShapeOnAWrongFeatureCount() {
        Tensor x = Tensor.randn(4, 7, rng);
        expect(ShapeException.class, "BatchNorm1d(6): expected 6 features, or 6 channels of L positions", () -> new BatchNorm1d(6).apply(x));
        expect(ShapeException.class, "BatchRenorm1d(6", () -> new BatchRenorm1d(6).apply(x));
        expect(ShapeException.class, "InstanceNorm1d(6): expected 6 features, or 6 channels", () -> new InstanceNorm1d(6).apply(x));
        expect(ShapeException.class, "LayerNorm(6): expected rows of 6 features", () -> new LayerNorm(6).apply(x));
        expect(ShapeException.class, "GroupNorm(2, 6): expected 6 features, or 6 channels", () -> new GroupNorm(2, 6).apply(x));
        expect(ShapeException.class, "RMSNorm(6): expected rows of 6 features", () -> new RMSNorm(6).apply(x));
        // weight normalization runs the wrapped layer, whose own check names it
        expect(ShapeException.class, "Linear(in=6, out=2): input is (4x7), expected 6 features per row", () -> new WeightNorm(new Linear(6, 2, true, rng)).apply(x));
        for (Module m : List.<Module>of(new BatchNorm1d(6), new LayerNorm(6), new GroupNorm(3, 6), new RMSNorm(6))) {
            m.eval();
            assertTrue(assertThrows(ShapeException.class, () -> m.apply(x)).getMessage().contains("(4x7)"), m + " in eval");
        }
    }

    @Test
    void everyRecurrentCellAndLayerNamesItselfOnAWrongFeatureCountWithEveryNormalization() {
        Tensor x = Tensor.randn(4, 5, rng);
        for (CellNormalization norm : List.of(CellNormalization.none(), CellNormalization.layerNorm(),
                CellNormalization.recurrentBatchNorm(4))) {
            List<RecurrentCell> cells = List.of(new RNNCell(3, 2, RNNCell.Nonlinearity.TANH, norm, rng),
                    new LSTMCell(3, 2, norm, rng), new GRUCell(3, 2, norm, rng));
            for (RecurrentCell cell : cells) {
                String kind = cell.getClass().getSimpleName();
                expect(ShapeException.class, kind + ": input (4x5) has 5 features but this cell has inputSize = 3 (wrong feature count)",
                        () -> cell.forward(x, cell.initialState(4), 0));
            }
            List<Module> layers = List.of(new RNN(3, 2, 1, RNNCell.Nonlinearity.TANH, norm, rng), new LSTM(3, 2, 2, norm, rng),
                    new GRU(3, 2, 1, norm, rng));
            for (Module layer : layers) {
                String kind = layer.getClass().getSimpleName();
                expect(ShapeException.class, kind + ": step 1 is (4x5) but inputSize = 3: wrong feature count",
                        () -> ((dev.normgrad.recurrent.Recurrent) layer).forward(List.of(Tensor.zeros(4, 3), x)));
            }
        }
    }

    @Test
    void aMismatchInsideSequentialNamesTheLayerThatRefusedAndThePreviousOutput() {
        Sequential model = new Sequential(new Linear(4, 8, true, rng), new ReLU(), new Linear(6, 2, true, rng));
        expect(ShapeException.class, "Linear(in=6, out=2): input is (3x8), expected 6 features per row; check the previous layer's output size",
                () -> model.apply(Tensor.randn(3, 4, rng)));
    }

    // ------------------------------------------------------------------ batch sizes across steps

    @Test
    void aStateCarriedOverFromABatchOfAnotherSizeIsRefused() {
        LSTMCell cell = new LSTMCell(3, 2, rng);
        CellState fromBatchOf4 = cell.forward(Tensor.randn(4, 3, rng), cell.initialState(4), 0);
        expect(ShapeException.class, "LSTMCell: state h is (4x2) but must be (5x2)",
                () -> cell.forward(Tensor.randn(5, 3, rng), fromBatchOf4, 1));
    }

    // ------------------------------------------------------------------ NaN and infinity

    @Test
    void withAnomalyModeOnANaNInTheInputIsCaughtAtTheFirstOpNamingItAndTheShapes() {
        Linear layer = new Linear(3, 2, true, rng);
        Tensor x = Tensor.randn(4, 3, rng);
        x.data().set(1, 2, Double.NaN);
        try (Anomaly on = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> layer.apply(x));
            assertTrue(e.getMessage().startsWith("linear produced NaN in its forward at [1, 0] of its (4x2) output; inputs (4x3), (2x3), (1x2) (an input was already non-finite)"),
                    e.getMessage());
        }
    }

    @Test
    void withAnomalyModeOnANaNParameterIsCaughtAtTheFirstOpItReaches() {
        Linear layer = new Linear(3, 2, true, rng);
        layer.bias().data().set(0, 1, Double.NaN);
        try (Anomaly on = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> layer.apply(Tensor.randn(4, 3, rng)));
            assertTrue(e.getMessage().startsWith("linear produced NaN in its forward at [0, 1] of its (4x2) output"), e.getMessage());
        }
    }

    @Test
    void withAnomalyModeOffANaNInTheDataGivesANaNLossAndTheOptimizerRefusesTheStepChangingNothing() {
        Sequential model = new Sequential(new Linear(3, 4, true, rng), new ReLU(), new Linear(4, 2, true, rng));
        List<double[]> before = new ArrayList<>();
        model.parameters().forEach(p -> before.add(p.data().data.clone()));
        Tensor x = Tensor.randn(5, 3, rng);
        x.data().set(2, 0, Double.NaN);
        Optimizer sgd = new SGD(model.parameters(), 0.1);
        sgd.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.apply(x), new int[] {0, 1, 0, 1, 1});
        assertTrue(Double.isNaN(loss.item()), "anomaly mode off: the loss is NaN, as in PyTorch");
        loss.backward();
        NonFiniteGradientException e = expect(NonFiniteGradientException.class,
                "SGD.step: the gradient of parameter 0 (4x3) is NaN at (", sgd::step);
        assertTrue(e.getMessage().contains("no parameter was updated") && e.getMessage().contains("Anomaly.detect()"), e.getMessage());
        assertEquals(0, e.parameterIndex());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.parameters().get(i).data().data, 0.0, "parameter " + i + " untouched");
        }
    }

    @Test
    void withAnomalyModeOffANaNParameterGivesANaNLossAndAnOptimizerGivenNamesNamesTheParameter() {
        Sequential model = new Sequential(new Linear(3, 4, true, rng), new ReLU(), new Linear(4, 2, true, rng));
        model.namedParameters().get("2.weight").data().set(1, 3, Double.NaN);
        Optimizer adam = new Adam(model.namedParameters(), 1e-3);
        adam.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.apply(Tensor.randn(5, 3, rng)), new int[] {0, 1, 0, 1, 1});
        assertTrue(Double.isNaN(loss.item()), "anomaly mode off: the loss is NaN");
        loss.backward();
        expect(NonFiniteGradientException.class, "Adam.step: the gradient of parameter 0 \"0.weight\" (4x3) is NaN at (", adam::step);
    }

    @Test
    void anInfiniteGradientInALaterParameterIsRefusedBeforeAnyParameterMoves() {
        Linear a = new Linear(2, 2, true, rng);
        Linear b = new Linear(2, 2, true, rng);
        List<Tensor> params = new ArrayList<>(a.parameters());
        params.addAll(b.parameters());
        Optimizer adam = new Adam(params, 0.01);
        new Sequential(a, b).apply(Tensor.randn(3, 2, rng)).sum().backward();
        b.bias().gradData().set(0, 1, Double.POSITIVE_INFINITY);
        double[] first = a.weight().data().data.clone();
        expect(NonFiniteGradientException.class, "Adam.step: the gradient of parameter 3 (1x2) is Infinity at (0, 1); no parameter was updated",
                adam::step);
        assertArrayEquals(first, a.weight().data().data, 0.0);
    }

    @Test
    void anExperimentOnDivergenceCanOptOutAndGetsPyTorchsBehaviour() {
        Linear layer = new Linear(2, 1, true, rng);
        Optimizer sgd = new SGD(layer.parameters(), 0.1).allowNonFiniteGradients();
        layer.apply(Tensor.randn(3, 2, rng)).sum().backward();
        layer.weight().gradData().set(0, 0, Double.NaN);
        sgd.step();
        assertTrue(Double.isNaN(layer.weight().get(0, 0)), "applied, as PyTorch would");
    }

    @Test
    void aDivergedModelCannotBeClippedOrSaved() {
        Linear layer = new Linear(2, 1, true, rng);
        layer.apply(Tensor.randn(3, 2, rng)).sum().backward();
        layer.bias().gradData().set(0, 0, Double.NaN);
        expect(IllegalStateException.class, "Clip.gradNorm: the total gradient norm is NaN", () -> Clip.gradNorm(layer.parameters(), 1.0));
        layer.weight().data().set(0, 1, Double.NEGATIVE_INFINITY);
        expect(IllegalArgumentException.class, "cannot save parameter \"weight\": entry (0, 1) is -Infinity; JSON has no NaN or infinity",
                () -> ModelIO.toJson(layer));
    }

    // ------------------------------------------------------------------ JSON that would exhaust a naive reader

    @Test
    void aMillionNestedArraysAreRefusedWithoutAStackOverflow() {
        String deep = "{\"format\": \"normgrad-model\", \"version\": 1, \"architecture\": " + "[".repeat(1_000_000);
        expect(ModelFormatException.class, "architecture: expected a layer object, found an array", () -> ModelIO.fromJson(deep));
    }

    @Test
    void aDataArrayLongerThanItsShapeIsRefusedAtTheFirstExtraNumber() {
        String json = ModelIO.toJson(new Linear(2, 1, false, rng));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            many.append(i == 0 ? "" : ", ").append("1.0");
        }
        String huge = json.replaceFirst("\"data\": \\[[^\\]]*\\]", "\"data\": [" + many + "]");
        expect(ModelFormatException.class, "parameters.weight.data: more numbers than shape 1x2 holds (2)", () -> ModelIO.fromJson(huge));
    }

    @Test
    void anEmptyInputOrAnEmptyObjectSaysWhatAModelFileLooksLike() {
        expect(ModelFormatException.class, "empty: no JSON at all; a NormGrad model file is {\"format\": \"normgrad-model\"",
                () -> ModelIO.fromJson(""));
        expect(ModelFormatException.class, "format: missing: this is not a NormGrad model file; a NormGrad model file is {",
                () -> ModelIO.fromJson("{}"));
    }
}
