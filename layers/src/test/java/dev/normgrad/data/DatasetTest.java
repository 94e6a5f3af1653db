package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** Row i of a feature matrix that identifies its sample: (i, label). */
    private static Dataset numbered(int[] labels, int classes) {
        double[][] x = new double[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            x[i] = new double[] {i, labels[i]};
        }
        return new Dataset(Tensor.of(x).data(), labels, classes);
    }

    @Test
    void splitIsStratifiedDisjointCompleteAndSeeded() {
        Dataset digits = Digits.load();
        Dataset.Split s = digits.split(0.2, new Random(0));
        assertEquals(digits.size(), s.train().size() + s.test().size());
        int[] all = digits.classCounts(), test = s.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(Math.round(0.2 * all[c]), test[c], "class " + c + " keeps its share in the test set");
        }
        Dataset.Split again = digits.split(0.2, new Random(0));
        assertArrayEquals(s.test().labels(), again.test().labels());
        assertArrayEquals(s.test().features().data().data, again.test().features().data().data);
        assertNotEquals(java.util.Arrays.toString(s.test().labels()),
                java.util.Arrays.toString(digits.split(0.2, new Random(1)).test().labels()));
    }

    @Test
    void splitPutsEverySampleInExactlyOneSet() {
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            labels[i] = i % 3;
        }
        Dataset d = numbered(labels, 3);
        Dataset.Split s = d.split(0.3, new Random(5));
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {s.train(), s.test()}) {
            for (int i = 0; i < part.size(); i++) {
                int id = (int) part.features().get(i, 0);
                assertTrue(seen.add(id), "sample " + id + " appears twice");
                assertEquals(labels[id], part.label(i), "the label travels with its sample");
            }
        }
        assertEquals(50, seen.size());
    }

    @Test
    void badSplitsAreErrors() {
        Dataset d = numbered(new int[] {0, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> d.split(0, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> d.split(1, new Random(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(0.2, new Random(1)));
        assertTrue(e.getMessage().contains("test set empty"), e.getMessage());
    }

    @Test
    void constructionChecksLabelsAndShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Dataset(Tensor.zeros(3, 2), new int[] {0, 1}));
        assertTrue(e.getMessage().contains("(3x2)") && e.getMessage().contains("2 labels"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 2).data(), new int[] {0, 5}, 3));
        assertTrue(bad.getMessage().contains("label 5 (row 1)"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(1, 2), new int[] {-1}));
        assertTrue(bad.getMessage().contains("label -1"), bad.getMessage());
    }

    @Test
    void oneHotLabelColumnSubsetAndCopies() {
        Dataset d = numbered(new int[] {2, 0, 1}, 3);
        assertEquals(1.0, d.oneHot().get(0, 2));
        assertEquals(0.0, d.oneHot().get(0, 0));
        assertEquals(1.0, d.labelColumn().get(2, 0));
        Dataset sub = d.subset(new int[] {2, 2, 0});
        assertArrayEquals(new int[] {1, 1, 2}, sub.labels());
        assertEquals(3, sub.numClasses());
        d.labels()[0] = 9;
        d.features().data().set(0, 0, 99);
        assertEquals(2, d.label(0), "labels() is a copy");
        assertEquals(0.0, d.features().get(0, 0), "features() is a copy");
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {3}));
        assertEquals("Dataset(3 samples, 2 features, 3 classes)", d.toString());
    }
}
