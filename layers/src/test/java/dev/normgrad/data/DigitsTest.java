package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsTest {
    @TempDir
    Path dir;

    @Test
    void theBundledSetHas1797ImagesOf64PixelsAndTenClasses() {
        Dataset d = Digits.load();
        assertEquals(Digits.SAMPLES, d.size());
        assertEquals(64, d.numFeatures());
        assertEquals(10, d.numClasses());
        int[] counts = d.classCounts();
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] >= 174 && counts[c] <= 183, "class " + c + " has " + counts[c] + " images");
        }
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (double v : d.features().data().data) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0.0, min);
        assertEquals(16.0, max);
        // the first image is a 0: its first row of pixels, as in scikit-learn's load_digits
        assertEquals(0, d.label(0));
        assertEquals(5.0, d.features().get(0, 2));
        assertEquals(13.0, d.features().get(0, 3));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static String row(int features, String label) {
        return "0,".repeat(features) + label + "\n";
    }

    @Test
    void aGzipFileInTheSameFormatLoads() throws IOException {
        Path p = dir.resolve("mine.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write((row(64, "3") + row(64, "9")).getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = Digits.load(p);
        assertEquals(2, d.size());
        assertEquals(9, d.label(1));
    }

    @Test
    void aWrongColumnCountNamesTheFileAndLine() throws IOException {
        Path p = write("short.csv", row(64, "1") + row(63, "2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digits.load(p));
        assertEquals(p + ", line 2: expected 65 comma-separated values (64 features, then the label), found 64", e.getMessage());
    }

    @Test
    void aBadNumberOrLabelNamesTheFileLineAndColumn() throws IOException {
        Path p = write("bad.csv", row(64, "1") + "x," + row(63, "1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digits.load(p));
        assertEquals(p + ", line 2, column 1: 'x' is not a finite number", e.getMessage());
        Path q = write("label.csv", row(64, "10"));
        e = assertThrows(IllegalArgumentException.class, () -> Digits.load(q));
        assertEquals(q + ", line 1, column 65 (the label): 10 is not a class index 0..9", e.getMessage());
        Path r = write("frac.csv", row(64, "2.5"));
        e = assertThrows(IllegalArgumentException.class, () -> Digits.load(r));
        assertTrue(e.getMessage().contains("'2.5' is not an integer class index"), e.getMessage());
    }

    @Test
    void anEmptyFileAMissingFileAndAFakeGzipAreClearErrors() throws IOException {
        Path empty = write("empty.csv", "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digits.load(empty));
        assertEquals(empty + ": no data rows (the file is empty)", e.getMessage());
        Path missing = dir.resolve("nope.csv.gz");
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> Digits.load(missing));
        assertTrue(io.getMessage().startsWith(missing + ": could not be opened"), io.getMessage());
        Path fake = write("fake.csv.gz", row(64, "1"));
        io = assertThrows(UncheckedIOException.class, () -> Digits.load(fake));
        assertTrue(io.getMessage().startsWith(fake + ": could not be read: the name ends in .gz but the content is not gzip"),
                io.getMessage());
    }

    @Test
    void readCsvTakesAnyFeatureCountAndInfersTheClasses() throws IOException {
        Path p = write("two.csv", "0.5,1.5,0\n-2,3e-1,2\n");
        Dataset d = Datasets.readCsv(p, 2);
        assertEquals(2, d.size());
        assertEquals(3, d.numClasses());
        assertEquals(0.3, d.features().get(1, 1));
    }
}
