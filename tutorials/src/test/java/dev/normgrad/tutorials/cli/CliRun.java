package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.io.LayerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One in-process run of the command line: exit status, stdout, stderr. */
record CliRun(int status, String out, String err) {
    static CliRun run(Path cwd, String... args) {
        return run(LayerRegistry.standard(), cwd, Map.of(), args);
    }

    static CliRun run(LayerRegistry registry, Path cwd, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), registry, cwd, env));
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts a bad-input failure: status 2, exactly one line on stderr containing every fragment,
     * no stack trace.
     */
    CliRun assertBadInput(String... fragments) {
        assertEquals(Cli.BAD_INPUT, status, this::toString);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), () -> "one line on stderr, got:\n" + err);
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), () -> "expected '" + f + "' in: " + lines.get(0));
        }
        assertFalse(err.contains("\tat ") || err.contains("Exception"), () -> "no stack trace or exception name: " + err);
        return this;
    }

    /** The names in {@code dir} (hidden staging folders included). */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
