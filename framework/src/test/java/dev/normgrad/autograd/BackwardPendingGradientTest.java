package dev.normgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The backward pass collects each op's incoming gradient in a field of the op (no map per pass);
 * a pass stopped by an exception must leave none of it behind for the next pass.
 */
class BackwardPendingGradientTest {

    /** Identity whose backward adds dy, then throws while {@code fail} is set. */
    private static final class Faulty extends Function {
        boolean fail = true;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            return in[0].copy();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int i = 0; i < dy.getNumElements(); i++) {
                dx[0].data[i] += dy.data[i];
            }
            if (fail) {
                throw new IllegalStateException("faulty backward");
            }
        }
    }

    @Test
    void aPassStoppedByAnExceptionLeavesNoHalfCollectedGradient() {
        Tensor x = Tensor.of(1, 2, 1, 2).requiresGrad(true);
        Tensor y = Tensor.of(1, 2, 3, 4).requiresGrad(true);
        Tensor product = x.mul(y);
        Faulty faulty = new Faulty();
        Tensor loss = faulty.apply(product).sum();
        assertThrows(IllegalStateException.class, () -> loss.backward(true));
        assertNull(x.gradData(), "the failed pass never reached x");
        faulty.fail = false;
        loss.backward();
        // Only the second pass reaches x: dL/dx = y once, not y plus what the failed pass left in product's buffer.
        assertEquals(3.0, x.gradData().data[0], 0.0);
        assertEquals(4.0, x.gradData().data[1], 0.0);
        assertEquals(2.0, product.gradData().data[0], 0.0, "product keeps both passes' gradients, accumulated");
    }
}
