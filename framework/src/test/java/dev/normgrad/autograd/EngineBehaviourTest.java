package dev.normgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * What the engine promises beyond each op's numbers (those are in OpsMatchPyTorchTest):
 * accumulation, graph release, seeds, deep graphs, NoGrad, detach, requiresGrad, anomaly mode and
 * custom Functions.
 */
class EngineBehaviourTest {

    private static Tensor leaf(double... values) {
        return Tensor.row(values).requiresGrad(true);
    }

    private static void assertGrad(Tensor t, double... expected) {
        assertNotNull(t.grad(), "no gradient reached " + t.shape());
        assertEquals(expected.length, t.data().getNumElements());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], t.gradData().data[i], 1e-12, "gradient entry " + i);
        }
    }

    /** The line after the caller's: where the next statement of a test is. */
    private static int nextLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }

    // ------------------------------------------------------------------ accumulation

    @Test
    void aTensorUsedTwiceReceivesTheSumOfBothGradients() {
        Tensor x = leaf(0.5, -1.0);
        Tensor y = x.mul(3).add(x.tanh()).sum();    // dy/dx = 3 + (1 − tanh²x)
        y.backward();
        double t0 = Math.tanh(0.5), t1 = Math.tanh(-1.0);
        assertGrad(x, 3 + 1 - t0 * t0, 3 + 1 - t1 * t1);
    }

    @Test
    void twoBackwardCallsOnTwoForwardsAddUp() {
        Tensor x = leaf(1.0, 2.0);
        x.mul(x).sum().backward();
        assertGrad(x, 2, 4);
        x.mul(x).sum().backward();
        assertGrad(x, 4, 8);
        x.zeroGrad();
        assertGrad(x, 0, 0);
    }

    @Test
    void twoBackwardCallsThroughOneRetainedGraphAddUpInLeavesAndIntermediates() {
        Tensor x = leaf(1.0, 2.0);
        Tensor h = x.mul(2);
        Tensor loss = h.mul(h).sum();                // 4x², dL/dh = 2h, dL/dx = 8x
        loss.backward(true);
        assertGrad(x, 8, 16);
        assertGrad(h, 4, 8);
        loss.backward();
        assertGrad(x, 16, 32);                       // exactly twice, not more
        assertGrad(h, 8, 16);
        assertGrad(loss, 2);
    }

    @Test
    void twoLossesSharingAnIntermediateEachCountOnce() {
        Tensor x = leaf(0.3, -0.7);
        Tensor h = x.tanh();
        Tensor l1 = h.sum();                         // dl1/dx = 1 − h²
        Tensor l2 = h.mul(h).sum();                  // dl2/dx = 2h(1 − h²)
        l1.backward(true);
        l2.backward();
        double h0 = Math.tanh(0.3), h1 = Math.tanh(-0.7);
        assertGrad(x, (1 + 2 * h0) * (1 - h0 * h0), (1 + 2 * h1) * (1 - h1 * h1));
        assertGrad(h, 1 + 2 * h0, 1 + 2 * h1);
    }

    // ------------------------------------------------------------------ graph release

    @Test
    void backwardReleasesTheGraphAndASecondBackwardIsAnIllegalStateExceptionNamingTheOp() {
        Tensor x = leaf(1.0, 2.0);
        Tensor loss = x.tanh().sum();
        loss.backward();
        assertNull(loss.creator(), "the graph is released after backward()");
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'sum'"), e.getMessage());
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(true)"), e.getMessage());
    }

    @Test
    void aNewLossOnAReleasedIntermediateNamesTheReleasedOp() {
        Tensor x = leaf(1.0, 2.0);
        Tensor h = x.tanh();
        h.sum().backward();
        Tensor again = h.mul(2).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, again::backward);
        assertTrue(e.getMessage().contains("'tanh' (1x2)"), e.getMessage());
    }

    @Test
    void backwardTrueRetainsTheGraph() {
        Tensor x = leaf(1.0, 2.0);
        Tensor loss = x.exp().sum();
        loss.backward(true);
        assertNotNull(loss.creator());
        loss.backward(true);
        loss.backward();
        assertGrad(x, 3 * Math.exp(1), 3 * Math.exp(2));
        assertNull(loss.creator());
    }

    // ------------------------------------------------------------------ seeds and roots

    @Test
    void backwardFromANonScalarWithoutSeedIsAShapeException() {
        Tensor y = Tensor.zeros(2, 3).requiresGrad(true).tanh();
        ShapeException e = assertThrows(ShapeException.class, y::backward);
        assertTrue(e.getMessage().startsWith("backward: this tensor is (2x3), not a scalar (1x1)"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(seed)"), e.getMessage());
    }

    @Test
    void backwardFromANonScalarWithASeedPropagatesTheSeed() {
        Tensor x = leaf(1.0, 2.0, 3.0);
        x.mul(2).backward(Tensor.row(1, 10, 100));
        assertGrad(x, 2, 20, 200);
    }

    @Test
    void aSeedOfTheWrongShapeIsAShapeExceptionNamingBothShapes() {
        Tensor y = Tensor.zeros(2, 3).requiresGrad(true).tanh();
        ShapeException e = assertThrows(ShapeException.class, () -> y.backward(Tensor.zeros(3, 2)));
        assertEquals("backward: the seed gradient is (3x2) but this tensor is (2x3); they must have the same shape",
                e.getMessage());
    }

    @Test
    void backwardOnATensorWithNoGraphIsAnIllegalStateException() {
        Tensor constant = Tensor.scalar(3.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, constant::backward);
        assertTrue(e.getMessage().contains("does not require grad and has no graph"), e.getMessage());

        Tensor x = Tensor.scalar(2.0).requiresGrad(true);
        Tensor y;
        try (NoGrad off = NoGrad.enter()) {
            y = x.mul(x);
        }
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void backwardOnALeafThatRequiresGradSeedsItsOwnGradient() {
        Tensor x = Tensor.scalar(2.0).requiresGrad(true);
        x.backward();
        assertGrad(x, 1);
    }

    // ------------------------------------------------------------------ deep graphs

    /** Runs {@code body} on a thread with a 256 KiB stack, rethrowing what it threw. */
    private static void onSmallStack(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (thrown.get() instanceof Error error) {
            throw error;
        }
        if (thrown.get() instanceof RuntimeException e) {
            throw e;
        }
        assertNull(thrown.get());
    }

    @Test
    void aChainOf10000AddsBacksWithoutStackOverflow() throws InterruptedException {
        onSmallStack(() -> {
            Tensor x = leaf(1.0, -1.0);
            Tensor y = x;
            for (int i = 0; i < 10_000; i++) {
                y = y.add(1e-4);
            }
            assertEquals(2.0, y.get(0, 0), 1e-9);
            y.sum().backward();
            assertGrad(x, 1, 1);
            assertNull(y.creator());
        });
    }

    @Test
    void aChainOf10000TanhsBacksWithoutStackOverflow() throws InterruptedException {
        onSmallStack(() -> {
            Tensor x = leaf(0.5);
            Tensor y = x;
            double value = 0.5, derivative = 1;
            for (int i = 0; i < 10_000; i++) {
                y = y.tanh();
                value = Math.tanh(value);
                derivative *= 1 - value * value;
            }
            y.sum().backward();
            assertEquals(value, y.item(), 1e-15);
            assertEquals(derivative, x.gradData().get(0), 1e-12 * Math.abs(derivative) + 1e-300);
        });
    }

    @Test
    void aGraphWhereEveryStepUsesTheTwoBeforeBacksWithoutStackOverflow() throws InterruptedException {
        onSmallStack(() -> {
            // Fibonacci-shaped DAG: many paths to x, each node visited once.
            Tensor x = leaf(1.0);
            Tensor a = x, b = x.mul(1.0);
            for (int i = 0; i < 5_000; i++) {
                Tensor c = a.add(b).mul(0.5);
                a = b;
                b = c;
            }
            b.sum().backward();
            assertGrad(x, 1);    // b is an average of copies of x: db/dx = 1
        });
    }

    // ------------------------------------------------------------------ NoGrad

    @Test
    void noGradOutputsDoNotRequireGradAndHaveNoCreator() {
        Tensor x = leaf(1.0, 2.0);
        try (NoGrad off = NoGrad.enter()) {
            assertTrue(NoGrad.isActive());
            Tensor y = x.mul(x).tanh();
            assertFalse(y.requiresGrad());
            assertNull(y.creator());
            assertTrue(y.isLeaf());
        }
        assertFalse(NoGrad.isActive());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void noGradScopesNest() {
        Tensor x = leaf(1.0);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(x.exp().requiresGrad());
            }
            assertTrue(NoGrad.isActive(), "closing the inner scope keeps the outer one");
            assertFalse(x.exp().requiresGrad());
            outer.close();
            outer.close();   // closing twice is harmless
            assertFalse(NoGrad.isActive());
        }
        assertFalse(NoGrad.isActive());
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void noGradIsThreadLocal() throws InterruptedException {
        Tensor x = leaf(1.0);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicBoolean otherThreadActive = new AtomicBoolean();
        AtomicBoolean otherThreadRecorded = new AtomicBoolean(true);
        Thread other = new Thread(() -> {
            try (NoGrad off = NoGrad.enter()) {
                entered.countDown();
                otherThreadActive.set(NoGrad.isActive());
                otherThreadRecorded.set(x.exp().requiresGrad());
                checked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        entered.await();
        assertFalse(NoGrad.isActive(), "another thread's scope does not switch this thread off");
        assertTrue(x.exp().requiresGrad());
        checked.countDown();
        other.join();
        assertTrue(otherThreadActive.get());
        assertFalse(otherThreadRecorded.get());

        try (NoGrad off = NoGrad.enter()) {
            AtomicBoolean seenActive = new AtomicBoolean(true);
            Thread t = new Thread(() -> seenActive.set(NoGrad.isActive()));
            t.start();
            t.join();
            assertFalse(seenActive.get(), "this thread's scope does not switch another thread off");
        }
    }

    // ------------------------------------------------------------------ detach and requiresGrad

    @Test
    void detachCutsTheGradient() {
        Tensor x = leaf(3.0, -2.0);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        assertSame(x.data(), d.data(), "detach shares the value");
        x.mul(d).sum().backward();                   // only the x side is differentiated: d(x·c)/dx = c
        assertGrad(x, 3.0, -2.0);
        assertNull(d.grad());

        Tensor h = x.tanh();
        Tensor cut = h.detach().mul(x).sum();        // no path through tanh
        x.zeroGrad();
        cut.backward();
        assertGrad(x, Math.tanh(3.0), Math.tanh(-2.0));
        assertNull(h.grad());
    }

    @Test
    void requiresGradPropagatesFromAnyInput() {
        Tensor a = leaf(1.0, 2.0);
        Tensor b = Tensor.row(3.0, 4.0);
        assertTrue(a.isLeaf());
        assertFalse(b.requiresGrad());
        Tensor ab = a.add(b);
        assertTrue(ab.requiresGrad());
        assertFalse(ab.isLeaf());
        assertNotNull(ab.creator());
        assertEquals("add", ab.creator().name());
        assertTrue(b.mul(a).requiresGrad());
        Tensor bb = b.mul(b);
        assertFalse(bb.requiresGrad());
        assertNull(bb.creator());

        b.add(a).sum().backward();
        assertNull(b.grad(), "an input that does not require grad gets no gradient");
        assertGrad(a, 1, 1);
    }

    @Test
    void requiresGradOnANonLeafThrows() {
        Tensor x = leaf(1.0);
        Tensor y = x.exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("result of exp"), e.getMessage());
        assertTrue(e.getMessage().contains("detach()"), e.getMessage());

        y.sum().backward();                          // released: still not a leaf
        assertFalse(y.isLeaf());
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
    }

    @Test
    void aFunctionObjectAppliedTwiceThrows() {
        Function square = new Square();
        Tensor x = leaf(2.0);
        square.apply(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> square.apply(x));
        assertTrue(e.getMessage().startsWith("square: this Function object was already applied"), e.getMessage());
    }

    // ------------------------------------------------------------------ anomaly mode

    @Test
    void anomalyModeThrowsOnNaNFromLogOfANegativeNamingOpShapesAndTheTestLine() {
        Tensor x = Tensor.of(new double[][] {{1, -1}, {2, 3}}).requiresGrad(true);
        AnomalyException e;
        try (Anomaly on = Anomaly.detect()) {
            int line = nextLine();
            e = assertThrows(AnomalyException.class, () -> x.log());
            String m = e.getMessage();
            assertTrue(m.startsWith("log produced NaN in its forward at [0, 1] of its (2x2) output; inputs (2x2)"), m);
            assertTrue(m.contains("EngineBehaviourTest"), m);
            assertTrue(m.contains("EngineBehaviourTest.java:" + line + ")"), m);
        }
        assertFalse(Anomaly.isEnabled());
    }

    @Test
    void anomalyModeThrowsOnNaNFromZeroDividedByZero() {
        Tensor a = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor b = Tensor.zeros(1, 3);
        try (Anomaly on = Anomaly.detect()) {
            int line = nextLine();
            AnomalyException e = assertThrows(AnomalyException.class, () -> a.div(b));
            String m = e.getMessage();
            assertTrue(m.startsWith("div produced NaN in its forward at [0, 0] of its (2x3) output; inputs (2x3), (1x3) "
                    + "(all inputs finite)"), m);
            assertTrue(m.contains("EngineBehaviourTest.java:" + line + ")"), m);
        }
    }

    @Test
    void anomalyModeCatchesInfinityProducedInBackwardBySqrtAtZero() {
        Tensor x = Tensor.row(0.0, 4.0).requiresGrad(true);
        try (Anomaly on = Anomaly.detect()) {
            int line = nextLine();
            Tensor loss = x.sqrt().sum();            // forward is finite: sqrt(0) = 0
            assertEquals(2.0, loss.item());
            AnomalyException e = assertThrows(AnomalyException.class, loss::backward);
            String m = e.getMessage();
            assertTrue(m.startsWith("sqrt produced +Infinity in its backward, in the gradient of input 0 (1x2) at [0, 0]"), m);
            assertTrue(m.contains("EngineBehaviourTest.java:" + line + ")"), m);
        }
    }

    @Test
    void withAnomalyModeOffTheSameCodeGivesNaNAndInfinitySilentlyAsPyTorchDoes() {
        assertFalse(Anomaly.isEnabled());
        Tensor x = Tensor.of(new double[][] {{1, -1}, {2, 3}}).requiresGrad(true);
        assertTrue(Double.isNaN(x.log().get(0, 1)));
        assertTrue(Double.isNaN(Tensor.zeros(1, 1).div(Tensor.zeros(1, 1)).item()));

        Tensor z = Tensor.row(0.0, 4.0).requiresGrad(true);
        z.sqrt().sum().backward();
        assertEquals(Double.POSITIVE_INFINITY, z.gradData().get(0));
        assertEquals(0.25, z.gradData().get(1));
    }

    // ------------------------------------------------------------------ custom Functions

    /** y = x², written as a student would: dL/dx = dL/dy · 2x. */
    static final class Square extends Function {
        private DMatrixRMaj x;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            x = in[0];
            DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
            for (int i = 0; i < y.getNumElements(); i++) {
                y.data[i] = x.data[i] * x.data[i];
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] == null) {
                return;
            }
            for (int i = 0; i < x.getNumElements(); i++) {
                dx[0].data[i] += dy.data[i] * 2 * x.data[i];
            }
        }
    }

    /** z = a·b + a elementwise, two inputs: da = dz·(b + 1), db = dz·a. */
    static final class MulAddSelf extends Function {
        private DMatrixRMaj a;
        private DMatrixRMaj b;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            a = in[0];
            b = in[1];
            if (a.numRows != b.numRows || a.numCols != b.numCols) {
                throw new ShapeException(name() + ": " + ShapeException.shape(a.numRows, a.numCols) + " and "
                        + ShapeException.shape(b.numRows, b.numCols) + " differ");
            }
            DMatrixRMaj z = new DMatrixRMaj(a.numRows, a.numCols);
            for (int i = 0; i < z.getNumElements(); i++) {
                z.data[i] = a.data[i] * b.data[i] + a.data[i];
            }
            return z;
        }

        @Override
        protected void backward(DMatrixRMaj dz, DMatrixRMaj[] d) {
            for (int i = 0; i < dz.getNumElements(); i++) {
                if (d[0] != null) {
                    d[0].data[i] += dz.data[i] * (b.data[i] + 1);
                }
                if (d[1] != null) {
                    d[1].data[i] += dz.data[i] * a.data[i];
                }
            }
        }
    }

    @Test
    void aCustomFunctionWorksThroughBackwardAmongBuiltInOps() {
        Tensor x = leaf(1.0, -2.0, 3.0);
        Tensor sq = new Square().apply(x.mul(2));
        assertEquals("square", sq.creator().name());
        Tensor y = sq.sum();                             // Σ 4x², d/dx = 8x
        assertEquals(4 + 16 + 36, y.item());
        y.backward();
        assertGrad(x, 8, -16, 24);
    }

    @Test
    void aCustomTwoInputFunctionGetsNullBuffersForInputsThatNeedNoGradient() {
        Tensor a = leaf(1.0, 2.0);
        Tensor b = Tensor.row(3.0, -1.0);               // no grad: its buffer is null in backward
        Tensor z = new MulAddSelf().apply(a, b);
        assertEquals("mulAddSelf", z.creator().name());
        z.backward(Tensor.row(1.0, 1.0));
        assertGrad(a, 4.0, 0.0);
        assertNull(b.grad());

        Tensor c = leaf(0.5, 0.5);
        new MulAddSelf().apply(c, c).sum().backward();  // one tensor as both inputs: (c + 1) + c
        assertGrad(c, 2.0, 2.0);

        ShapeException e = assertThrows(ShapeException.class, () -> new MulAddSelf().apply(a, Tensor.zeros(2, 2)));
        assertEquals("mulAddSelf: (1x2) and (2x2) differ", e.getMessage());
    }

    @Test
    void anOpListsItsInputsInArgumentOrderUntilTheGraphIsReleased() {
        Tensor a = Tensor.row(1, 2).requiresGrad(true);
        Tensor b = Tensor.row(3, 4).requiresGrad(true);
        Tensor y = a.mul(b).add(a);
        Function add = y.creator();
        Function mul = add.inputs().get(0).creator();
        assertEquals(java.util.List.of(a, b), mul.inputs());
        assertSame(a, add.inputs().get(1));
        assertThrows(UnsupportedOperationException.class, () -> add.inputs().clear());
        Tensor square = a.mul(a);
        assertEquals(java.util.List.of(a, a), square.creator().inputs(), "a tensor used twice appears twice");
        y.sum().backward();
        assertTrue(add.inputs().isEmpty(), "backward() released the graph");
    }
}
