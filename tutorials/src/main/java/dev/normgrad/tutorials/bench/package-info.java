/**
 * The benchmarks behind {@code ./normgrad bench} and the README's performance section
 * ({@link dev.normgrad.tutorials.bench.BenchMain} runs them, JMH with a short configuration):
 * <ul>
 *   <li>the reference workloads of DESIGN.md, each through the engine as a learner writes it and
 *       written by hand on raw matrices, the limit it is measured against: W1, the batch-normalized
 *       MLP step ({@code W1Engine}, {@code W1Raw}); W2, the layer-normalized RNN ({@code W2Engine},
 *       {@code W2Raw}); W3, a gradient check; W4, the small CNN ({@code W4Engine}, {@code W4Raw});
 *       {@link dev.normgrad.tutorials.bench.Workload} lists them;</li>
 *   <li>the kernels: {@code GemmBench} (each GEMM path on the workloads' shapes, {@code GemmShape}),
 *       {@code GemmCrossover} (where BLAS starts to pay), {@code NormBench} (fused against composed
 *       normalization), {@code ElementwiseBench} (an op's own loops against the shared ones);</li>
 *   <li>timing on a noisy machine: {@code Launches} (each workload in N fresh JVMs, {@code Launch} is
 *       one), {@code StepTimer} (engine and raw steps interleaved, by wall clock and thread CPU time),
 *       {@code Breakdown} (where a step's time goes, from Java Flight Recorder), {@code HeapWarmUp}
 *       (the heap's pages touched before measuring).</li>
 * </ul>
 * Numbers are printed as one JSON object per line; they belong in the README, never in Javadoc.
 */
package dev.normgrad.tutorials.bench;
