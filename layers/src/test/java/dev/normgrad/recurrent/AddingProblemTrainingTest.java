package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.AddingProblem;
import dev.normgrad.data.SequenceBatch;
import dev.normgrad.loss.MSELoss;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Parameter;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The adding problem with T = 50 (Hochreiter &amp; Schmidhuber 1997): the same budget — 400 Adam steps
 * (lr 0.01, batch 32, global gradient-norm clipping at 1), hidden size 16, fixed seeds — is enough
 * for a layer-normalized LSTM (Ba et al. 2016) to beat the predict-the-mean baseline (MSE 1/6 ≈ 0.167)
 * by far, and not enough for a plain tanh RNN to beat it at all. Margins: the LN-LSTM's test MSE must
 * be below 0.2 × baseline, the RNN's above 0.8 × baseline, measured on 1000 fresh sequences against
 * that set's own baseline (0.1595). Measured: LN-LSTM 0.0052 and tanh RNN 0.1595, the baseline itself (seed 1); the LN-LSTM
 * reached 0.0041 and 0.0031 with seeds 2 and 3. A plain LSTM needs 700–1000 steps for the same (not
 * tested here: it would double the time).
 */
class AddingProblemTrainingTest {
    private static final int T = 50;
    private static final int HIDDEN = 16;
    private static final int ITERATIONS = 400;
    private static final int BATCH = 32;
    private static final SequenceBatch TEST = new AddingProblem(T, new Random(999)).sample(1000);

    /** Trains {@code model} with a linear head on the adding problem and returns the test MSE. */
    static double trainAndTest(Recurrent model, long seed) {
        Linear head = new Linear(HIDDEN, 1, true, new Random(seed));
        List<Parameter> parameters = new ArrayList<>(model.parameters());
        parameters.addAll(head.parameters());
        Adam adam = new Adam(parameters, 0.01);
        MSELoss mse = new MSELoss();
        AddingProblem task = new AddingProblem(T, new Random(seed + 1));
        for (int it = 0; it < ITERATIONS; it++) {
            SequenceBatch batch = task.sample(BATCH);
            Tensor loss = mse.apply(head.apply(model.forward(batch.steps()).last()), batch.targets());
            adam.zeroGrad();
            loss.backward();
            Clip.gradNorm(parameters, 1.0);
            adam.step();
        }
        try (NoGrad off = NoGrad.enter()) {
            return mse.apply(head.apply(model.forward(TEST.steps()).last()), TEST.targets()).item();
        }
    }

    /** The test set's MSE when predicting the mean sum, 1 (about 1/6). */
    static double baseline() {
        return new MSELoss().apply(Tensor.full(TEST.size(), 1, 1.0), TEST.targets()).item();
    }

    @Test
    void layerNormalizedLstmBeatsThePredictTheMeanBaselineByFar() {
        double mse = trainAndTest(new LSTM(AddingProblem.FEATURES, HIDDEN, 1, CellNormalization.layerNorm(), new Random(1)), 1);
        System.out.printf("adding problem T=%d, %d steps: LN-LSTM test MSE %.4f, baseline %.4f%n", T, ITERATIONS, mse, baseline());
        assertTrue(mse < 0.2 * baseline(), "LN-LSTM test MSE " + mse + ", baseline " + baseline());
    }

    @Test
    void plainTanhRnnDoesNotBeatTheBaselineWithTheSameBudget() {
        double mse = trainAndTest(new RNN(AddingProblem.FEATURES, HIDDEN, 1, RNNCell.Nonlinearity.TANH,
                CellNormalization.none(), new Random(1)), 1);
        System.out.printf("adding problem T=%d, %d steps: tanh RNN test MSE %.4f, baseline %.4f%n", T, ITERATIONS, mse, baseline());
        assertTrue(mse > 0.8 * baseline(), "tanh RNN test MSE " + mse + ", baseline " + baseline());
    }
}
