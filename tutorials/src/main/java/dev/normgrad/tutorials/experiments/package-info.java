/**
 * What the chapters, the demo, {@code ./normgrad train} and the tests share; the experiments
 * themselves — the models and the training loops — are written in the chapters' cells
 * ({@code notebooks/*.ipynb}), where a learner reads and changes them.
 *
 * <ul>
 *   <li>{@link dev.normgrad.tutorials.experiments.Settings} — what a run on the digits trains, with named
 *       fields: {@code Settings.defaults().withSteps(3000)}.</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.Parallel} — independent runs (seeds, points of a sweep)
 *       on every core; each run's numbers do not depend on the thread that computed it.</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.DigitsSplit} (the standardised 80/20 split),
 *       {@link dev.normgrad.tutorials.experiments.Activation}, {@link dev.normgrad.tutorials.experiments.WeightInit},
 *       {@link dev.normgrad.tutorials.experiments.Training} (shuffled batches without end, one step,
 *       evaluation), {@link dev.normgrad.tutorials.experiments.Probes} (measurements that leave a model as
 *       it was), {@link dev.normgrad.tutorials.experiments.Stats}.</li>
 *   <li>{@link dev.normgrad.tutorials.experiments.DemoStory} and {@link dev.normgrad.tutorials.experiments.Nets}
 *       — the demo's networks and story; {@link dev.normgrad.tutorials.experiments.Json} writes its results.</li>
 * </ul>
 */
package dev.normgrad.tutorials.experiments;
