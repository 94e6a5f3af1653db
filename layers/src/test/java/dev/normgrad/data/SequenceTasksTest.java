package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceTasksTest {

    @Test
    void addingProblemMarksOneStepInEachHalfAndTargetsTheirSum() {
        SequenceBatch b = new AddingProblem(50, new Random(1)).sample(200);
        assertEquals(50, b.length());
        assertEquals(2, b.features());
        assertEquals("(200x1)", b.targets().shape());
        for (int n = 0; n < 200; n++) {
            int first = -1;
            int second = -1;
            int marks = 0;
            for (int t = 0; t < 50; t++) {
                double v = b.steps().get(t).get(n, 0);
                assertTrue(v >= 0 && v < 1);
                if (b.steps().get(t).get(n, 1) == 1) {
                    marks++;
                    if (first < 0) {
                        first = t;
                    } else {
                        second = t;
                    }
                }
            }
            assertEquals(2, marks);
            assertTrue(first < 25 && second >= 25, first + ", " + second);
            assertEquals(b.steps().get(first).get(n, 0) + b.steps().get(second).get(n, 0), b.targets().get(n, 0), 0.0);
        }
    }

    @Test
    void predictingTheMeanOfTheAddingProblemCostsOneSixth() {
        SequenceBatch b = new AddingProblem(20, new Random(2)).sample(50_000);
        double mse = 0;
        for (int n = 0; n < b.size(); n++) {
            double d = b.targets().get(n, 0) - 1.0;
            mse += d * d;
        }
        mse /= b.size();
        assertEquals(AddingProblem.MEAN_BASELINE_MSE, mse, 0.005);
    }

    @Test
    void theSameSeedGivesTheSameSequences() {
        SequenceBatch a = new AddingProblem(10, new Random(3)).sample(4);
        SequenceBatch b = new AddingProblem(10, new Random(3)).sample(4);
        for (int t = 0; t < 10; t++) {
            assertArrayEquals(a.steps().get(t).data().data, b.steps().get(t).data().data);
        }
        SequenceBatch c = new FirstTokenRecall(10, 3, new Random(3)).sample(4);
        SequenceBatch d = new FirstTokenRecall(10, 3, new Random(3)).sample(4);
        assertArrayEquals(c.labels(), d.labels());
    }

    @Test
    void firstTokenRecallShowsTheTokenFirstAndTheCueLast() {
        FirstTokenRecall task = new FirstTokenRecall(12, 4, new Random(4));
        SequenceBatch b = task.sample(100);
        assertEquals(12, b.length());
        assertEquals(5, b.features());
        assertEquals("(100x4)", b.targets().shape());
        int[] counts = new int[4];
        for (int n = 0; n < 100; n++) {
            int label = b.labels()[n];
            counts[label]++;
            assertEquals(1.0, b.steps().get(0).get(n, label));
            assertEquals(1.0, b.targets().get(n, label));
            assertEquals(1.0, rowSum(b.steps().get(0), n));
            for (int t = 1; t < 11; t++) {
                assertEquals(1.0, rowSum(b.steps().get(t), n), "one distractor symbol");
                assertEquals(0.0, b.steps().get(t).get(n, 4), "no cue before the end");
            }
            assertEquals(1.0, b.steps().get(11).get(n, 4));
            assertEquals(1.0, rowSum(b.steps().get(11), n), "the cue only");
        }
        for (int c : counts) {
            assertTrue(c > 10, "every symbol appears as a first token");
        }
    }

    @Test
    void digitsAreReadRowByRowAsEightStepsOfEightPixels() {
        Dataset digits = Digits.load();
        SequenceBatch b = DigitSequences.load();
        assertEquals(8, b.length());
        assertEquals(8, b.features());
        assertEquals(Digits.SAMPLES, b.size());
        assertArrayEquals(digits.labels(), b.labels());
        Tensor images = digits.features();
        for (int n : new int[] {0, 17, 1796}) {
            for (int t = 0; t < 8; t++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(images.get(n, 8 * t + j) / 16.0, b.steps().get(t).get(n, j), 0.0);
                }
            }
            assertEquals(1.0, b.targets().get(n, digits.label(n)));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DigitSequences.rows(Tensor.zeros(2, 63)))
                .getMessage().contains("(2x63)"));
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1, new Random(0)))
                .getMessage().contains("at least 2 steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FirstTokenRecall(5, 1, new Random(0)))
                .getMessage().contains("symbols >= 2"));
    }

    private static double rowSum(Tensor t, int row) {
        double s = 0;
        for (int j = 0; j < t.cols(); j++) {
            s += t.get(row, j);
        }
        return s;
    }
}
