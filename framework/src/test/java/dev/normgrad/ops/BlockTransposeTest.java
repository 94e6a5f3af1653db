package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockTransposeTest {
    @Test
    void gathersEachChannelOfEverySampleIntoOneRow() {
        // N = 2 samples, C = 3 channels, L = 2 positions: entry "n c l" written as 100n + 10c + l
        Tensor x = Tensor.of(new double[][] {{0, 1, 10, 11, 20, 21}, {100, 101, 110, 111, 120, 121}});
        Tensor y = new BlockTranspose(2).apply(x);
        assertEquals("(3x4)", y.shape());
        assertArrayEquals(new double[] {0, 1, 100, 101}, y.toArray()[0], 0.0);
        assertArrayEquals(new double[] {10, 11, 110, 111}, y.toArray()[1], 0.0);
        assertArrayEquals(new double[] {20, 21, 120, 121}, y.toArray()[2], 0.0);
    }

    @Test
    void appliedTwiceItIsTheIdentity() {
        Tensor x = Tensor.randn(4, 15, new Random(1));
        Tensor back = new BlockTranspose(5).apply(new BlockTranspose(5).apply(x));
        assertArrayEquals(x.data().data, back.data().data, 0.0);
    }

    @Test
    void withBlocksOfOneItIsTheTranspose() {
        Tensor x = Tensor.randn(3, 4, new Random(2));
        assertArrayEquals(x.transpose().data().data, new BlockTranspose(1).apply(x).data().data, 0.0);
    }

    @Test
    void passesAGradientCheck() {
        Random r = new Random(3);
        GradCheck.check(x -> new BlockTranspose(3).apply(x[0]).mul(x[1]), Tensor.randn(2, 12, r), Tensor.randn(4, 6, r))
                .assertPassed();
    }

    @Test
    void aWidthThatIsNotAMultipleOfTheBlockIsAShapeError() {
        ShapeException e = assertThrows(ShapeException.class, () -> new BlockTranspose(4).apply(Tensor.zeros(2, 6)));
        assertEquals("blockTranspose: (2x6) cannot be read as blocks of 4 entries: the number of columns must be a multiple of 4",
                e.getMessage());
    }
}
