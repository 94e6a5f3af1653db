package dev.normgrad.io;

import static dev.normgrad.testing.Close.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.GRUCell;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.LSTMCell;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.recurrent.Recurrent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RNN, LSTM, GRU and their cells through save and load, with every savable cell normalization. */
class RecurrentIOTest {
    private static final List<CellNormalization> NORMALIZATIONS = List.of(
            CellNormalization.none(), CellNormalization.layerNorm(), CellNormalization.recurrentBatchNorm(3));

    @TempDir
    Path dir;

    private static List<Module> layers(CellNormalization norm, Random r) {
        return List.of(
                new RNN(3, 4, 2, RNNCell.Nonlinearity.TANH, norm, r),
                new RNN(3, 4, 1, RNNCell.Nonlinearity.RELU, norm, r),
                new LSTM(3, 4, 2, norm, r),
                new GRU(3, 4, 2, norm, r),
                new RNNCell(3, 4, RNNCell.Nonlinearity.RELU, norm, r),
                new LSTMCell(3, 4, norm, r),
                new GRUCell(3, 4, norm, r));
    }

    /** Runs the layer over 4 steps of a 5-sequence batch (a cell: one step). */
    private static Tensor run(Module layer, Tensor x) {
        return layer.apply(x);
    }

    @Test
    void everyRecurrentLayerWithEveryNormalizationComesBackBitForBitInTrainAndEvalMode() throws IOException {
        Tensor sequence = Tensor.randn(5, 12, new Random(7));   // 4 steps of 3 features side by side
        Tensor step = sequence.sliceColumns(0, 3).detach();
        int saved = 0;
        for (CellNormalization norm : NORMALIZATIONS) {
            for (Module original : layers(norm, new Random(5))) {
                Tensor x = original instanceof Recurrent ? sequence : step;
                run(original, x);   // a training forward moves any running statistics away from their start
                Path file = dir.resolve("rnn" + saved++ + ".json");
                ModelIO.save(original, file);
                Module loaded = ModelIO.load(file);
                assertEquals(original.toString(), loaded.toString());
                original.eval();
                loaded.eval();
                assertBitIdentical(run(original, x).data(), run(loaded, x).data(), "output");
                original.train();
                loaded.train();
                assertBitIdentical(run(original, x).data(), run(loaded, x).data(), "output");
                loaded.namedBuffers().forEach((name, t) -> assertBitIdentical(original.namedBuffers().get(name).data(), t.data(), name));
            }
        }
        assertEquals(21, saved);
    }

    @Test
    void aRecurrentModelInsideSequentialRoundTrips() throws IOException {
        Random r = new Random(3);
        Sequential model = new Sequential(new LSTM(2, 5, 1, CellNormalization.layerNorm(), r), new Linear(15, 2, true, r));
        Tensor x = Tensor.randn(4, 6, new Random(1));
        Path file = dir.resolve("seq.json");
        ModelIO.save(model, file);
        Module loaded = ModelIO.load(file);
        assertBitIdentical(model.apply(x).data(), loaded.apply(x).data(), "output");
        String json = Files.readString(file);
        assertTrue(json.contains("\"type\": \"LSTM\"") && json.contains("\"normalization\": \"layerNorm\""), json);
    }

    @Test
    void theRecurrentTypesAreRegistered() {
        assertTrue(LayerRegistry.standard().names().containsAll(List.of("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell")));
    }

    @Test
    void aNormalizationWithoutADescriptionCannotBeSavedAndTheOldFileIsKept() throws IOException {
        Path file = dir.resolve("keep.json");
        ModelIO.save(new GRU(2, 3, new Random(1)), file);
        String before = Files.readString(file);
        GRU custom = new GRU(2, 3, 1, CellNormalization.of("rmsNorm", RMSNorm::new), new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.save(custom, file));
        assertTrue(e.getMessage().startsWith("cannot save architecture: its cell normalization \"rmsNorm\" cannot be written"),
                e.getMessage());
        assertEquals(before, Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), new ArrayList<>(files.toList()));
        }
    }

    @Test
    void anUnknownNormalizationOrNonlinearityInTheFileIsReportedByPath() {
        String json = ModelIO.toJson(new RNN(2, 3, new Random(1)));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelIO.fromJson(json.replace("\"normalization\": \"none\"", "\"normalization\": \"batchNorm\"")));
        assertEquals("architecture.normalization: expected none, layerNorm or recurrentBatchNorm(maxSteps=N), found \"batchNorm\"",
                e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> ModelIO.fromJson(json.replace("\"nonlinearity\": \"tanh\"", "\"nonlinearity\": \"sigmoid\"")));
        assertEquals("architecture.nonlinearity: expected \"tanh\" or \"relu\", found \"sigmoid\"", e.getMessage());
    }
}
