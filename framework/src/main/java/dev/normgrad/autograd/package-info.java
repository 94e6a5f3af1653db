/**
 * The engine: {@link dev.normgrad.autograd.Tensor} (a 2-D float64 value that remembers how it was
 * computed), {@link dev.normgrad.autograd.Function} (one op: forward and derivative side by side),
 * the backward pass (one iterative topological order, walked in reverse; gradients accumulate; the
 * graph is released afterwards), {@link dev.normgrad.autograd.NoGrad} and anomaly mode
 * ({@link dev.normgrad.autograd.Anomaly}).
 *
 * <p>Conventions are PyTorch's: rows are the batch and columns the features; reductions keep their
 * dimension; gradients add up until {@code zeroGrad()}.
 */
package dev.normgrad.autograd;
