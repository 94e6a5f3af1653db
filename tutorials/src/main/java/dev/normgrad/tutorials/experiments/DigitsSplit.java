package dev.normgrad.tutorials.experiments;

import dev.normgrad.data.Dataset;
import dev.normgrad.data.Digits;
import dev.normgrad.data.Standardizer;
import java.util.Random;

/**
 * The digits as every experiment uses them: a stratified 80/20 split (1437 training and 360 test
 * images) drawn with the given seed, each feature standardised with the training set's mean and
 * standard deviation.
 *
 * @param train standardised training set
 * @param test  test set, standardised with the training set's statistics
 */
public record DigitsSplit(Dataset train, Dataset test) {
    /** The fraction of the digits held out for testing. */
    public static final double TEST_FRACTION = 0.2;

    /** Loads, splits (seeded) and standardises the bundled digits. */
    public static DigitsSplit load(long seed) {
        Dataset.Split split = Digits.load().split(TEST_FRACTION, new Random(seed));
        Standardizer z = Standardizer.fit(split.train());
        return new DigitsSplit(z.transform(split.train()), z.transform(split.test()));
    }
}
