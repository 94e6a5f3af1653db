package dev.normgrad.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void firstOutputsMatchTheReferenceImplementation() {
        // computed with a Python transcription of Vigna's reference splitmix64.c, seed 1234567
        SplitMix64 r = new SplitMix64(1234567);
        assertEquals(6457827717110365317L, r.nextLong());
        assertEquals(3203168211198807973L, r.nextLong());
        assertEquals(-8629252141511181193L, r.nextLong());
    }

    @Test
    void savingAndRestoringTheStateReplaysTheSameNumbers() {
        SplitMix64 r = new SplitMix64(42);
        r.nextDouble();
        long state = r.state();
        double a = r.nextDouble(), b = r.nextGaussian();
        int c = r.nextInt(10);
        r.setState(state);
        assertEquals(a, r.nextDouble());
        assertEquals(b, r.nextGaussian());
        assertEquals(c, r.nextInt(10));
    }

    @Test
    void uniformsAndGaussiansHaveTheRightMoments() {
        SplitMix64 r = new SplitMix64(7);
        int n = 200_000;
        double su = 0, sg = 0, sg2 = 0;
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            su += u;
            double g = r.nextGaussian();
            sg += g;
            sg2 += g * g;
        }
        assertEquals(0.5, su / n, 0.003);
        assertEquals(0.0, sg / n, 0.01);
        assertEquals(1.0, sg2 / n, 0.01);
    }
}
