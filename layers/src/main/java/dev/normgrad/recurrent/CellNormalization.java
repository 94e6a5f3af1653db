package dev.normgrad.recurrent;

import dev.normgrad.nn.Module;
import java.util.function.IntFunction;

/**
 * Which normalization a recurrent cell applies inside itself, given to the cell's constructor —
 * one cell class per recurrence (RNN, LSTM, GRU), not one class per combination.
 *
 * <p>A cell asks its normalization for up to three modules, one per {@link Site}:
 * <pre>
 *   gates = N_x(W_ih·x_t) + b_ih + N_h(W_hh·h_{t−1}) + b_hh          (INPUT, HIDDEN)
 *   LSTM:  h_t = σ(o) ⊙ tanh(N_c(c_t))                                (CELL; c_t itself is carried unnormalized)
 * </pre>
 * The GRU keeps PyTorch's placement: n = tanh(N_x(W_in·x)_n + b_in + r ⊙ (N_h(W_hn·h)_n + b_hn)).
 *
 * <ul>
 *   <li>{@link #none()}: the plain cells, exactly PyTorch's.</li>
 *   <li>{@link #layerNorm()}: {@link dev.normgrad.norm.LayerNorm} (Ba, Kiros &amp; Hinton 2016, arXiv:1607.06450) on
 *       W_ih·x and W_hh·h separately, each over all its gates·hidden columns as in the paper, and for
 *       an LSTM on c_t before the output tanh. The same at every step and in training and
 *       evaluation.</li>
 *   <li>{@link #recurrentBatchNorm(int)}: batch normalization with statistics per time step
 *       (Cooijmans et al. 2016, arXiv:1603.09025) at the same three sites, γ initialised to 0.1,
 *       β to 0; see {@link RecurrentBatchNorm}.</li>
 *   <li>{@link #of(String, IntFunction)}: any per-sample normalization module, the same at every
 *       site: {@code CellNormalization.of("rmsNorm", RMSNorm::new)}.</li>
 * </ul>
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(2, 32, 1, CellNormalization.layerNorm(), new Random(0));
 * GRUCell cell = new GRUCell(8, 16, CellNormalization.recurrentBatchNorm(50), new Random(0));
 * }</pre>
 *
 * A module returned by {@link #create} that implements {@link PerTimeStep} is called with the step
 * index; any other is called as {@code apply(x)}.
 */
public interface CellNormalization {

    /** Where inside a cell a normalization sits. */
    enum Site {
        /** On the input projection W_ih·x_t (gates·hidden columns). */
        INPUT,
        /** On the recurrent projection W_hh·h_{t−1} (gates·hidden columns). */
        HIDDEN,
        /** On the LSTM cell state c_t before the output tanh (hidden columns). */
        CELL
    }

    /**
     * A new module normalizing {@code features} columns at {@code site}, or null for no
     * normalization there. Called once per site by the cell's constructor.
     */
    Module create(Site site, int features);

    /** No normalization: the plain RNN, LSTM and GRU cells. */
    static CellNormalization none() {
        return CellNormalizations.NONE;
    }

    /** Layer normalization on W_ih·x, on W_hh·h and (LSTM) on c_t, eps 1e-5, γ = 1, β = 0 (Ba et al. 2016). */
    static CellNormalization layerNorm() {
        return CellNormalizations.LAYER_NORM;
    }

    /**
     * Batch normalization with per-time-step statistics on W_ih·x, on W_hh·h and (LSTM) on c_t,
     * γ = 0.1, β = 0 (Cooijmans et al. 2016).
     *
     * @param maxSteps the steps with their own running statistics (the paper's T_max): set it to
     *                 the longest training sequence; later steps use the last step's statistics
     */
    static CellNormalization recurrentBatchNorm(int maxSteps) {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("CellNormalization.recurrentBatchNorm: maxSteps must be positive, got " + maxSteps);
        }
        return new CellNormalizations.Named("recurrentBatchNorm(maxSteps=" + maxSteps + ")",
                (site, features) -> new RecurrentBatchNorm(features, maxSteps));
    }

    /**
     * The normalization that {@code toString()} described: {@code "none"}, {@code "layerNorm"} or
     * {@code "recurrentBatchNorm(maxSteps=N)"} (how a saved model records it).
     *
     * @throws IllegalArgumentException for any other text, such as the name of a normalization
     *                                  made with {@link #of}, which cannot be rebuilt from its name
     */
    static CellNormalization parse(String description) {
        if ("none".equals(description)) {
            return none();
        }
        if ("layerNorm".equals(description)) {
            return layerNorm();
        }
        String prefix = "recurrentBatchNorm(maxSteps=";
        if (description != null && description.startsWith(prefix) && description.endsWith(")")) {
            try {
                return recurrentBatchNorm(Integer.parseInt(description.substring(prefix.length(), description.length() - 1)));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("CellNormalization.parse: '" + description + "' is not none, layerNorm or "
                + "recurrentBatchNorm(maxSteps=N); a normalization made with CellNormalization.of(name, factory) "
                + "cannot be rebuilt from its name");
    }

    /**
     * The same kind of normalization module at every site, built by {@code factory} from the
     * number of columns it normalizes; {@code name} is what the cell's {@code toString()} shows.
     * The module may implement {@link PerTimeStep}.
     */
    static CellNormalization of(String name, IntFunction<? extends Module> factory) {
        if (name == null || factory == null) {
            throw new IllegalArgumentException("CellNormalization.of: the name and the factory must not be null");
        }
        return new CellNormalizations.Named(name, (site, features) -> factory.apply(features));
    }
}
