package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.AddingProblem;
import dev.normgrad.data.SequenceBatch;
import dev.normgrad.init.Init;
import dev.normgrad.loss.MSELoss;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Parameter;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Clip;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.HiddenGradients;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.recurrent.Recurrent;
import dev.normgrad.recurrent.RecurrentBatchNorm;
import dev.normgrad.recurrent.SequenceOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The experiments of notebook 6: vanishing and exploding gradients in recurrent networks, on the
 * adding problem ({@link AddingProblem}). Every method is seeded and returns records of plain numbers.
 *
 * <ul>
 *   <li>{@link #spectralRadius}: ‖∂L/∂h_t‖ against t for a tanh RNN whose recurrent weight is an
 *       orthogonal matrix scaled to spectral radius ρ (Bengio, Simard &amp; Frasconi 1994; Pascanu,
 *       Mikolov &amp; Bengio 2013): backward, the gradient is multiplied once per step by
 *       W_hhᵀ·diag(tanh′), so it shrinks by about ρ per step when ρ &lt; 1 and can grow when ρ &gt; 1.</li>
 *   <li>{@link #clipping}: plain SGD on a tanh RNN with a large recurrent weight, with and without
 *       global gradient-norm clipping (Pascanu et al. 2013): gradient norms and losses per step.</li>
 *   <li>{@link #addingProblem}: the same budget for a plain RNN, an LN-RNN, an LSTM, a GRU, an
 *       LN-LSTM and a recurrent-BN-LSTM (Ba et al. 2016; Cooijmans et al. 2016).</li>
 *   <li>{@link #gammaSweep}: at initialisation, the gradient profile of a tanh RNN with per-step
 *       recurrent BatchNorm for several initial γ (Cooijmans et al. 2016, fig. 1).</li>
 * </ul>
 */
public final class RecurrentGradients {

    private RecurrentGradients() {
    }

    /**
     * One gradient profile: ‖∂L/∂h_t‖ for t = 0 … T−1, after one backward of the loss at the last step.
     *
     * @param name      what was measured ("ρ = 0.5")
     * @param parameter the swept value (ρ or γ)
     * @param gradNorms ‖∂L/∂h_t‖, Frobenius norm over the batch
     */
    public record Profile(String name, double parameter, double[] gradNorms) {
        /** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖: below 1 the gradient vanished on its way back, above 1 it grew. */
        public double firstToLast() {
            return gradNorms[0] / gradNorms[gradNorms.length - 1];
        }
    }

    // ======================================================================== spectral radius

    /** At the notebook's size: ρ ∈ {0.5, 1.0, 1.5}, T = 50, hidden 32, batch 32. */
    public static List<Profile> spectralRadius(long seed) {
        return spectralRadius(new double[] {0.5, 1.0, 1.5}, 50, 32, 32, seed);
    }

    /**
     * For each ρ: a tanh RNN (hidden {@code hidden}) with W_hh = ρ·Q, Q orthogonal (every eigenvalue
     * of W_hh then has modulus ρ), PyTorch's default for the other weights, and a linear head; one
     * batch of adding-problem sequences of length {@code steps}; loss = MSE of the head on h_{T−1};
     * one backward. Every ρ sees the same Q, inputs and head.
     */
    public static List<Profile> spectralRadius(double[] radii, int steps, int hidden, int batch, long seed) {
        SequenceBatch data = new AddingProblem(steps, new Random(seed)).sample(batch);
        List<Profile> profiles = new ArrayList<>();
        for (double radius : radii) {
            RNN rnn = new RNN(AddingProblem.FEATURES, hidden, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(),
                    new Random(seed + 1));
            Init.orthogonal(rnn.cell(0).weightHh(), radius, new Random(seed + 2));
            Linear head = new Linear(hidden, 1, true, new Random(seed + 3));
            profiles.add(new Profile("ρ = " + radius, radius, profileAtInit(rnn, head, data)));
        }
        return profiles;
    }

    /** One forward and backward of the adding-problem loss; ‖∂L/∂h_t‖ of the top layer. */
    static double[] profileAtInit(Recurrent model, Linear head, SequenceBatch data) {
        SequenceOutput out = model.forward(data.steps());
        new MSELoss().apply(head.apply(out.last()), data.targets()).backward();
        return HiddenGradients.of(out).top().gradNorms();
    }

    // ======================================================================== clipping

    /**
     * One training run, per step.
     *
     * @param name         "no clipping" or "clipped at 1"
     * @param maxNorm      the clipping threshold, or +∞ for none
     * @param loss         the training loss at each step (before the update)
     * @param gradNorm     the total gradient norm at each step, before clipping (what {@link Clip#gradNorm} returns)
     * @param updateNorm   ‖θ_{k+1} − θ_k‖ of the update each step applied
     * @param testMse      MSE on fresh sequences after training (NaN if training diverged)
     */
    public record ClippingRun(String name, double maxNorm, double[] loss, double[] gradNorm, double[] updateNorm,
                              double testMse) {
        /** The steps before the gradient became infinite or NaN (all of them if it never did): what a chart can draw. */
        public int finiteSteps() {
            int k = 0;
            while (k < gradNorm.length && Double.isFinite(gradNorm[k]) && Double.isFinite(loss[k])) {
                k++;
            }
            return k;
        }
    }

    /**
     * The clipping comparison and its settings.
     *
     * @param radius       the spectral radius W_hh starts with
     * @param learningRate plain SGD's
     */
    public record Clipping(int sequenceLength, int hidden, double radius, double learningRate, int steps, int batch,
                           List<ClippingRun> runs) {
    }

    /** At the notebook's size: T = 30, hidden 32, ρ = 1.5, SGD lr 0.05, 200 steps of batch 32, clip at 1. */
    public static Clipping clipping(long seed) {
        return clipping(30, 32, 1.5, 0.05, 200, 32, 1.0, seed);
    }

    /**
     * Two identical tanh RNNs (W_hh = ρ·Q, Q orthogonal) trained with plain SGD on the same adding-problem
     * batches, one with {@link Clip#gradNorm} at {@code maxNorm} between backward and step, one without.
     * Clipping rescales the whole gradient when its norm exceeds {@code maxNorm}, so no SGD update is
     * longer than lr · maxNorm: a spike of the gradient cannot throw the weights far.
     */
    public static Clipping clipping(int sequenceLength, int hidden, double radius, double learningRate, int steps, int batch,
                                    double maxNorm, long seed) {
        List<ClippingRun> runs = new ArrayList<>();
        for (double clip : new double[] {Double.POSITIVE_INFINITY, maxNorm}) {
            RNN rnn = new RNN(AddingProblem.FEATURES, hidden, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(),
                    new Random(seed + 1));
            Init.orthogonal(rnn.cell(0).weightHh(), radius, new Random(seed + 2));
            Linear head = new Linear(hidden, 1, true, new Random(seed + 3));
            List<Parameter> params = parameters(rnn, head);
            Trace trace = train(rnn, head, params, new SGD(params, learningRate), sequenceLength, steps, batch, clip, seed);
            String name = Double.isInfinite(clip) ? "no clipping" : "clipped at " + clip;
            runs.add(new ClippingRun(name, clip, trace.loss, trace.gradNorm, trace.updateNorm,
                    testMse(rnn, head, sequenceLength, seed)));
        }
        return new Clipping(sequenceLength, hidden, radius, learningRate, steps, batch, runs);
    }

    // ======================================================================== the adding problem

    /** The recurrent networks compared on the adding problem. */
    public enum Model {
        /** tanh RNN, no normalization. */
        RNN_TANH("tanh RNN"),
        /** tanh RNN with LayerNorm on W_ih·x and W_hh·h (Ba et al. 2016). */
        LN_RNN("LN tanh RNN"),
        /** LSTM, no normalization. */
        LSTM_PLAIN("LSTM"),
        /** GRU, no normalization. */
        GRU_PLAIN("GRU"),
        /** LSTM with LayerNorm on both projections and on c_t (Ba et al. 2016). */
        LN_LSTM("LN-LSTM"),
        /** LSTM with per-time-step BatchNorm, γ = 0.1 (Cooijmans et al. 2016). */
        BN_LSTM("recurrent-BN-LSTM");

        private final String label;

        Model(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** A new network of this kind: input 2, one layer of {@code hidden} units. */
        public Recurrent create(int hidden, int maxSteps, Random random) {
            switch (this) {
                case RNN_TANH:
                    return new RNN(AddingProblem.FEATURES, hidden, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(), random);
                case LN_RNN:
                    return new RNN(AddingProblem.FEATURES, hidden, 1, RNNCell.Nonlinearity.TANH, CellNormalization.layerNorm(),
                            random);
                case LSTM_PLAIN:
                    return new LSTM(AddingProblem.FEATURES, hidden, 1, CellNormalization.none(), random);
                case GRU_PLAIN:
                    return new GRU(AddingProblem.FEATURES, hidden, 1, CellNormalization.none(), random);
                case LN_LSTM:
                    return new LSTM(AddingProblem.FEATURES, hidden, 1, CellNormalization.layerNorm(), random);
                case BN_LSTM:
                    return new LSTM(AddingProblem.FEATURES, hidden, 1, CellNormalization.recurrentBatchNorm(maxSteps), random);
                default:
                    throw new IllegalStateException("RecurrentGradients: unknown model " + this);
            }
        }
    }

    /**
     * One model trained on the adding problem.
     *
     * @param loss        training MSE at each step
     * @param testMse     MSE on fresh test sequences in training mode (recurrent BN: with the test batch's own
     *                    statistics, as in training)
     * @param evalTestMse the same in evaluation mode (recurrent BN: with its running statistics, as a deployed
     *                    model runs; see {@link RecurrentBatchNorm}); for every other model equal to testMse
     * @param seconds     wall time of the training (machine-dependent; not shown in the notebook)
     */
    public record AddingRun(String model, double[] loss, double testMse, double evalTestMse, double seconds) {
    }

    /**
     * The comparison and its budget.
     *
     * @param baselineMse the test set's MSE when predicting 1, the mean sum (≈ 1/6): below it a model learned something
     */
    public record Adding(int sequenceLength, int hidden, int steps, int batch, double learningRate, double maxNorm,
                         double baselineMse, List<AddingRun> runs) {
    }

    /**
     * Every model trained with the same budget: Adam at {@code learningRate}, global clipping at 1,
     * {@code steps} steps of {@code batch} sequences of length {@code sequenceLength}, hidden
     * {@code hidden}, the same batches for every model; tested on 500 fresh sequences.
     */
    public static Adding addingProblem(Model[] models, int sequenceLength, int hidden, int steps, int batch,
                                       double learningRate, long seed) {
        double maxNorm = 1.0;
        List<AddingRun> runs = new ArrayList<>();
        for (Model kind : models) {
            long start = System.nanoTime();
            Recurrent model = kind.create(hidden, sequenceLength, new Random(seed + 1));
            Linear head = new Linear(hidden, 1, true, new Random(seed + 3));
            List<Parameter> params = parameters(model, head);
            Trace trace = train(model, head, params, new Adam(params, learningRate), sequenceLength, steps, batch, maxNorm, seed);
            // evaluation mode first: a training-mode forward of the test set would fold its statistics into
            // recurrent BN's running statistics
            model.eval();
            double evalTest = testMse(model, head, sequenceLength, seed);
            model.train();
            double test = testMse(model, head, sequenceLength, seed);
            runs.add(new AddingRun(kind.label(), trace.loss, test, evalTest, (System.nanoTime() - start) / 1e9));
        }
        SequenceBatch test = testSet(sequenceLength, seed);
        double baseline = new MSELoss().apply(Tensor.full(test.size(), 1, 1.0), test.targets()).item();
        return new Adding(sequenceLength, hidden, steps, batch, learningRate, maxNorm, baseline, runs);
    }

    // ======================================================================== recurrent BN γ sweep

    /** At the notebook's size: γ ∈ {0.1, 0.3, 0.5, 0.7, 1.0}, T = 50, hidden 32, batch 64. */
    public static List<Profile> gammaSweep(long seed) {
        return gammaSweep(new double[] {0.1, 0.3, 0.5, 0.7, 1.0}, 50, 32, 64, seed);
    }

    /**
     * After Cooijmans et al. 2016, fig. 1(a): an LSTM with per-time-step BatchNorm on W_ih·x, on
     * W_hh·h and on c_t, γ initialised to each value (β = 0); at initialisation, in training mode
     * (batch statistics), one backward of the adding-problem loss at the last step; ‖∂L/∂h_t‖ for
     * every t. Every γ sees the same weights and inputs. The paper's figure (a tanh RNN on permuted
     * MNIST) shows γ = 1 vanishing and γ = 0.1 flowing; what this setting shows is in the notebook.
     */
    public static List<Profile> gammaSweep(double[] gammas, int steps, int hidden, int batch, long seed) {
        SequenceBatch data = new AddingProblem(steps, new Random(seed)).sample(batch);
        List<Profile> profiles = new ArrayList<>();
        for (double gamma : gammas) {
            CellNormalization bn = CellNormalization.of("recurrentBatchNorm(γ=" + gamma + ")",
                    features -> new RecurrentBatchNorm(features, steps, RecurrentBatchNorm.DEFAULT_EPS,
                            RecurrentBatchNorm.DEFAULT_MOMENTUM, gamma));
            LSTM lstm = new LSTM(AddingProblem.FEATURES, hidden, 1, bn, new Random(seed + 1));
            Linear head = new Linear(hidden, 1, true, new Random(seed + 3));
            profiles.add(new Profile("γ = " + gamma, gamma, profileAtInit(lstm, head, data)));
        }
        return profiles;
    }

    /**
     * Cooijmans et al. 2016, fig. 1(b): the expected derivative of tanh at a pre-activation
     * a ~ N(0, s²), E[tanh′(a)] = E[1 − tanh²(a)], by a midpoint rule on ±8s (2001 points). A
     * normalized pre-activation with scale γ has s = γ: the larger γ, the more tanh saturates and the
     * smaller the factor each step multiplies the gradient by.
     */
    public static double expectedTanhDerivative(double s) {
        int n = 2001;
        double lo = -8 * s;
        double h = 16 * s / n;
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < n; i++) {
            double a = lo + (i + 0.5) * h;
            double p = Math.exp(-0.5 * a * a / (s * s));
            double t = Math.tanh(a);
            sum += p * (1 - t * t);
            weight += p;
        }
        return sum / weight;
    }

    // ======================================================================== shared training loop

    private record Trace(double[] loss, double[] gradNorm, double[] updateNorm) {
    }

    private static List<Parameter> parameters(Recurrent model, Linear head) {
        List<Parameter> params = new ArrayList<>(model.parameters());
        params.addAll(head.parameters());
        return params;
    }

    /** Training batches from seed + 10 (the same for every model), clipping when maxNorm is finite. */
    private static Trace train(Recurrent model, Linear head, List<Parameter> params, Optimizer optimizer, int length,
                               int steps, int batch, double maxNorm, long seed) {
        AddingProblem task = new AddingProblem(length, new Random(seed + 10));
        MSELoss mse = new MSELoss();
        double[] loss = new double[steps];
        double[] gradNorm = new double[steps];
        double[] updateNorm = new double[steps];
        for (int k = 0; k < steps; k++) {
            SequenceBatch b = task.sample(batch);
            Tensor l = mse.apply(head.apply(model.forward(b.steps()).last()), b.targets());
            optimizer.zeroGrad();
            l.backward();
            loss[k] = l.item();
            gradNorm[k] = totalNorm(params);
            if (!Double.isFinite(gradNorm[k])) {
                // diverged: the rest of the run is undefined (NaN in the record, drawn as a gap)
                java.util.Arrays.fill(loss, k, steps, Double.NaN);
                java.util.Arrays.fill(gradNorm, k, steps, Double.NaN);
                java.util.Arrays.fill(updateNorm, k, steps, Double.NaN);
                break;
            }
            if (!Double.isInfinite(maxNorm)) {
                Clip.gradNorm(params, maxNorm);
            }
            double[][] before = new double[params.size()][];
            for (int i = 0; i < before.length; i++) {
                before[i] = params.get(i).data().data.clone();
            }
            optimizer.step();
            double sq = 0;
            for (int i = 0; i < before.length; i++) {
                double[] now = params.get(i).data().data;
                for (int j = 0; j < before[i].length; j++) {
                    double d = now[j] - before[i][j];
                    sq += d * d;
                }
            }
            updateNorm[k] = Math.sqrt(sq);
        }
        return new Trace(loss, gradNorm, updateNorm);
    }

    /**
     * The mean of each window of {@code window} consecutive values (the last window may be shorter):
     * a per-step training loss is noisy, its moving average shows the trend.
     */
    public static double[] windowMeans(double[] values, int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("RecurrentGradients.windowMeans: window must be positive, got " + window);
        }
        double[] means = new double[(values.length + window - 1) / window];
        for (int w = 0; w < means.length; w++) {
            int end = Math.min(values.length, (w + 1) * window);
            double sum = 0;
            for (int k = w * window; k < end; k++) {
                sum += values[k];
            }
            means[w] = sum / (end - w * window);
        }
        return means;
    }

    /** √(Σ_p ‖∇p‖²) over all parameters, as {@link Clip#gradNorm} computes it (without clipping or throwing on NaN). */
    private static double totalNorm(List<Parameter> params) {
        double sq = 0;
        for (Parameter p : params) {
            if (p.gradData() == null) {
                continue;
            }
            double[] g = p.gradData().data;
            for (int i = 0; i < p.gradData().getNumElements(); i++) {
                sq += g[i] * g[i];
            }
        }
        return Math.sqrt(sq);
    }

    private static SequenceBatch testSet(int length, long seed) {
        return new AddingProblem(length, new Random(seed + 999)).sample(500);
    }

    private static double testMse(Recurrent model, Linear head, int length, long seed) {
        SequenceBatch test = testSet(length, seed);
        try (NoGrad off = NoGrad.enter()) {
            double v = new MSELoss().apply(head.apply(model.forward(test.steps()).last()), test.targets()).item();
            return Double.isFinite(v) ? v : Double.NaN;
        }
    }
}
