package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Checkable;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.loss.Losses;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer and loss of this package gradient-checked (full mode: every entry of the input and
 * of every parameter) in training and in evaluation mode, with the layer's state — Dropout's random
 * generator — restored around each perturbed forward by the checker.
 */
class LayersGradCheckTest {
    private static final Random RNG = new Random(2024);

    /** 5×4 normal entries pushed at least 0.05 from 0, so that ReLU-like kinks are not crossed. */
    private static Tensor input() {
        Tensor t = Tensor.randn(5, 4, RNG);
        for (int i = 0; i < t.data().getNumElements(); i++) {
            t.data().data[i] += Math.copySign(0.05, t.data().data[i]);
        }
        return t;
    }

    static Stream<Arguments> layers() {
        List<Supplier<Module>> makers = List.of(
                () -> new Linear(4, 3, true, new Random(1)),
                () -> new Linear(4, 3, false, new Random(2)),
                ReLU::new,
                () -> new LeakyReLU(0.1),
                Tanh::new,
                Sigmoid::new,
                GELU::new,
                () -> new Dropout(0.4, 17),
                Identity::new,
                () -> new Sequential(new Linear(4, 6, true, new Random(3)), new Tanh(), new Dropout(0.3, 5),
                        new Linear(6, 6, true, new Random(4)), new GELU(), new Linear(6, 2, true, new Random(6))));
        return makers.stream().flatMap(m -> Stream.of(Arguments.of(m.get(), true), Arguments.of(m.get(), false)));
    }

    @ParameterizedTest(name = "{0} training={1}")
    @MethodSource("layers")
    void passesAFullGradientCheckOfTheInputAndEveryParameter(Module layer, boolean training) {
        layer.train(training);
        GradCheckReport report = GradCheck.check(layer, input()).assertPassed();
        int parameterEntries = layer.parameters().stream().mapToInt(p -> p.rows() * p.cols()).sum();
        assertEquals(5 * 4 + parameterEntries, report.checked(), "every entry of the input and of every parameter\n" + report);
        for (String name : layer.namedParameters().keySet()) {
            assertTrue(report.tensors().stream().anyMatch(t -> t.name().equals(name)), name + " was checked\n" + report);
        }
    }

    @Test
    void dropoutIsCheckedWithTheMaskItUsedInTheAnalyticPass() {
        Dropout dropout = new Dropout(0.5, 11);
        Tensor x = input();
        // the checker saves the generator's state, runs the analytic pass, then restores it before every
        // perturbed forward; the mask therefore is the one this forward draws from the same state
        Checkable.State before = dropout.saveState();
        double[] mask = dropout.apply(x).data().data;
        before.restore();
        GradCheckReport report = GradCheck.check(dropout, x).assertPassed();
        double[] after = dropout.apply(x).data().data;
        assertArrayEquals(mask, after, "the check leaves the generator where it found it");
        long dropped = java.util.Arrays.stream(mask).filter(v -> v == 0).count();
        assertTrue(dropped > 3 && dropped < 17, "the mask drops some entries and keeps others: " + dropped + " of 20");
        assertEquals(0, report.failed());
    }

    @Test
    void aCheckThatDoesNotRestoreTheGeneratorFailsOnDropout() {
        Dropout dropout = new Dropout(0.5, 11);
        // the same layer seen through a Checkable that forgets its state: every perturbed forward draws
        // a new mask, so the finite differences compare different functions
        Checkable forgetful = new Checkable() {
            @Override
            public Tensor apply(Tensor... inputs) {
                return dropout.apply(inputs[0]);
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return Map.of();
            }
        };
        Tensor x = input();
        GradCheckReport lying = GradCheck.check(forgetful, x);
        assertFalse(lying.passed(), "without restoring the generator the check must fail:\n" + lying);
        assertTrue(lying.failed() > 5, lying.toString());
        assertTrue(GradCheck.check(dropout, x).passed(), "the same layer passes when its state is restored");
    }

    @Test
    void crossEntropyPassesAGradientCheck() {
        int[] labels = {0, 2, 1, 2, 0};
        GradCheck.check(in -> Losses.crossEntropy(in[0], labels), Tensor.randn(5, 3, RNG).mul(2.0)).assertPassed();
    }

    @Test
    void mseAndBceWithLogitsPassAGradientCheckInBothInputs() {
        GradCheck.check(in -> Losses.mse(in[0], in[1]), Tensor.randn(4, 3, RNG), Tensor.randn(4, 3, RNG)).assertPassed();
        GradCheck.check(in -> Losses.bceWithLogits(in[0], in[1]), Tensor.randn(4, 3, RNG).mul(3.0),
                Tensor.uniform(4, 3, 0, 1, RNG)).assertPassed();
    }

    @Test
    void aModelAndItsLossPassTogether() {
        Sequential model = new Sequential(new Linear(4, 8, true, new Random(7)), new GELU(), new Dropout(0.2, 3),
                new Linear(8, 3, true, new Random(8)));
        int[] labels = {2, 0, 1, 1, 0};
        Checkable withLoss = new Checkable() {
            @Override
            public Tensor apply(Tensor... inputs) {
                return Losses.crossEntropy(model.apply(inputs[0]), labels);
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return model.namedParameters();
            }

            @Override
            public State saveState() {
                return model.saveState();
            }
        };
        GradCheck.check(withLoss, input()).assertPassed();
    }
}
