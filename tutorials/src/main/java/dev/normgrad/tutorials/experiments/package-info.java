/**
 * The experiments behind notebooks 3, 4 and 5 and the claims table, as plain Java: each is a static
 * method that takes its parameters and a seed (an overload with only the seed runs the notebook's
 * size) and returns records of plain numbers, which {@link dev.normgrad.tutorials.experiments.Json}
 * writes as JSON. The same seed gives the same numbers on every run.
 *
 * <ul>
 *   <li>{@link dev.normgrad.tutorials.experiments.VanishingGradients} — notebook 3: per-layer
 *       activation and gradient histograms of deep sigmoid/tanh MLPs at several initialisations,
 *       saturation and update-to-data ratios over training (Glorot &amp; Bengio 2010).</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.BatchNormExperiments} — notebook 4: Ioffe &amp;
 *       Szegedy's figure 1 on the digits, running statistics, init-scale and learning-rate sweeps,
 *       where BatchNorm's parameters matter.</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.LayerNormFamily} — notebook 5: each normalization's
 *       statistics over its axes, BatchNorm's dependence on the batch, accuracy against batch size.</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.Claims} and
 *       {@link dev.normgrad.tutorials.experiments.RunAll} — the claims read off the results, for several
 *       seeds; {@code ./normgrad experiments} prints everything as JSON.</li>
 * </ul>
 * Shared pieces: {@link dev.normgrad.tutorials.experiments.DigitsSplit} (the standardised 80/20 split),
 * {@link dev.normgrad.tutorials.experiments.Nets} (the MLPs), {@link dev.normgrad.tutorials.experiments.Training}
 * (steps and evaluation), {@link dev.normgrad.tutorials.experiments.Probes} (measurements that leave
 * a model as it was), {@link dev.normgrad.tutorials.experiments.Stats}.
 */
package dev.normgrad.tutorials.experiments;
