package dev.normgrad.reliability;

import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.LayerNorm;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child of {@link InterruptedSaveTest}: saves model A, then B, then A... to the same file
 * with {@link ModelIO#save} until it is killed. Starts on a line from standard input (so that the
 * test can start the next child while this one boots), prints "ready" once the first save is
 * complete.
 */
public final class SaveLoopMain {
    private SaveLoopMain() {
    }

    /** Model A (which = 0) or B (which = 1): about 18,000 numbers, a save of some milliseconds. */
    static Sequential model(int which) {
        Random r = new Random(100 + which);
        return new Sequential(new Linear(128, 128, true, r), new LayerNorm(128), new Linear(128, 16, true, r));
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Sequential[] models = {model(0), model(1)};
        ModelIO.toJson(models[1]);   // load and link the writer before waiting
        if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() == null) {
            return;
        }
        ModelIO.save(models[0], file);
        System.out.println("ready");
        System.out.flush();
        for (int i = 1; ; i++) {
            ModelIO.save(models[i % 2], file);
        }
    }
}
