package dev.normgrad.recurrent;

import static dev.normgrad.recurrent.Fixtures.PYTORCH;
import static dev.normgrad.recurrent.Fixtures.loadParameters;
import static dev.normgrad.recurrent.Fixtures.matrix;
import static dev.normgrad.recurrent.Fixtures.sequence;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.testing.PyTorchFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our RNN, LSTM and GRU against PyTorch's (float64, fixtures from make_recurrent_fixtures.py):
 * outputs, final states and every gradient equal at 1e-10 relative.
 */
class RecurrentFixtureTest {
    private static final JsonObject FIXTURES = PyTorchFixtures.load("recurrent.json");

    static Stream<Arguments> layerCases() {
        return cases("layers");
    }

    static Stream<Arguments> cellCases() {
        return cases("cells");
    }

    static Stream<Arguments> normalizedCases() {
        return cases("normalized");
    }

    static Stream<Arguments> profileCases() {
        return cases("profiles");
    }

    private static Stream<Arguments> cases(String group) {
        return StreamSupport.stream(FIXTURES.getAsJsonArray(group).spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(c -> Arguments.of(Named.of(c.get("name").getAsString(), c)));
    }

    private static Recurrent layer(JsonObject c) {
        int f = c.get("inputSize").getAsInt();
        int h = c.get("hiddenSize").getAsInt();
        int layers = c.get("numLayers").getAsInt();
        Random rng = new Random(0);
        return switch (c.get("kind").getAsString()) {
            case "RNN" -> new RNN(f, h, layers, nonlinearity(c), CellNormalization.none(), rng);
            case "LSTM" -> new LSTM(f, h, layers, CellNormalization.none(), rng);
            case "GRU" -> new GRU(f, h, layers, CellNormalization.none(), rng);
            default -> throw new AssertionError(c.get("kind"));
        };
    }

    private static RecurrentCell cell(JsonObject c) {
        int f = c.get("inputSize").getAsInt();
        int h = c.get("hiddenSize").getAsInt();
        Random rng = new Random(0);
        return switch (c.get("kind").getAsString()) {
            case "RNNCell" -> new RNNCell(f, h, nonlinearity(c), CellNormalization.none(), rng);
            case "LSTMCell" -> new LSTMCell(f, h, rng);
            case "GRUCell" -> new GRUCell(f, h, rng);
            default -> throw new AssertionError(c.get("kind"));
        };
    }

    private static RNNCell.Nonlinearity nonlinearity(JsonObject c) {
        return "relu".equals(c.get("nonlinearity").getAsString()) ? RNNCell.Nonlinearity.RELU : RNNCell.Nonlinearity.TANH;
    }

    private static List<Tensor> requiringGrad(List<Tensor> ts) {
        ts.forEach(t -> t.requiresGrad(true));
        return ts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    void stackedLayersMatchPyTorchForwardAndEveryGradient(JsonObject c) {
        String name = c.get("name").getAsString();
        Recurrent model = layer(c);
        loadParameters(model, c.getAsJsonObject("parameters"));
        boolean lstm = c.has("c0");
        List<Tensor> x = requiringGrad(sequence(c.get("x")));
        List<Tensor> h0 = requiringGrad(sequence(c.get("h0")));
        List<Tensor> c0 = lstm ? requiringGrad(sequence(c.get("c0"))) : null;
        List<CellState> initial = new ArrayList<>();
        for (int l = 0; l < h0.size(); l++) {
            initial.add(lstm ? CellState.of(h0.get(l), c0.get(l)) : CellState.of(h0.get(l)));
        }

        SequenceOutput out = model.forward(x, initial);

        List<Tensor> g = sequence(c.get("G"));
        List<Tensor> gh = sequence(c.get("Gh"));
        Tensor loss = Tensor.scalar(0);
        for (int t = 0; t < out.steps(); t++) {
            assertClose(rows(c.getAsJsonArray("output").get(t)), out.outputs().get(t).data(), PYTORCH, name + " output step " + t);
            loss = loss.add(out.outputs().get(t).mul(g.get(t)).sum());
        }
        for (int l = 0; l < model.numLayers(); l++) {
            CellState s = out.finalStates().get(l);
            assertClose(rows(c.getAsJsonArray("hn").get(l)), s.h().data(), PYTORCH, name + " h_n layer " + l);
            loss = loss.add(s.h().mul(gh.get(l)).sum());
            if (lstm) {
                assertClose(rows(c.getAsJsonArray("cn").get(l)), s.c().data(), PYTORCH, name + " c_n layer " + l);
                loss = loss.add(s.c().mul(matrix(c.getAsJsonArray("Gc").get(l))).sum());
            }
        }
        assertClose(c.get("loss").getAsDouble(), loss.item(), PYTORCH, name + " loss");
        loss.backward();

        JsonObject grads = c.getAsJsonObject("grads");
        model.namedParameters().forEach((p, v) -> assertClose(rows(grads.get(p)), v.gradData(), PYTORCH, name + " dL/d" + p));
        for (int t = 0; t < x.size(); t++) {
            assertClose(rows(c.getAsJsonArray("gradX").get(t)), x.get(t).gradData(), PYTORCH, name + " dL/dx_" + t);
        }
        for (int l = 0; l < h0.size(); l++) {
            assertClose(rows(c.getAsJsonArray("gradH0").get(l)), h0.get(l).gradData(), PYTORCH, name + " dL/dh0 layer " + l);
            if (lstm) {
                assertClose(rows(c.getAsJsonArray("gradC0").get(l)), c0.get(l).gradData(), PYTORCH, name + " dL/dc0 layer " + l);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cellCases")
    void cellsSteppedByHandMatchPyTorchWithALossOnTheLastState(JsonObject c) {
        String name = c.get("name").getAsString();
        RecurrentCell cell = cell(c);
        loadParameters(cell, c.getAsJsonObject("parameters"));
        boolean lstm = c.has("c0");
        List<Tensor> x = requiringGrad(sequence(c.get("x")));
        Tensor h0 = matrix(c.get("h0")).requiresGrad(true);
        Tensor c0 = lstm ? matrix(c.get("c0")).requiresGrad(true) : null;
        CellState s = lstm ? CellState.of(h0, c0) : CellState.of(h0);
        for (int t = 0; t < x.size(); t++) {
            s = cell.forward(x.get(t), s, t);
        }
        assertClose(rows(c.get("hT")), s.h().data(), PYTORCH, name + " h_T");
        Tensor loss = s.h().mul(matrix(c.get("G"))).sum();
        if (lstm) {
            assertClose(rows(c.get("cT")), s.c().data(), PYTORCH, name + " c_T");
            loss = loss.add(s.c().mul(matrix(c.get("Gc"))).sum());
        }
        assertClose(c.get("loss").getAsDouble(), loss.item(), PYTORCH, name + " loss");
        loss.backward();

        JsonObject grads = c.getAsJsonObject("grads");
        cell.namedParameters().forEach((p, v) -> assertClose(rows(grads.get(p)), v.gradData(), PYTORCH, name + " dL/d" + p));
        for (int t = 0; t < x.size(); t++) {
            assertClose(rows(c.getAsJsonArray("gradX").get(t)), x.get(t).gradData(), PYTORCH, name + " dL/dx_" + t);
        }
        assertClose(rows(c.get("gradH0")), h0.gradData(), PYTORCH, name + " dL/dh0");
        if (lstm) {
            assertClose(rows(c.get("gradC0")), c0.gradData(), PYTORCH, name + " dL/dc0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizedCases")
    void normalizedCellsMatchPyTorchInTrainingAndEvaluation(JsonObject c) {
        String name = c.get("name").getAsString();
        int f = c.get("inputSize").getAsInt();
        int h = c.get("hiddenSize").getAsInt();
        CellNormalization norm = "layerNorm".equals(c.get("normalization").getAsString())
                ? CellNormalization.layerNorm()
                : CellNormalization.recurrentBatchNorm(c.get("maxSteps").getAsInt());
        Random rng = new Random(0);
        Recurrent model = switch (c.get("kind").getAsString()) {
            case "RNN" -> new RNN(f, h, 1, RNNCell.Nonlinearity.TANH, norm, rng);
            case "LSTM" -> new LSTM(f, h, 1, norm, rng);
            case "GRU" -> new GRU(f, h, 1, norm, rng);
            default -> throw new AssertionError(c.get("kind"));
        };
        loadParameters(model, c.getAsJsonObject("parameters"));
        List<Tensor> x = requiringGrad(sequence(c.get("x")));

        SequenceOutput out = model.forward(x);
        List<Tensor> g = sequence(c.get("G"));
        Tensor loss = Tensor.scalar(0);
        for (int t = 0; t < out.steps(); t++) {
            assertClose(rows(c.getAsJsonArray("output").get(t)), out.outputs().get(t).data(), PYTORCH, name + " output step " + t);
            loss = loss.add(out.outputs().get(t).mul(g.get(t)).sum());
        }
        assertClose(c.get("loss").getAsDouble(), loss.item(), PYTORCH, name + " loss");
        loss.backward();
        JsonObject grads = c.getAsJsonObject("grads");
        model.namedParameters().forEach((p, v) -> assertClose(rows(grads.get(p)), v.gradData(), PYTORCH, name + " dL/d" + p));
        for (int t = 0; t < x.size(); t++) {
            assertClose(rows(c.getAsJsonArray("gradX").get(t)), x.get(t).gradData(), PYTORCH, name + " dL/dx_" + t);
        }
        if (c.has("runningMean")) {
            c.getAsJsonObject("runningMean").entrySet().forEach(e -> assertClose(rows(e.getValue()), model.namedBuffers().get(e.getKey() + ".runningMean").data(), PYTORCH, name + " " + e.getKey() + ".runningMean"));
            c.getAsJsonObject("runningVar").entrySet().forEach(e -> assertClose(rows(e.getValue()), model.namedBuffers().get(e.getKey() + ".runningVar").data(), PYTORCH, name + " " + e.getKey() + ".runningVar"));
        }

        model.eval();
        SequenceOutput evaluated = model.forward(sequence(c.get("x")));
        for (int t = 0; t < evaluated.steps(); t++) {
            assertClose(rows(c.getAsJsonArray("evalOutput").get(t)), evaluated.outputs().get(t).data(), PYTORCH, name + " eval output step " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profileCases")
    void gradientProfileOverThirtyStepsEqualsPyTorchRetainGrad(JsonObject c) {
        String name = c.get("name").getAsString();
        int f = c.get("inputSize").getAsInt();
        int h = c.get("hiddenSize").getAsInt();
        RNN rnn = new RNN(f, h, new Random(0));
        JsonObject params = new JsonObject();
        c.getAsJsonObject("parameters").entrySet().forEach(e -> params.add("l0." + e.getKey(), e.getValue()));
        loadParameters(rnn, params);

        SequenceOutput out = rnn.forward(sequence(c.get("x")));
        out.last().mul(matrix(c.get("G"))).sum().backward();
        HiddenGradients profile = HiddenGradients.of(out);

        double[] expected = new double[c.getAsJsonArray("gradNorms").size()];
        for (int t = 0; t < expected.length; t++) {
            expected[t] = c.getAsJsonArray("gradNorms").get(t).getAsDouble();
        }
        assertEquals(30, expected.length);
        double[] ours = profile.layer(0).gradNorms();
        for (int t = 0; t < expected.length; t++) {
            assertClose(expected[t], ours[t], PYTORCH, name + " ||dL/dh_" + t + "||");
        }
        // the two regimes the fixture was built to show
        if (name.equals("vanishing")) {
            assertTrue(profile.layer(0).firstToLast() < 1e-6, name + ": " + profile.layer(0).firstToLast());
        } else {
            assertTrue(profile.layer(0).firstToLast() > 1e2, name + ": " + profile.layer(0).firstToLast());
        }
    }
}
