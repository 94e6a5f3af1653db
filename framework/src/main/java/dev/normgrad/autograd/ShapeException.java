package dev.normgrad.autograd;

/**
 * Thrown when an op receives tensors whose shapes it cannot combine. The message always names the
 * op and every shape involved, for example {@code matmul: (4x3) @ (4x2): inner dimensions 3 and 4 differ}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }

    /** Formats a shape the way every NormGrad message does: {@code (rowsxcols)}. */
    public static String shape(int rows, int cols) {
        return "(" + rows + "x" + cols + ")";
    }
}
