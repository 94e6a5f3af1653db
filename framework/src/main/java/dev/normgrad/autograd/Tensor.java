package dev.normgrad.autograd;

import dev.normgrad.ops.Abs;
import dev.normgrad.ops.Add;
import dev.normgrad.ops.AddScalar;
import dev.normgrad.ops.ConcatColumns;
import dev.normgrad.ops.Div;
import dev.normgrad.ops.DivScalar;
import dev.normgrad.ops.Exp;
import dev.normgrad.ops.Gelu;
import dev.normgrad.ops.LeakyRelu;
import dev.normgrad.ops.Log;
import dev.normgrad.ops.LogSoftmax;
import dev.normgrad.ops.MatMul;
import dev.normgrad.ops.Mean;
import dev.normgrad.ops.Mul;
import dev.normgrad.ops.MulScalar;
import dev.normgrad.ops.Neg;
import dev.normgrad.ops.Pow;
import dev.normgrad.ops.Relu;
import dev.normgrad.ops.Reshape;
import dev.normgrad.ops.Sigmoid;
import dev.normgrad.ops.SliceColumns;
import dev.normgrad.ops.Softmax;
import dev.normgrad.ops.Sqrt;
import dev.normgrad.ops.Sub;
import dev.normgrad.ops.Sum;
import dev.normgrad.ops.Tanh;
import dev.normgrad.ops.Transpose;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A 2-D float64 value that remembers how it was computed, so that {@link #backward()} can
 * compute the gradient of a scalar loss with respect to every tensor that {@link #requiresGrad()}.
 *
 * <p>Rows are the batch, columns the features: a batch of N samples with F features is N×F, a row
 * vector 1×F, a scalar 1×1. Layers that know channels read each row as C blocks of L positions
 * (an N×C×L tensor flattened row-major). The value is an EJML {@link DMatrixRMaj}; float64 on
 * purpose, because a gradient check in float32 proves nothing.
 *
 * <p>Gradients accumulate: {@code grad} is added to by every backward pass until you
 * {@link #zeroGrad()}. Unlike PyTorch, every tensor that requires grad keeps its gradient, the
 * intermediate ones too, so you can look at dL/dh anywhere in the graph.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
 * Tensor loss = x.mul(x).sum();      // Σ x²
 * loss.backward();
 * System.out.println(x.grad());      // 2x: [[2, 4], [6, 8]]
 * }</pre>
 */
public class Tensor {
    private final DMatrixRMaj data;
    private DMatrixRMaj grad;
    private boolean requiresGrad;
    private Function creator;
    private String releasedBy;
    private String name;

    Tensor(DMatrixRMaj data, Function creator) {
        this.data = data;
        this.creator = creator;
        this.requiresGrad = creator != null;
    }

    /**
     * A leaf holding {@code data} (not copied), for subclasses such as a layer's {@code Parameter}.
     */
    protected Tensor(DMatrixRMaj data, boolean requiresGrad) {
        if (data == null) {
            throw new IllegalArgumentException("Tensor: the matrix is null");
        }
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    // ---------------------------------------------------------------- creation

    /** Wraps a matrix (not copied: the tensor and the matrix share their values). */
    public static Tensor wrap(DMatrixRMaj data) {
        if (data == null) {
            throw new IllegalArgumentException("Tensor.wrap: the matrix is null");
        }
        checkShape("Tensor.wrap", data.numRows, data.numCols);
        return new Tensor(data, null);
    }

    /** A tensor with the given rows; every row must have the same length. */
    public static Tensor of(double[][] rows) {
        if (rows == null || rows.length == 0 || rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException("Tensor.of: needs at least one row with at least one value");
        }
        for (int i = 1; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != rows[0].length) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has "
                        + (rows[i] == null ? "no" : String.valueOf(rows[i].length)) + " values, row 0 has " + rows[0].length);
            }
        }
        return new Tensor(new DMatrixRMaj(rows), null);
    }

    /** A rows×cols tensor filled row by row from {@code values}. */
    public static Tensor of(int rows, int cols, double... values) {
        checkShape("Tensor.of", rows, cols);
        if (values.length != rows * cols) {
            throw new IllegalArgumentException("Tensor.of: " + ShapeException.shape(rows, cols) + " needs "
                    + rows * cols + " values, got " + values.length);
        }
        return new Tensor(new DMatrixRMaj(rows, cols, true, values.clone()), null);
    }

    /** A 1×1 tensor. */
    public static Tensor scalar(double value) {
        return of(1, 1, value);
    }

    /** A 1×n row vector. */
    public static Tensor row(double... values) {
        return of(1, values.length, values);
    }

    /** An n×1 column vector. */
    public static Tensor column(double... values) {
        return of(values.length, 1, values);
    }

    public static Tensor zeros(int rows, int cols) {
        checkShape("Tensor.zeros", rows, cols);
        return new Tensor(new DMatrixRMaj(rows, cols), null);
    }

    public static Tensor ones(int rows, int cols) {
        return full(rows, cols, 1.0);
    }

    public static Tensor full(int rows, int cols, double value) {
        checkShape("Tensor.full", rows, cols);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        m.fill(value);
        return new Tensor(m, null);
    }

    /** Standard normal entries drawn from {@code random} (seed it for reproducible runs). */
    public static Tensor randn(int rows, int cols, Random random) {
        checkShape("Tensor.randn", rows, cols);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = random.nextGaussian();
        }
        return new Tensor(m, null);
    }

    /** Entries uniform in [low, high) drawn from {@code random}. */
    public static Tensor uniform(int rows, int cols, double low, double high, Random random) {
        checkShape("Tensor.uniform", rows, cols);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = low + (high - low) * random.nextDouble();
        }
        return new Tensor(m, null);
    }

    private static void checkShape(String op, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(op + ": a tensor needs at least one row and one column, got "
                    + ShapeException.shape(rows, cols));
        }
    }

    // ---------------------------------------------------------------- value and gradient

    /** The value. Modifying it in place bypasses autograd: do so only on leaves, inside {@link NoGrad}. */
    public DMatrixRMaj data() {
        return data;
    }

    public int rows() {
        return data.numRows;
    }

    public int cols() {
        return data.numCols;
    }

    /** The shape as NormGrad's messages print it: {@code (rowsxcols)}. */
    public String shape() {
        return ShapeException.shape(data.numRows, data.numCols);
    }

    public double get(int row, int col) {
        return data.get(row, col);
    }

    /** The value of a 1×1 tensor. */
    public double item() {
        if (data.numRows != 1 || data.numCols != 1) {
            throw new ShapeException("item: only a 1x1 tensor has a single value, this one is " + shape());
        }
        return data.data[0];
    }

    /** A copy of the values as rows. */
    public double[][] toArray() {
        double[][] out = new double[data.numRows][data.numCols];
        for (int i = 0; i < data.numRows; i++) {
            System.arraycopy(data.data, i * data.numCols, out[i], 0, data.numCols);
        }
        return out;
    }

    /** dL/d(this) accumulated by backward passes, as a tensor sharing the buffer; null before any. */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad, null);
    }

    /** The raw gradient buffer (null before any backward reached this tensor). */
    public DMatrixRMaj gradData() {
        return grad;
    }

    /** The gradient buffer, allocated as zeros on first use. */
    DMatrixRMaj gradBuffer() {
        if (grad == null) {
            grad = new DMatrixRMaj(data.numRows, data.numCols);
        }
        return grad;
    }

    /** Sets the accumulated gradient to zero (keeping its buffer). */
    public void zeroGrad() {
        if (grad != null) {
            grad.zero();
        }
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor (one you created, not the result of an op) as something to differentiate
     * with respect to. Returns this tensor.
     */
    public Tensor requiresGrad(boolean requiresGrad) {
        if (creator != null || releasedBy != null) {
            throw new IllegalStateException("requiresGrad: " + shape() + " is the result of "
                    + (creator != null ? creator.name() : releasedBy)
                    + ", not a leaf; only tensors you create can change requiresGrad (use detach() to cut the graph)");
        }
        this.requiresGrad = requiresGrad;
        return this;
    }

    /** True for tensors you created (no op made them). */
    public boolean isLeaf() {
        return creator == null && releasedBy == null;
    }

    /** The op that produced this tensor, or null for a leaf or after the graph was released. */
    public Function creator() {
        return creator;
    }

    /** A new leaf sharing this tensor's value, cut from the graph (no gradient flows through it). */
    public Tensor detach() {
        return new Tensor(data, null);
    }

    /** A new leaf with a copy of the value. */
    public Tensor copy() {
        return new Tensor(data.copy(), null);
    }

    /** An optional label, shown by {@link #toString()} and gradient-check reports. Returns this. */
    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- backward

    /** Back-propagates from this 1×1 tensor (a loss); releases the graph afterwards. */
    public void backward() {
        backward(false);
    }

    /** Back-propagates from this 1×1 tensor; {@code retainGraph} keeps the graph for another backward. */
    public void backward(boolean retainGraph) {
        if (data.numRows != 1 || data.numCols != 1) {
            throw new ShapeException("backward: this tensor is " + shape() + ", not a scalar (1x1); "
                    + "reduce it to a loss first, or pass dL/d(this tensor) as the seed: backward(seed)");
        }
        DMatrixRMaj one = new DMatrixRMaj(1, 1);
        one.data[0] = 1.0;
        Backward.run(this, one, retainGraph);
    }

    /** Back-propagates a seed gradient dL/d(this), of this tensor's shape; releases the graph. */
    public void backward(Tensor seed) {
        backward(seed, false);
    }

    public void backward(Tensor seed, boolean retainGraph) {
        if (seed == null) {
            throw new IllegalArgumentException("backward: the seed gradient is null");
        }
        if (seed.rows() != rows() || seed.cols() != cols()) {
            throw new ShapeException("backward: the seed gradient is " + seed.shape() + " but this tensor is "
                    + shape() + "; they must have the same shape");
        }
        Backward.run(this, seed.data, retainGraph);
    }

    Function creatorForBackward() {
        if (releasedBy != null) {
            throw new IllegalStateException("backward: the graph through '" + releasedBy + "' " + shape()
                    + " was already released by an earlier backward(); call backward(true) the first time "
                    + "(retainGraph) to go through it twice, or run the forward again");
        }
        return creator;
    }

    void markReleased() {
        if (creator != null) {
            releasedBy = creator.name();
            creator = null;
        }
    }

    // ---------------------------------------------------------------- ops

    /** this · other (matrix product). */
    public Tensor matmul(Tensor other) {
        return new MatMul(false, false).apply(this, other);
    }

    /** this · otherᵀ, the Linear layer's product x·Wᵀ without materialising the transpose. */
    public Tensor matmulTransposeB(Tensor other) {
        return new MatMul(false, true).apply(this, other);
    }

    /** thisᵀ · other. */
    public Tensor matmulTransposeA(Tensor other) {
        return new MatMul(true, false).apply(this, other);
    }

    /** Elementwise sum; either side may be a row (1×n), a column (m×1) or a scalar (1×1) that broadcasts. */
    public Tensor add(Tensor other) {
        return new Add().apply(this, other);
    }

    public Tensor sub(Tensor other) {
        return new Sub().apply(this, other);
    }

    /** Elementwise product, with broadcasting. */
    public Tensor mul(Tensor other) {
        return new Mul().apply(this, other);
    }

    /** Elementwise quotient, with broadcasting. */
    public Tensor div(Tensor other) {
        return new Div().apply(this, other);
    }

    public Tensor add(double c) {
        return new AddScalar(c).apply(this);
    }

    public Tensor sub(double c) {
        return new AddScalar(-c).apply(this);
    }

    public Tensor mul(double c) {
        return new MulScalar(c).apply(this);
    }

    public Tensor div(double c) {
        return new DivScalar(c).apply(this);
    }

    /** Elementwise power with a constant exponent. */
    public Tensor pow(double exponent) {
        return new Pow(exponent).apply(this);
    }

    public Tensor neg() {
        return new Neg().apply(this);
    }

    public Tensor exp() {
        return new Exp().apply(this);
    }

    public Tensor log() {
        return new Log().apply(this);
    }

    public Tensor sqrt() {
        return new Sqrt().apply(this);
    }

    public Tensor abs() {
        return new Abs().apply(this);
    }

    public Tensor tanh() {
        return new Tanh().apply(this);
    }

    public Tensor sigmoid() {
        return new Sigmoid().apply(this);
    }

    public Tensor relu() {
        return new Relu().apply(this);
    }

    public Tensor leakyRelu(double negativeSlope) {
        return new LeakyRelu(negativeSlope).apply(this);
    }

    /** Gaussian error linear unit, x·Φ(x) (the exact erf form, PyTorch's default). */
    public Tensor gelu() {
        return new Gelu().apply(this);
    }

    /** Softmax of each row (over the columns), max-subtracted. */
    public Tensor softmax() {
        return new Softmax().apply(this);
    }

    /** log(softmax) of each row, computed as x − max − log Σ exp(x − max). */
    public Tensor logSoftmax() {
        return new LogSoftmax().apply(this);
    }

    /** Sum of all entries (1×1). */
    public Tensor sum() {
        return new Sum(-1).apply(this);
    }

    /** Sum over dimension {@code dim}, kept (PyTorch's keepdim): 0 → 1×cols, 1 → rows×1. */
    public Tensor sum(int dim) {
        return new Sum(dim).apply(this);
    }

    /** Mean of all entries (1×1). */
    public Tensor mean() {
        return new Mean(-1).apply(this);
    }

    /** Mean over dimension {@code dim}, kept: 0 → 1×cols, 1 → rows×1. */
    public Tensor mean(int dim) {
        return new Mean(dim).apply(this);
    }

    public Tensor transpose() {
        return new Transpose().apply(this);
    }

    /** The same entries read row-major as a rows×cols tensor (rows·cols must not change). */
    public Tensor reshape(int rows, int cols) {
        return new Reshape(rows, cols).apply(this);
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive). */
    public Tensor sliceColumns(int from, int to) {
        return new SliceColumns(from, to).apply(this);
    }

    /** The tensors side by side (same number of rows). */
    public static Tensor concatColumns(Tensor... parts) {
        return new ConcatColumns().apply(parts);
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Tensor");
        if (name != null) {
            s.append(" '").append(name).append('\'');
        }
        s.append(' ').append(shape());
        if (creator != null) {
            s.append(" from ").append(creator.name());
        } else if (requiresGrad) {
            s.append(" requiresGrad");
        }
        s.append('\n').append(format(data));
        return s.toString();
    }

    /** Rows of a matrix, aligned, at most 8 rows and 8 columns shown. */
    static String format(DMatrixRMaj m) {
        StringBuilder s = new StringBuilder();
        int rows = Math.min(m.numRows, 8);
        int cols = Math.min(m.numCols, 8);
        for (int i = 0; i < rows; i++) {
            s.append(i == 0 ? "[[" : " [");
            for (int j = 0; j < cols; j++) {
                s.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%9.4f", m.get(i, j)));
            }
            if (cols < m.numCols) {
                s.append(", ...");
            }
            s.append(i == m.numRows - 1 ? "]]" : "]");
            if (i < rows - 1 || rows < m.numRows) {
                s.append('\n');
            }
        }
        if (rows < m.numRows) {
            s.append(" ...]");
        }
        return s.toString();
    }
}
