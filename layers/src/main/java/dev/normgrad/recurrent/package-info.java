/**
 * Recurrent layers with normalization inside: {@link dev.normgrad.recurrent.RNNCell} (tanh or ReLU),
 * {@link dev.normgrad.recurrent.LSTMCell} (gates i, f, g, o) and {@link dev.normgrad.recurrent.GRUCell}
 * (r, z, n, PyTorch's placement of b_hn), with PyTorch's parameter names, shapes and initialisation;
 * the normalization is a constructor argument ({@link dev.normgrad.recurrent.CellNormalization}: none,
 * layer norm after Ba et al. 2016, recurrent batch norm with per-step statistics after Cooijmans et
 * al. 2016). {@link dev.normgrad.recurrent.RNN}, {@link dev.normgrad.recurrent.LSTM} and
 * {@link dev.normgrad.recurrent.GRU} run stacked cells over a {@code List<Tensor>} (one N×F tensor per
 * step) and return a {@link dev.normgrad.recurrent.SequenceOutput};
 * {@link dev.normgrad.recurrent.TruncatedBPTT} cuts long sequences;
 * {@link dev.normgrad.recurrent.HiddenGradients} reads ‖∂L/∂h_t‖ for every step after a backward;
 * {@link dev.normgrad.recurrent.LastStep} keeps the last step of a sequence laid side by side (a
 * recurrent layer inside a {@code Sequential}).
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(2, 32, 1, CellNormalization.layerNorm(), new Random(0));
 * SequenceOutput out = lstm.forward(steps);            // steps: List<Tensor>, one N×2 per time step
 * Tensor prediction = head.apply(out.last());          // the top layer's h_T, N×32
 * }</pre>
 */
package dev.normgrad.recurrent;
