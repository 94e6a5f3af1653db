/**
 * Training diagnostics: {@link dev.normgrad.diagnostics.Diagnostics} hooks a model's layers and
 * records per layer and step activation mean, std, saturation and histogram, output and parameter
 * gradient norms, and update-to-data ratios ({@link dev.normgrad.diagnostics.LayerStats}), as records
 * and as JSON ({@code layers/DIAGNOSTICS-FORMAT.md}); {@link dev.normgrad.diagnostics.Diagnostics#recordSequence}
 * stores ‖∂L/∂h_t‖ across the time steps of a recurrent computation
 * ({@link dev.normgrad.diagnostics.SequenceStats}).
 */
package dev.normgrad.diagnostics;
