/**
 * One class per primitive op, each with its derivative beside its forward and the math in its
 * Javadoc. Variants share a kernel: {@link dev.normgrad.ops.Elementwise} for unary maps,
 * {@link dev.normgrad.ops.Broadcast} for add/sub/mul/div with broadcasting,
 * {@link dev.normgrad.ops.Sum} for sums and means; every matrix product goes through
 * {@link dev.normgrad.gemm.MatMulKernel}.
 */
package dev.normgrad.ops;
