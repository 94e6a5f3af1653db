package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.data.Batch;
import dev.normgrad.data.DataLoader;
import dev.normgrad.data.Dataset;
import dev.normgrad.data.Digits;
import dev.normgrad.data.Standardizer;
import dev.normgrad.init.Init;
import dev.normgrad.loss.CrossEntropyLoss;
import dev.normgrad.loss.Metrics;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * End to end: an MLP 64 → 64 → ReLU → 10 trained on the standardised digits (stratified 80/20 split,
 * seed 0), with every seed fixed. Measured with this code: Adam (lr 1e-3, batch 32, 20 epochs)
 * 0.972 test accuracy (349 of 359); SGD (lr 0.05, momentum 0.9, batch 32, 10 epochs) 0.978 (351 of 359). The assertions
 * leave a margin below those. About half a second each.
 */
class DigitsTrainingTest {
    private record Result(double firstLoss, double lastLoss, double testAccuracy) {
    }

    private static Result train(Function<Module, Optimizer> optimizer, int epochs) {
        Dataset.Split split = Digits.load().split(0.2, new Random(0));
        Standardizer z = Standardizer.fit(split.train());
        Dataset train = z.transform(split.train());
        Dataset test = z.transform(split.test());

        Init.manualSeed(42);
        Module model = new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10));
        Optimizer opt = optimizer.apply(model);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(train, 32, new Random(1));
        double first = Double.NaN, last = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double sum = 0;
            for (Batch b : loader) {
                opt.zeroGrad();
                var loss = criterion.apply(model.apply(b.features()), b.labels());
                loss.backward();
                opt.step();
                sum += loss.item() * b.size();
            }
            last = sum / train.size();
            if (epoch == 0) {
                first = last;
            }
        }
        model.eval();
        try (NoGrad off = NoGrad.enter()) {
            return new Result(first, last, Metrics.accuracy(model.apply(test.features()), test.labels()));
        }
    }

    @Test
    void adamTrainsAnMlpOnTheDigitsToAtLeast95PercentTestAccuracy() {
        Result r = train(m -> new Adam(m.parameters(), 1e-3), 20);
        assertTrue(r.lastLoss() < r.firstLoss() / 5, "the training loss falls: " + r);
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy() + " (measured 0.972)");
    }

    @Test
    void sgdWithMomentumTrainsAnMlpOnTheDigitsToAtLeast95PercentTestAccuracy() {
        Result r = train(m -> new SGD(m.parameters(), 0.05, 0.9, 0.0), 10);
        assertTrue(r.lastLoss() < r.firstLoss() / 5, "the training loss falls: " + r);
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy() + " (measured 0.978)");
    }

    @Test
    void theSameSeedsGiveTheSameRun() {
        Result a = train(m -> new SGD(m.parameters(), 0.05, 0.9, 0.0), 2);
        Result b = train(m -> new SGD(m.parameters(), 0.05, 0.9, 0.0), 2);
        assertEquals(a, b);
    }
}
