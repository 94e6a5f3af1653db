package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Module;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save interrupted by SIGKILL at a random moment leaves a file that loads as the old or the new
 * model, exactly. A child JVM ({@link SaveLoopMain}) saves models A and B alternately to one path;
 * it is killed ({@link Process#destroyForcibly()}, SIGKILL on Linux) at a seeded random delay after
 * its first save, 20 times. After each kill the file must load, and its text must equal A's or B's.
 *
 * <p>Temporary files: {@code ModelIO.save} writes {@code .NAME.<random>.tmp} beside the target and
 * renames it over the target. A process killed mid-write cannot delete it, so such a file stays
 * behind; it is never read by a load (a load opens only the path it is given), and it may be deleted
 * at any time. The test asserts that every file left is either the target or such a temporary file,
 * at most one per kill, and that at least one kill landed mid-save (so the test exercised an
 * interrupted save, not only kills between saves).
 */
class InterruptedSaveTest {
    private static final int KILLS = 20;
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx128m");

    @TempDir
    Path dir;

    @Test
    void aSaveKilledAtRandomMomentsAlwaysLeavesTheOldOrTheNewModel() throws Exception {
        String a = ModelIO.toJson(SaveLoopMain.model(0));
        String b = ModelIO.toJson(SaveLoopMain.model(1));
        Path file = dir.resolve("model.json");
        Random moments = new Random(2024);
        int foundA = 0;
        int foundB = 0;
        // the next child boots while the current one saves: JVM start-up overlaps the test's waiting
        Process next = ChildJvm.start(SaveLoopMain.class, FAST_START, file.toString());
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Process child = next;
                next = kill + 1 < KILLS ? ChildJvm.start(SaveLoopMain.class, FAST_START, file.toString()) : null;
                try {
                    child.getOutputStream().write('\n');
                    child.getOutputStream().flush();
                    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    String line = out.readLine();
                    assertEquals("ready", line, "the child did not start saving");
                    Thread.sleep(moments.nextInt(80));
                } finally {
                    child.destroyForcibly();
                    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the killed child did not end");
                }
                String text = Files.readString(file);
                Module loaded = ModelIO.load(file);   // throws if the file were half-written
                assertTrue(text.equals(a) || text.equals(b), "after kill " + kill + " the file is neither model A nor B");
                assertEquals(text, ModelIO.toJson(loaded), "the loaded model is the one in the file");
                if (text.equals(a)) {
                    foundA++;
                } else {
                    foundB++;
                }
            }
        } finally {
            if (next != null) {
                next.destroyForcibly();
            }
        }
        List<Path> left;
        try (Stream<Path> files = Files.list(dir)) {
            left = files.filter(p -> !p.equals(file)).toList();
        }
        for (Path p : left) {
            assertTrue(p.getFileName().toString().matches("\\.model\\.json\\.[0-9a-f]+\\.tmp"), "unexpected file " + p);
        }
        assertTrue(left.size() <= KILLS, left.size() + " temporary files after " + KILLS + " kills");
        assertTrue(left.size() >= 1, "no kill landed during a save; the test did not interrupt one");
        System.out.printf("InterruptedSaveTest: %d kills, file was A %d times and B %d times, %d kills mid-save "
                + "(a temporary file left)%n", KILLS, foundA, foundB, left.size());
    }
}
