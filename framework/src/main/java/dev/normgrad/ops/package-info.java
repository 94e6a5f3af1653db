/**
 * One class per primitive op, each with its derivative beside its forward and the math in its
 * Javadoc. Variants share a kernel: {@link dev.normgrad.ops.Elementwise} for unary maps,
 * {@link dev.normgrad.ops.Broadcast} for add/sub/mul/div with broadcasting,
 * {@link dev.normgrad.ops.Sum} for sums and means; every matrix product goes through
 * {@link dev.normgrad.gemm.MatMulKernel}. Images are rows of C·H·W values in (C, H, W) row-major
 * order: {@link dev.normgrad.ops.Conv2dOp} (through {@link dev.normgrad.ops.Im2Col}),
 * {@link dev.normgrad.ops.MaxPool2dOp} and {@link dev.normgrad.ops.AvgPool2dOp} share one
 * {@link dev.normgrad.ops.SlidingWindow}; a 1-D signal is an image of height 1.
 */
package dev.normgrad.ops;
