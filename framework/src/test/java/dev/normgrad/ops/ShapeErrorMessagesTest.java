package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Every op family's shape error, as the user reads it: the op's name, every shape involved, and
 * what would fit. Asserted verbatim where the message is the contract.
 */
class ShapeErrorMessagesTest {

    private static void assertMentions(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "message lacks '" + f + "': " + message);
        }
    }

    @Test
    void matmulInnerDimensionsDifferVerbatim() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(4, 3).matmul(Tensor.zeros(4, 2)));
        assertEquals("matmul: (4x3) @ (4x2): inner dimensions 3 and 4 differ", e.getMessage());
    }

    @Test
    void transposedMatmulsMarkTheTransposedOperand() {
        ShapeException b = assertThrows(ShapeException.class,
                () -> Tensor.zeros(4, 3).matmulTransposeB(Tensor.zeros(2, 4)));
        assertEquals("matmulTransposeB: (4x3) @ (2x4)ᵀ: inner dimensions 3 and 4 differ", b.getMessage());
        ShapeException a = assertThrows(ShapeException.class,
                () -> Tensor.zeros(4, 3).matmulTransposeA(Tensor.zeros(3, 2)));
        assertEquals("matmulTransposeA: (4x3)ᵀ @ (3x2): inner dimensions 4 and 3 differ", a.getMessage());
        ShapeException ab = assertThrows(ShapeException.class,
                () -> new MatMul(true, true).apply(Tensor.zeros(4, 3), Tensor.zeros(2, 3)));
        assertEquals("matmulTransposeAB: (4x3)ᵀ @ (2x3)ᵀ: inner dimensions 4 and 3 differ", ab.getMessage());
    }

    @Test
    void broadcastingMismatchVerbatimForAdd() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(3, 2)));
        assertEquals("add: (2x3) + (3x2): shapes do not broadcast; each dimension must match or be 1 "
                + "(a 1xn row, an mx1 column or a 1x1 scalar)", e.getMessage());
    }

    @Test
    void broadcastingMismatchNamesOpSymbolAndBothShapesForSubMulDiv() {
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(4, 3).sub(Tensor.zeros(1, 2))).getMessage(),
                "sub: (4x3) - (1x2)", "do not broadcast");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(4, 3).mul(Tensor.zeros(2, 1))).getMessage(),
                "mul: (4x3) * (2x1)", "do not broadcast");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(1, 3).div(Tensor.zeros(4, 2))).getMessage(),
                "div: (1x3) / (4x2)", "do not broadcast");
    }

    @Test
    void sliceOutOfRangeVerbatim() {
        Tensor x = Tensor.zeros(3, 4);
        assertEquals("sliceColumns: columns [2, 5) of (3x4): need 0 <= from < to <= 4",
                assertThrows(ShapeException.class, () -> x.sliceColumns(2, 5)).getMessage());
        assertEquals("sliceColumns: columns [-1, 2) of (3x4): need 0 <= from < to <= 4",
                assertThrows(ShapeException.class, () -> x.sliceColumns(-1, 2)).getMessage());
        assertEquals("sliceColumns: columns [2, 2) of (3x4): need 0 <= from < to <= 4",
                assertThrows(ShapeException.class, () -> x.sliceColumns(2, 2)).getMessage());
    }

    @Test
    void concatRowsMismatchVerbatim() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.concatColumns(Tensor.zeros(2, 2), Tensor.zeros(3, 2)));
        assertEquals("concatColumns: tensor 1 is (3x2) but tensor 0 is (2x2); all need the same number of rows",
                e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Tensor.concatColumns());
        assertEquals("concatColumns: needs at least one tensor", none.getMessage());
    }

    @Test
    void reshapeElementCountVerbatim() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertEquals("reshape: cannot view (2x3) (6 entries) as (4x2) (8 entries)", e.getMessage());
    }

    @Test
    void itemOnANonScalarVerbatim() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).item());
        assertEquals("item: only a 1x1 tensor has a single value, this one is (2x3)", e.getMessage());
    }

    @Test
    void raggedRowsInTensorOfNameTheRowAndBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][] {{1, 2}, {3}}));
        assertMentions(e.getMessage(), "Tensor.of", "row 1", "row 0 has 2");
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Tensor.of(2, 2, 1, 2, 3));
        assertEquals("Tensor.of: (2x2) needs 4 values, got 3", count.getMessage());
    }

    @Test
    void zeroSizeShapesAreRejectedEverywhere() {
        String need = "a tensor needs at least one row and one column";
        assertEquals("Tensor.zeros: " + need + ", got (0x3)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3)).getMessage());
        assertEquals("Tensor.full: " + need + ", got (2x0)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 0)).getMessage());
        assertEquals("Tensor.of: " + need + ", got (0x0)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(0, 0)).getMessage());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[0][])).getMessage(),
                "Tensor.of", "at least one row");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{}})).getMessage(),
                "Tensor.of", "at least one value");
        assertEquals("Tensor.wrap: " + need + ", got (0x3)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new DMatrixRMaj(0, 3))).getMessage());
        assertEquals("reshape: cannot view (2x3) (6 entries) as (0x6) (0 entries)",
                assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).reshape(0, 6)).getMessage());
        assertEquals("reshape: cannot view (2x3) (6 entries) as (-2x-3) (6 entries)",
                assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).reshape(-2, -3)).getMessage());
    }

    @Test
    void reductionOverAnUnknownDimensionNamesTheOp() {
        assertEquals("sum: dim must be 0 (over rows), 1 (over columns) or -1 (all), got 2",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).sum(2)).getMessage());
        assertEquals("mean: dim must be 0 (over rows), 1 (over columns) or -1 (all), got -2",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).mean(-2)).getMessage());
    }
}
