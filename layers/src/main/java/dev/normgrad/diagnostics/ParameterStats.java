package dev.normgrad.diagnostics;

/**
 * One parameter of a layer at one optimizer step, recorded by {@link Diagnostics#beforeStep()} and
 * {@link Diagnostics#afterStep()}. Norms are Frobenius norms (the square root of the sum of squares
 * of all entries). NaN (null in JSON) when not measured.
 *
 * @param name        the parameter's name within its layer ({@code weight})
 * @param norm        ‖w‖ before the step
 * @param gradNorm    ‖∂L/∂w‖ before the step (0 when no gradient reached it)
 * @param updateNorm  ‖Δw‖ = ‖w_after − w_before‖; NaN until {@code afterStep()}
 * @param updateRatio ‖Δw‖ / ‖w‖, the update-to-data ratio (around 1e-3 is the usual healthy reading);
 *                    NaN when ‖w‖ = 0 (a bias at its zero initialisation) or before {@code afterStep()}
 */
public record ParameterStats(String name, double norm, double gradNorm, double updateNorm, double updateRatio) {
}
