import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One step of a gated recurrent unit, as one op (Cho et al. 2014), in PyTorch's layout
 * ({@code nn.GRUCell}): the gates are stacked r, z, n in the rows of the weights, and b_hn sits
 * inside the reset product. The forward is written; the backward is yours.
 *
 * <pre>
 *   inputs  x (N×I), h (N×H), W_ih (3H×I), W_hh (3H×H), b_ih (1×3H), b_hh (1×3H)     output  h' (N×H)
 *   a = x·W_ihᵀ + b_ih,   b = h·W_hhᵀ + b_hh          each N×3H: columns [0, H) r, [H, 2H) z, [2H, 3H) n
 *   r  = σ(a_r + b_r)                                  reset gate
 *   z  = σ(a_z + b_z)                                  update gate
 *   n  = tanh(a_n + r ⊙ b_n)                           candidate: b_n = h·W_hnᵀ + b_hn, reset inside
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 */
public class GRUCellOp extends Function {
    private DMatrixRMaj x;         // N×I
    private DMatrixRMaj h;         // N×H
    private DMatrixRMaj wIh;       // 3H×I
    private DMatrixRMaj wHh;       // 3H×H
    private DMatrixRMaj r;         // N×H
    private DMatrixRMaj z;         // N×H
    private DMatrixRMaj n;         // N×H
    private DMatrixRMaj bn;        // b_n = h·W_hnᵀ + b_hn, N×H

    public GRUCellOp() {
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        x = in[0];
        h = in[1];
        wIh = in[2];
        wHh = in[3];
        DMatrixRMaj bIh = in[4];
        DMatrixRMaj bHh = in[5];
        int rows = x.numRows;
        int hidden = h.numCols;
        if (h.numRows != rows || wIh.numRows != 3 * hidden || wIh.numCols != x.numCols || wHh.numRows != 3 * hidden
                || wHh.numCols != hidden || bIh.getNumElements() != 3 * hidden || bHh.getNumElements() != 3 * hidden) {
            throw new ShapeException("GRUCellOp: shapes x " + rows + "x" + x.numCols + ", h " + h.numRows + "x" + hidden
                    + " need W_ih " + 3 * hidden + "x" + x.numCols + ", W_hh " + 3 * hidden + "x" + hidden
                    + ", b_ih and b_hh 1x" + 3 * hidden);
        }
        DMatrixRMaj a = new DMatrixRMaj(rows, 3 * hidden);
        DMatrixRMaj b = new DMatrixRMaj(rows, 3 * hidden);
        CommonOps_DDRM.multTransB(x, wIh, a);
        CommonOps_DDRM.multTransB(h, wHh, b);
        r = new DMatrixRMaj(rows, hidden);
        z = new DMatrixRMaj(rows, hidden);
        n = new DMatrixRMaj(rows, hidden);
        bn = new DMatrixRMaj(rows, hidden);
        DMatrixRMaj out = new DMatrixRMaj(rows, hidden);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < hidden; k++) {
                double ar = a.get(i, k) + bIh.data[k];
                double az = a.get(i, hidden + k) + bIh.data[hidden + k];
                double an = a.get(i, 2 * hidden + k) + bIh.data[2 * hidden + k];
                double br = b.get(i, k) + bHh.data[k];
                double bz = b.get(i, hidden + k) + bHh.data[hidden + k];
                bn.set(i, k, b.get(i, 2 * hidden + k) + bHh.data[2 * hidden + k]);
                r.set(i, k, 1 / (1 + Math.exp(-(ar + br))));
                z.set(i, k, 1 / (1 + Math.exp(-(az + bz))));
                n.set(i, k, Math.tanh(an + r.get(i, k) * bn.get(i, k)));
                out.set(i, k, (1 - z.get(i, k)) * n.get(i, k) + z.get(i, k) * h.get(i, k));
            }
        }
        return out;
    }

    /**
     * Adds the gradients of the six inputs into {@code dx[0]} … {@code dx[5]} (dL/dx, dL/dh, dL/dW_ih,
     * dL/dW_hh, dL/db_ih, dL/db_hh, each the shape of its input), skipping a null buffer. {@code dy} is
     * dL/dh' (N×H).
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        int rows = x.numRows;
        int hidden = h.numCols;
        DMatrixRMaj dA = new DMatrixRMaj(rows, 3 * hidden);   // dL/da: the input side's gate pre-activations
        DMatrixRMaj dB = new DMatrixRMaj(rows, 3 * hidden);   // dL/db: the hidden side's
        DMatrixRMaj dhDirect = new DMatrixRMaj(rows, hidden);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < hidden; k++) {
                double g = dy.get(i, k);
                double ri = r.get(i, k);
                double zi = z.get(i, k);
                double ni = n.get(i, k);
                double dnPre = g * (1 - zi) * (1 - ni * ni);           // through n = tanh(·)
                double dzPre = g * (h.get(i, k) - ni) * zi * (1 - zi);  // through z = σ(·)
                double drPre = dnPre * bn.get(i, k) * ri * (1 - ri);    // through r, inside n
                dA.set(i, k, drPre);
                dA.set(i, hidden + k, dzPre);
                dA.set(i, 2 * hidden + k, dnPre);
                dB.set(i, k, drPre);
                dB.set(i, hidden + k, dzPre);
                dB.set(i, 2 * hidden + k, dnPre * ri);                  // b_n is multiplied by r
                dhDirect.set(i, k, g * zi);                             // h' = … + z ⊙ h
            }
        }
        if (dx[0] != null) {
            CommonOps_DDRM.multAdd(dA, wIh, dx[0]);
        }
        if (dx[1] != null) {
            CommonOps_DDRM.addEquals(dx[1], dhDirect);
            CommonOps_DDRM.multAdd(dB, wHh, dx[1]);
        }
        if (dx[2] != null) {
            CommonOps_DDRM.multAddTransA(dA, x, dx[2]);
        }
        if (dx[3] != null) {
            CommonOps_DDRM.multAddTransA(dB, h, dx[3]);
        }
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < 3 * hidden; k++) {
                if (dx[4] != null) {
                    dx[4].data[k] += dA.get(i, k);
                }
                if (dx[5] != null) {
                    dx[5].data[k] += dB.get(i, k);
                }
            }
        }
        // END SOLUTION
    }
}
