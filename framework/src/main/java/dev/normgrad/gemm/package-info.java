/**
 * Matrix products: {@link dev.normgrad.gemm.MatMulKernel}, the one entry point every op's GEMM goes
 * through, and the kernels it chooses between (EJML's pure-Java products, or
 * {@link dev.normgrad.gemm.NetlibGemm}: a native BLAS by JNI or netlib's Vector API loops). Ops never
 * call a BLAS themselves, so swapping the kernel changes no op.
 */
package dev.normgrad.gemm;
