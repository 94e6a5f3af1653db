package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * A learnable tensor owned by a {@link Module}: a leaf that requires grad, found by the
 * optimizer through {@link Module#parameters()} and saved with the model.
 */
public class Parameter extends Tensor {
    /** A rows×cols parameter of zeros (a layer's {@code resetParameters()} fills it). */
    public Parameter(int rows, int cols) {
        this(new DMatrixRMaj(rows, cols));
    }

    /** A parameter holding {@code value} (not copied). */
    public Parameter(DMatrixRMaj value) {
        super(value, true);
    }
}
