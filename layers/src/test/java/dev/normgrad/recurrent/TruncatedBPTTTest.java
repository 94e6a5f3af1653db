package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Parameter;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TruncatedBPTTTest {
    private static List<Tensor> steps(int count, Random rng) {
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            steps.add(Tensor.randn(3, 2, rng));
        }
        return steps;
    }

    @Test
    void chunksAreAtMostKStepsAndCoverTheSequence() {
        TruncatedBPTT bptt = new TruncatedBPTT(new GRU(2, 4, new Random(0)), 4);
        List<List<Tensor>> chunks = bptt.chunks(steps(10, new Random(1)));
        assertEquals(List.of(4, 4, 2), chunks.stream().map(List::size).toList());
    }

    @Test
    void carryingTheStateGivesTheValuesOfTheUntruncatedForward() {
        Random rng = new Random(2);
        LSTM lstm = new LSTM(2, 5, 2, CellNormalization.layerNorm(), rng);
        List<Tensor> steps = steps(11, rng);
        SequenceOutput full = lstm.forward(steps);
        SequenceOutput truncated = new TruncatedBPTT(lstm, 3).forwardWhole(steps);
        for (int t = 0; t < 11; t++) {
            for (int i = 0; i < full.outputs().get(t).data().getNumElements(); i++) {
                assertEquals(full.outputs().get(t).data().data[i], truncated.outputs().get(t).data().data[i], 1e-15);
            }
        }
        assertEquals(full.finalState().c().get(1, 2), truncated.finalState().c().get(1, 2), 1e-15);
    }

    @Test
    void theGradientReachesBackOnlyToTheStartOfTheLastChunk() {
        Random rng = new Random(3);
        RNN rnn = new RNN(2, 4, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(), rng);
        List<Tensor> steps = steps(10, rng);
        SequenceOutput out = new TruncatedBPTT(rnn, 4).forwardWhole(steps);   // chunks [0,4) [4,8) [8,10)
        out.last().mul(Tensor.randn(3, 4, rng)).sum().backward();
        double[] profile = HiddenGradients.of(out).layer(0).gradNorms();
        for (int t = 0; t < 8; t++) {
            assertEquals(0.0, profile[t], "step " + t + " is behind a chunk boundary");
        }
        assertTrue(profile[8] > 0 && profile[9] > 0);
    }

    @Test
    void chunksKeepTheTrueTimeIndexForPerStepStatistics() {
        Random rng = new Random(4);
        LSTM lstm = new LSTM(2, 3, 1, CellNormalization.recurrentBatchNorm(20), rng);
        TruncatedBPTT bptt = new TruncatedBPTT(lstm, 5);
        for (List<Tensor> chunk : bptt.chunks(steps(12, rng))) {
            bptt.forward(chunk);
        }
        assertEquals(12, bptt.nextStep());
        RecurrentBatchNorm bn = (RecurrentBatchNorm) lstm.cell(0).children().get("normIh");
        assertEquals(12, bn.trackedSteps(), "steps 0..11 each have their own statistics");
        bptt.reset();
        assertEquals(0, bptt.nextStep());
        assertNull(bptt.state());
    }

    @Test
    void aTrainingLoopOverChunksLearnsNextStepPrediction() {
        // one long sequence per batch row: a sine wave with a random phase; predict x_{t+1} from x_0..x_t
        Random rng = new Random(6);
        int length = 120;
        int batch = 8;
        double[][] wave = new double[batch][length + 1];
        for (int n = 0; n < batch; n++) {
            double phase = 2 * Math.PI * rng.nextDouble();
            for (int t = 0; t <= length; t++) {
                wave[n][t] = Math.sin(0.3 * t + phase);
            }
        }
        List<Tensor> inputs = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            double[] x = new double[batch];
            double[] y = new double[batch];
            for (int n = 0; n < batch; n++) {
                x[n] = wave[n][t];
                y[n] = wave[n][t + 1];
            }
            inputs.add(Tensor.column(x));
            targets.add(Tensor.column(y));
        }
        GRU gru = new GRU(1, 8, 1, CellNormalization.none(), rng);
        Linear head = new Linear(8, 1, true, rng);
        List<Parameter> parameters = new ArrayList<>(gru.parameters());
        parameters.addAll(head.parameters());
        Adam adam = new Adam(parameters, 0.02);
        TruncatedBPTT bptt = new TruncatedBPTT(gru, 20);
        double first = 0;
        double last = 0;
        for (int epoch = 0; epoch < 15; epoch++) {
            bptt.reset();
            double total = 0;
            List<List<Tensor>> chunks = bptt.chunks(inputs);
            for (int c = 0; c < chunks.size(); c++) {
                SequenceOutput out = bptt.forward(chunks.get(c));
                Tensor loss = Tensor.scalar(0);
                for (int t = 0; t < out.steps(); t++) {
                    Tensor d = head.apply(out.outputs().get(t)).sub(targets.get(c * 20 + t));
                    loss = loss.add(d.mul(d).mean());
                }
                loss = loss.div(out.steps());
                adam.zeroGrad();
                loss.backward();
                Clip.gradNorm(parameters, 1.0);
                adam.step();
                total += loss.item();
            }
            if (epoch == 0) {
                first = total / chunks.size();
            }
            last = total / chunks.size();
        }
        assertTrue(last < 0.1 * first, "mean chunk loss went from " + first + " to " + last);
    }

    @Test
    void aChunkLongerThanKIsRefused() {
        TruncatedBPTT bptt = new TruncatedBPTT(new GRU(2, 4, new Random(0)), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bptt.forward(steps(4, new Random(5))));
        assertTrue(e.getMessage().contains("4 steps, more than k = 3"), e.getMessage());
    }
}
