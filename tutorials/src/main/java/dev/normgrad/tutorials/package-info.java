/**
 * The tutorials module: what the chapters ({@code tutorials/*.md}, executed from
 * {@code notebooks/*.ipynb}), the command line and the course share, one package per part:
 * <ul>
 *   <li>{@link dev.normgrad.tutorials.cli} — the {@code ./normgrad} command line
 *       ({@link dev.normgrad.tutorials.cli.NormGradCommand} is the program);</li>
 *   <li>{@link dev.normgrad.tutorials.experiments} — settings, networks and training loops the chapters,
 *       the demo and the tests share;</li>
 *   <li>{@link dev.normgrad.tutorials.charts} — the charts of the chapters and the command line;</li>
 *   <li>{@link dev.normgrad.tutorials.graph} — the computation graph, drawn;</li>
 *   <li>{@link dev.normgrad.tutorials.coursework} — the assignments, their handouts and the grader;</li>
 *   <li>{@link dev.normgrad.tutorials.bench} — the benchmarks of {@code ./normgrad bench}.</li>
 * </ul>
 */
package dev.normgrad.tutorials;
