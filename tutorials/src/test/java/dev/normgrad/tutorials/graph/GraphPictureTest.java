package dev.normgrad.tutorials.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.tutorials.charts.Charts;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GraphPictureTest {

    private static int pixels(BufferedImage img, Color c) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void leavesConstantsAndOpsGetTheirOwnBoxes() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true).name("x");
        Tensor c = Tensor.row(3, 4).name("c");
        BufferedImage withConstant = GraphPicture.draw(x.mul(c).sum());
        assertTrue(pixels(withConstant, GraphPicture.OP_FILL) > 1000, "two op boxes");
        assertTrue(pixels(withConstant, GraphPicture.LEAF_FILL) > 500, "a leaf box");
        assertTrue(pixels(withConstant, GraphPicture.CONSTANT_FILL) > 500, "a constant box");

        BufferedImage noConstant = GraphPicture.draw(x.mul(x).sum());
        assertTrue(pixels(noConstant, GraphPicture.CONSTANT_FILL) < pixels(withConstant, GraphPicture.CONSTANT_FILL) / 4,
                "no constant box (only antialiased edge pixels of that grey)");
    }

    @Test
    void columnsFollowDepthAndLeavesSitBesideTheirFirstUser() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true);
        Tensor late = Tensor.row(5, 6);
        ComputationGraph g = ComputationGraph.of(x.exp().tanh().add(late).sum());
        int[] column = GraphPicture.columns(g.nodes());
        // nodes: x, exp, tanh, late, add, sum
        assertArrayEquals(new int[] {0, 1, 2, 2, 3, 4}, column);
        BufferedImage img = GraphPicture.draw(g, false);
        assertTrue(img.getWidth() > 4 * img.getHeight() / 2, "five columns side by side: a wide picture");
    }

    @Test
    void theSameGraphGivesTheSamePixelsAndGradientsAddALine() {
        Tensor a = Tensor.scalar(2).requiresGrad(true).name("a");
        Tensor loss = a.mul(a).add(a);
        ComputationGraph g = ComputationGraph.of(loss);
        byte[] first = Charts.png(GraphPicture.draw(g, false));
        byte[] second = Charts.png(GraphPicture.draw(g, false));
        assertArrayEquals(first, second);

        loss.backward();
        BufferedImage withGrad = GraphPicture.draw(g, true);
        assertTrue(withGrad.getHeight() > GraphPicture.draw(g, false).getHeight());
        assertEquals("grad 5.00", GraphPicture.lines(g.leaves().get(0), true)[2], "d(a² + a)/da = 2a + 1 at a = 2");
    }

    private static int darkPixelsInRow(BufferedImage img, int y) {
        int count = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            Color c = new Color(img.getRGB(x, y));
            if (c.getRed() < 150 && c.getGreen() < 150 && c.getBlue() < 150) {
                count++;
            }
        }
        return count;
    }

    @Test
    void anArrowSkippingColumnsRunsInALaneAboveTheBoxes() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true);
        BufferedImage skipping = GraphPicture.draw(x.exp().tanh().add(x).sum());   // x -> add skips two columns
        BufferedImage chain = GraphPicture.draw(x.exp().tanh().sum());
        int laneY = 20;                                                             // the margin: the first lane
        assertTrue(darkPixelsInRow(skipping, laneY) > skipping.getWidth() / 3, "a long horizontal line in the lane");
        for (int y = 0; y < laneY - 3; y++) {   // the border's antialiased stroke reaches a row or two up
            assertEquals(0, darkPixelsInRow(chain, y), "a plain chain has no lane: its boxes start at the margin");
        }
        assertTrue(darkPixelsInRow(chain, laneY) > 0, "the top border of the chain's boxes");
    }

    @Test
    void gradientsPrintAsValuesOrANorm() {
        assertEquals("no grad", GraphPicture.gradient(null));
        assertEquals("grad 0.500", GraphPicture.gradient(new DMatrixRMaj(1, 1, true, 0.5)));
        assertEquals("grad [1.00, -2.00]", GraphPicture.gradient(new DMatrixRMaj(1, 2, true, 1, -2)));
        assertEquals("\u2016grad\u2016 2.00", GraphPicture.gradient(new DMatrixRMaj(2, 2, true, 1, 1, 1, 1)));
    }

    @Test
    void aHugeGraphIsRefusedWithAnExplanation() {
        Tensor t = Tensor.scalar(1).requiresGrad(true);
        for (int i = 0; i < GraphPicture.MAX_NODES; i++) {
            t = t.mul(1.01);
        }
        Tensor big = t;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphPicture.draw(big));
        assertTrue(e.getMessage().contains("print the graph"), e.getMessage());
    }
}
