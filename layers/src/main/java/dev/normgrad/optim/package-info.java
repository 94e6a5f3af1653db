/**
 * Optimizers with PyTorch's update rules ({@link dev.normgrad.optim.SGD} with momentum and weight
 * decay, {@link dev.normgrad.optim.Adam}) on the common {@link dev.normgrad.optim.Optimizer}
 * ({@code zeroGrad()}, {@code step()}), and global gradient-norm clipping
 * ({@link dev.normgrad.optim.Clip#gradNorm}).
 */
package dev.normgrad.optim;
