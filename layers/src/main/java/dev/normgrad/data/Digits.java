package dev.normgrad.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The UCI handwritten digits: 1797 images of 8×8 pixels with integer intensities 0..16, flattened
 * row-major into 64 features, labels 0..9 (about 180 per class). Small enough to train an MLP on in
 * a second, hard enough that normalization and initialisation matter.
 *
 * <p>Source: "Optical Recognition of Handwritten Digits", E. Alpaydin and C. Kaynak (1998), UCI
 * Machine Learning Repository, licensed CC BY 4.0; this is the test-set version as shipped by
 * scikit-learn ({@code load_digits}). Bundled in the jar as
 * {@code dev/normgrad/data/digits.csv.gz} (one line per image: 64 pixels, then the label).
 */
public final class Digits {
    /** Pixels per image (8×8). */
    public static final int FEATURES = 64;
    /** Digits 0..9. */
    public static final int CLASSES = 10;
    /** Images in the bundled file. */
    public static final int SAMPLES = 1797;

    private static final String RESOURCE = "digits.csv.gz";

    private Digits() {
    }

    /** The bundled data set: 1797×64 features (raw 0..16; standardise before training), labels 0..9. */
    public static Dataset load() {
        InputStream in = Digits.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("Digits: the resource dev/normgrad/data/" + RESOURCE
                    + " is missing from the class path; is the normgrad-layers jar complete?");
        }
        return CsvReader.read(in, RESOURCE, FEATURES, CLASSES);
    }

    /**
     * Reads a file in the same format (gzip-compressed or plain CSV, 64 values then a label 0..9 per
     * line). A malformed line is reported with the file name and line number.
     */
    public static Dataset load(Path file) {
        try {
            return CsvReader.read(Files.newInputStream(file), file.toString(), FEATURES, CLASSES);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not be opened: " + e.getMessage(), e);
        }
    }
}
