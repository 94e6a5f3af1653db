package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HiddenGradientsTest {

    private static List<Tensor> steps(int count, Random rng) {
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            steps.add(Tensor.randn(3, 2, rng));
        }
        return steps;
    }

    @Test
    void stackedLayersGetOneProfileEachAndTheTopLastStepIsTheSeed() {
        Random rng = new Random(1);
        LSTM lstm = new LSTM(2, 4, 2, CellNormalization.layerNorm(), rng);
        SequenceOutput out = lstm.forward(steps(6, rng));
        Tensor seed = Tensor.randn(3, 4, rng);
        out.last().mul(seed).sum().backward();

        HiddenGradients g = HiddenGradients.of(out);
        assertEquals(2, g.layers().size());
        assertEquals(6, g.layer(0).gradNorms().length);
        assertEquals(6, g.top().gradNorms().length);
        double seedNorm = 0;
        for (double v : seed.data().data) {
            seedNorm += v * v;
        }
        assertEquals(Math.sqrt(seedNorm), g.top().at(5), 1e-12, "the loss reads h_5 of the top layer directly");
        for (int t = 0; t < 6; t++) {
            assertTrue(g.layer(0).at(t) > 0, "layer 0 step " + t);
        }
    }

    @Test
    void aStepTheLossDoesNotReachHasNormZero() {
        Random rng = new Random(2);
        GRU gru = new GRU(2, 4, 1, CellNormalization.none(), rng);
        SequenceOutput out = gru.forward(steps(5, rng));
        out.outputs().get(2).sum().backward();       // the loss reads step 2 only
        double[] norms = HiddenGradients.of(out).layer(0).gradNorms();
        assertEquals(0.0, norms[3]);
        assertEquals(0.0, norms[4]);
        assertTrue(norms[0] > 0 && norms[2] > 0);
    }

    @Test
    void jsonHasOneEntryPerLayerAndReadsBack() {
        Random rng = new Random(3);
        RNN rnn = new RNN(2, 3, 2, RNNCell.Nonlinearity.TANH, CellNormalization.none(), rng);
        SequenceOutput out = rnn.forward(steps(4, rng));
        out.last().sum().backward();
        HiddenGradients g = HiddenGradients.of(out);
        String json = g.toJson();
        assertTrue(json.startsWith("{\"layers\":[{\"layer\":0,\"gradNorms\":["), json);
        HiddenGradients back = HiddenGradients.fromJson(json);
        for (int l = 0; l < 2; l++) {
            assertEquals(l, back.layer(l).layer());
            assertArrayEquals(g.layer(l).gradNorms(), back.layer(l).gradNorms(), 0.0);
        }
    }
}
