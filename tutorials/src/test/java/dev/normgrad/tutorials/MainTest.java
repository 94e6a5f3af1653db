package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noCommandRunsTheDemoWhoseGradientsVanishAndWhoseCheckPasses() {
        assertEquals(0, run());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("W0"), text);
        assertTrue(text.contains("GradCheck full"), text);
        assertTrue(text.contains("GradCheck fast"), text);
        assertTrue(!text.contains("FAILED"), text);
    }

    @Test
    void unknownCommandIsExitTwoWithUsage() {
        assertEquals(2, run("trian"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unknown command 'trian'"), text);
        assertTrue(text.contains("Usage"), text);
    }

    @Test
    void helpListsTheBenchCommand() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("bench"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void experimentsCommandIsListedAndPassesItsOptionsToRunAll() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("experiments"), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("experiments", "--seeds", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seeds takes integers"), err.toString(StandardCharsets.UTF_8));
    }
}
