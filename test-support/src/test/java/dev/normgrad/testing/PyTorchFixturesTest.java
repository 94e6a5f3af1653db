package dev.normgrad.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class PyTorchFixturesTest {
    @Test
    void rowsReadNumbersAndTheNamesOfNonFiniteValues() {
        double[][] r = PyTorchFixtures.rows(JsonParser.parseString("[[1, \"NaN\"], [\"Infinity\", \"-Infinity\"]]"));
        assertEquals(1.0, r[0][0]);
        assertTrue(Double.isNaN(r[0][1]));
        assertEquals(Double.POSITIVE_INFINITY, r[1][0]);
        assertEquals(Double.NEGATIVE_INFINITY, r[1][1]);
        assertArrayEquals(new double[] {1, 2, 3}, PyTorchFixtures.rows(JsonParser.parseString("[1, 2, 3]"))[0], "a flat list is one row");
        assertEquals(2, PyTorchFixtures.matrix(JsonParser.parseString("[[1, 2], [3, 4]]")).numRows);
        assertThrows(IllegalArgumentException.class, () -> PyTorchFixtures.rows(JsonParser.parseString("[[1, 2], [3]]")));
    }

    @Test
    void aFixtureIsReadOnceAndAMissingOneSaysHowToMakeIt() {
        assertSame(PyTorchFixtures.load("example.json"), PyTorchFixtures.load("example.json"));
        assertEquals(3, PyTorchFixtures.ints(PyTorchFixtures.load("example.json").get("shape")).length);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PyTorchFixtures.load("absent.json"));
        assertTrue(e.getMessage().contains("make_*_fixtures.py"), e.getMessage());
    }
}
