package dev.normgrad.autograd;

/**
 * Thrown in anomaly mode by the first op whose forward or backward produces NaN or infinity. The
 * message names the op, the shapes, the first bad entry and the line of code that created the op.
 */
public class AnomalyException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public AnomalyException(String message) {
        super(message);
    }
}
