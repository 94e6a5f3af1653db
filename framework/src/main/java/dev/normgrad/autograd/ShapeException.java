package dev.normgrad.autograd;

/**
 * Thrown when an op receives tensors whose shapes it cannot combine, or when an op's backward leaves
 * a gradient in another shape than its input. The message always names the op and every shape
 * involved, for example {@code matmul: (4x3) @ (4x2): inner dimensions 3 and 4 differ}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }

    /** The same, keeping the exception it explains (EJML's dimension error inside an op, say). */
    public ShapeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Formats a shape the way every NormGrad message does: {@code (rowsxcols)}. */
    public static String shape(int rows, int cols) {
        return "(" + rows + "x" + cols + ")";
    }
}
