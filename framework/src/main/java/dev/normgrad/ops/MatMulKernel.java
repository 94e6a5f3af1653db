package dev.normgrad.ops;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one place every matrix product in NormGrad goes through, so that its kernel can be swapped
 * (a native BLAS, a vectorised loop) without touching any op. The default is EJML's
 * {@link CommonOps_DDRM} single-threaded products.
 */
public final class MatMulKernel {
    /** A GEMM: {@code c = op(a)·op(b)} or {@code c += op(a)·op(b)}, op = identity or transpose. */
    public interface Gemm {
        void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate);

        /** A short name shown by benchmarks and reports, e.g. "ejml". */
        String name();
    }

    /** EJML's products. */
    public static final Gemm EJML = new Gemm() {
        @Override
        public void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
            if (accumulate) {
                if (transA && transB) {
                    CommonOps_DDRM.multAddTransAB(a, b, c);
                } else if (transA) {
                    CommonOps_DDRM.multAddTransA(a, b, c);
                } else if (transB) {
                    CommonOps_DDRM.multAddTransB(a, b, c);
                } else {
                    CommonOps_DDRM.multAdd(a, b, c);
                }
            } else if (transA && transB) {
                CommonOps_DDRM.multTransAB(a, b, c);
            } else if (transA) {
                CommonOps_DDRM.multTransA(a, b, c);
            } else if (transB) {
                CommonOps_DDRM.multTransB(a, b, c);
            } else {
                CommonOps_DDRM.mult(a, b, c);
            }
        }

        @Override
        public String name() {
            return "ejml";
        }
    };

    private static volatile Gemm current = EJML;

    private MatMulKernel() {
    }

    /** {@code c = op(a)·op(b)} ({@code accumulate} false) or {@code c += op(a)·op(b)}. c: modified; a, b: not. */
    public static void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
        current.gemm(transA, a, transB, b, c, accumulate);
    }

    /** The kernel in use. */
    public static Gemm current() {
        return current;
    }

    /** Replaces the kernel for every later product. */
    public static void use(Gemm kernel) {
        if (kernel == null) {
            throw new IllegalArgumentException("MatMulKernel.use: the kernel is null");
        }
        current = kernel;
    }
}
