package dev.normgrad.tutorials.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ComputationGraphTest {

    /** y = sum of the inputs; its backward writes its label into a shared log. */
    private static final class Logged extends Function {
        private final String label;
        private final List<String> log;

        Logged(String label, List<String> log) {
            this.label = label;
            this.log = log;
        }

        @Override
        public String name() {
            return label;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj y = new DMatrixRMaj(in[0].numRows, in[0].numCols);
            for (DMatrixRMaj m : in) {
                for (int i = 0; i < y.getNumElements(); i++) {
                    y.data[i] += m.data[i];
                }
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            log.add(label);
            for (DMatrixRMaj d : dx) {
                if (d != null) {
                    for (int i = 0; i < d.getNumElements(); i++) {
                        d.data[i] += dy.data[i];
                    }
                }
            }
        }
    }

    @Test
    void backwardOrderIsTheOrderTheEngineRunsTheBackwards() {
        List<String> log = new ArrayList<>();
        Tensor a = Tensor.row(1, 2).requiresGrad(true);
        Tensor b = Tensor.row(3, 4).requiresGrad(true);
        Tensor p = new Logged("p", log).apply(a);
        Tensor q = new Logged("q", log).apply(b, p);
        Tensor r = new Logged("r", log).apply(p, a);
        Tensor s = new Logged("s", log).apply(r, q);
        Tensor t = new Logged("t", log).apply(s, p, b);
        Tensor loss = t.sum();

        ComputationGraph g = ComputationGraph.of(loss);
        List<String> predicted = new ArrayList<>();
        for (ComputationGraph.Node n : g.backwardOrder()) {
            predicted.add(n.op().name());
        }
        loss.backward();

        assertEquals("sum", predicted.get(0));
        assertEquals(log, predicted.subList(1, predicted.size()), "the engine's order, op by op");
        assertEquals(List.of("t", "s", "q", "r", "p"), log);
    }

    @Test
    void nodesAreTopologicalAndDepthIsTheLongestPathFromALeaf() {
        Tensor x = Tensor.row(1, 2, 3).requiresGrad(true).name("x");
        Tensor w = Tensor.row(0.5, -1, 2).name("w");
        Tensor y = x.mul(w).tanh().add(x).sum();
        ComputationGraph g = ComputationGraph.of(y);

        assertEquals(6, g.nodes().size(), g.toString());
        for (ComputationGraph.Node n : g.nodes()) {
            for (ComputationGraph.Node in : n.inputs()) {
                assertTrue(in.index() < n.index(), "input " + in + " listed before " + n);
            }
        }
        assertSame(y, g.root().tensor());
        assertEquals(g.nodes().size() - 1, g.root().index());
        assertEquals(4, g.depth(), "mul, tanh, add, sum");
        assertEquals(List.of("x", "w"), g.leaves().stream().map(ComputationGraph.Node::label).toList());
        assertEquals(List.of("sum", "add", "tanh", "mul"),
                g.backwardOrder().stream().map(n -> n.op().name()).toList());
    }

    @Test
    void aTensorUsedTwiceIsOneNodeWithTwoUses() {
        Tensor a = Tensor.scalar(3).requiresGrad(true).name("a");
        Tensor sq = a.mul(a);
        ComputationGraph g = ComputationGraph.of(sq);

        assertEquals(2, g.nodes().size());
        ComputationGraph.Node leaf = g.leaves().get(0);
        assertEquals(List.of(leaf, leaf), g.root().inputs());
        assertEquals(2, leaf.consumers().size());
        assertEquals(List.of(a, a), ComputationGraph.inputsOf(sq.creator()));
    }

    @Test
    void afterBackwardTheGraphIsReleasedButASnapshotKeepsItsTensors() {
        Tensor a = Tensor.scalar(3).requiresGrad(true);
        Tensor loss = a.mul(2.0).exp();
        ComputationGraph before = ComputationGraph.of(loss);
        loss.backward();

        assertEquals(1, ComputationGraph.of(loss).nodes().size(), "released: the root looks like a leaf");
        assertEquals(3, before.nodes().size());
        assertEquals(2 * Math.exp(6), before.leaves().get(0).tensor().grad().item(), 1e-9);
    }

    @Test
    void printsOneLinePerTensor() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true).name("x");
        Tensor c = Tensor.row(3, 4).name("c");
        String text = ComputationGraph.of(x.mul(c).name("y").sum()).toString();
        assertEquals("""
                #0 x (1x2) leaf, requires grad
                #1 c (1x2) leaf, constant
                #2 y = mul (1x2) <- #0 x, #1 c
                #3 sum (1x1) <- #2 y""", text);
    }
}
