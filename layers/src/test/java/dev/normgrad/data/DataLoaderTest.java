package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Ten samples whose only feature is their index; label = index mod 2. */
    private static Dataset ten() {
        double[][] x = new double[10][];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {i};
            y[i] = i % 2;
        }
        return new Dataset(Tensor.of(x), y);
    }

    private static List<Integer> ids(Iterable<Batch> epoch, List<Integer> sizes) {
        List<Integer> ids = new ArrayList<>();
        for (Batch b : epoch) {
            sizes.add(b.size());
            for (int k = 0; k < b.size(); k++) {
                int id = (int) b.features().get(k, 0);
                ids.add(id);
                assertEquals(id % 2, b.labels()[k], "labels travel with their samples");
            }
        }
        return ids;
    }

    @Test
    void anEpochVisitsEverySampleOnceAndKeepsTheLastPartialBatch() {
        DataLoader loader = new DataLoader(ten(), 4, new Random(1));
        List<Integer> sizes = new ArrayList<>();
        List<Integer> ids = ids(loader, sizes);
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(3, loader.numBatches());
        assertEquals(10, ids.stream().distinct().count());
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader loader = new DataLoader(ten(), 4, true, true, new Random(1));
        List<Integer> sizes = new ArrayList<>();
        ids(loader, sizes);
        assertEquals(List.of(4, 4), sizes);
        assertEquals(2, loader.numBatches());
    }

    @Test
    void eachEpochIsShuffledAnewAndTheSameSeedGivesTheSameSequence() {
        DataLoader a = new DataLoader(ten(), 3, new Random(7));
        DataLoader b = new DataLoader(ten(), 3, new Random(7));
        List<Integer> a1 = ids(a, new ArrayList<>()), a2 = ids(a, new ArrayList<>());
        assertFalse(a1.equals(a2), "a new order every epoch");
        assertEquals(a1, ids(b, new ArrayList<>()));
        assertEquals(a2, ids(b, new ArrayList<>()));
    }

    @Test
    void withoutShuffleTheOrderIsTheDataSets() {
        DataLoader loader = new DataLoader(ten(), 5, false, false, null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids(loader, new ArrayList<>()));
    }

    @Test
    void badArgumentsAndAnExhaustedIteratorAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(ten(), 0, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(ten(), 4, true, false, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(ten(), 11, false, true, null));
        assertTrue(e.getMessage().contains("no batch at all"), e.getMessage());
        Iterator<Batch> it = new DataLoader(ten(), 10, false, false, null).iterator();
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, it.next().labels());
        assertThrows(NoSuchElementException.class, it::next);
    }
}
