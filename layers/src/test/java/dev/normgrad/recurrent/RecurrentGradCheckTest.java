package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Checkable;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.norm.RMSNorm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell (RNN tanh, RNN ReLU, LSTM, GRU) gradient-checked with every normalization (none,
 * layer norm, per-step batch norm), in training and in evaluation mode: inputs of every step, the
 * initial state and every parameter, over 3 steps (maxSteps 2 for the batch norm, so step 2 shares
 * step 1's statistics).
 */
class RecurrentGradCheckTest {
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int BATCH = 4;
    private static final int STEPS = 3;

    /** A sequence layer seen by GradCheck as a function of (x_0, …, x_{T−1}, h_0 [, c_0]). */
    record SequenceCheck(Recurrent model, int steps) implements Checkable {
        @Override
        public Tensor apply(Tensor... in) {
            List<Tensor> xs = Arrays.asList(in).subList(0, steps);
            boolean lstm = model.cell(0).hasCellState();
            CellState initial = lstm ? CellState.of(in[steps], in[steps + 1]) : CellState.of(in[steps]);
            SequenceOutput out = model.forward(xs, List.of(initial));
            List<Tensor> parts = new ArrayList<>(out.outputs());
            if (lstm) {
                parts.add(out.finalState().c());
            }
            return Tensor.concatColumns(parts.toArray(new Tensor[0]));
        }

        @Override
        public Map<String, ? extends Tensor> namedParameters() {
            return model.namedParameters();
        }

        @Override
        public State saveState() {
            return model.saveState();
        }
    }

    static Stream<Arguments> cases() {
        Map<String, BiFunction<CellNormalization, Random, Recurrent>> cells = Map.of(
                "RNN tanh", (n, r) -> new RNN(IN, HIDDEN, 1, RNNCell.Nonlinearity.TANH, n, r),
                "RNN relu", (n, r) -> new RNN(IN, HIDDEN, 1, RNNCell.Nonlinearity.RELU, n, r),
                "LSTM", (n, r) -> new LSTM(IN, HIDDEN, 1, n, r),
                "GRU", (n, r) -> new GRU(IN, HIDDEN, 1, n, r));
        List<CellNormalization> norms = List.of(CellNormalization.none(), CellNormalization.layerNorm(),
                CellNormalization.recurrentBatchNorm(2));
        List<Arguments> out = new ArrayList<>();
        for (String cell : List.of("RNN tanh", "RNN relu", "LSTM", "GRU")) {
            for (CellNormalization norm : norms) {
                for (boolean training : new boolean[] {true, false}) {
                    String name = cell + ", " + norm + ", " + (training ? "train" : "eval");
                    out.add(Arguments.of(Named.of(name, cells.get(cell)), norm, training));
                }
            }
        }
        return out.stream();
    }

    private static Tensor[] inputs(boolean lstm, Random rng) {
        List<Tensor> in = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            in.add(Tensor.randn(BATCH, IN, rng).name("x_" + t));
        }
        in.add(Tensor.randn(BATCH, HIDDEN, rng).mul(0.5).name("h_0"));
        if (lstm) {
            in.add(Tensor.randn(BATCH, HIDDEN, rng).mul(0.5).name("c_0"));
        }
        return in.toArray(new Tensor[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cellPassesTheGradientCheck(BiFunction<CellNormalization, Random, Recurrent> make, CellNormalization norm,
                                    boolean training) {
        Random rng = new Random(7);
        Recurrent model = make.apply(norm, rng);
        boolean lstm = model.cell(0).hasCellState();
        if (!training) {
            // running statistics away from their initial 0 and 1, then evaluation mode
            for (int k = 0; k < 3; k++) {
                List<Tensor> warm = new ArrayList<>();
                for (int t = 0; t < STEPS; t++) {
                    warm.add(Tensor.randn(BATCH, IN, rng).mul(2).add(0.5));
                }
                model.forward(warm);
            }
            model.eval();
        }
        GradCheckReport report = GradCheck.check(new SequenceCheck(model, STEPS), inputs(lstm, rng));
        report.assertPassed();
    }

    @Test
    void stackedLayersWithLayerNormPassTheGradientCheck() {
        Random rng = new Random(3);
        for (Recurrent model : List.of(
                new LSTM(IN, HIDDEN, 2, CellNormalization.layerNorm(), rng),
                new GRU(IN, HIDDEN, 2, CellNormalization.recurrentBatchNorm(3), rng),
                new RNN(IN, HIDDEN, 2, RNNCell.Nonlinearity.TANH, CellNormalization.layerNorm(), rng))) {
            Tensor[] steps = new Tensor[STEPS];
            for (int t = 0; t < STEPS; t++) {
                steps[t] = Tensor.randn(BATCH, IN, rng);
            }
            // the module itself is Checkable: apply(x_0, x_1, x_2) from the zero state
            GradCheck.check(model, steps).assertPassed();
        }
    }

    @Test
    void anyPerSampleNormalizationPlugsIn() {
        Random rng = new Random(8);
        CellNormalization rms = CellNormalization.of("rmsNorm", RMSNorm::new);
        GRU gru = new GRU(IN, HIDDEN, 1, rms, rng);
        assertTrue(gru.toString().startsWith("GRU(3, 4, numLayers=1, normalization=rmsNorm"), gru.toString());
        assertTrue(gru.namedParameters().containsKey("l0.normHh.weight"));
        GradCheck.check(new SequenceCheck(gru, STEPS), inputs(false, rng)).assertPassed();
    }

    @Test
    void theCheckCatchesAWrongBackwardInsideACell() {
        // a planted bug: the forget gate's contribution is cut from the graph, so backward misses it
        Random rng = new Random(5);
        LSTM model = new LSTM(IN, HIDDEN, 1, CellNormalization.layerNorm(), rng);
        Checkable buggy = new Checkable() {
            @Override
            public Tensor apply(Tensor... in) {
                LSTMCell cell = (LSTMCell) model.cell(0);
                CellState s = CellState.of(in[STEPS], in[STEPS + 1]);
                List<Tensor> outs = new ArrayList<>();
                for (int t = 0; t < STEPS; t++) {
                    CellState next = cell.forward(in[t], s, t);
                    Tensor c = next.c().detach().add(next.c().sub(next.c().detach()).mul(0.5));
                    s = CellState.of(next.h(), c);
                    outs.add(next.h());
                }
                outs.add(s.c());
                return Tensor.concatColumns(outs.toArray(new Tensor[0]));
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return model.namedParameters();
            }
        };
        GradCheckReport report = GradCheck.check(buggy, inputs(true, rng));
        assertFalse(report.passed(), report::toString);
        assertTrue(report.toString().contains("c_0"), report::toString);
    }
}
