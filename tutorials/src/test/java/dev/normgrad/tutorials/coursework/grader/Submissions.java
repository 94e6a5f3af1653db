package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Handout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Submissions for the tests, made from an assignment's reference solution by textual edits: each edit
 * must match exactly once (or, with {@link #everywhere}, at least once), so that a change to the
 * reference cannot silently turn a planted mistake into a correct solution.
 */
public final class Submissions {
    private final Assignment assignment;
    private String source;

    private Submissions(Assignment assignment, String source) {
        this.assignment = assignment;
        this.source = source;
    }

    /** The reference solution (markers included: they are comments). */
    public static Submissions solution(Assignment a) {
        return new Submissions(a, new Handout(a, true).source());
    }

    /** The untouched handout. */
    public static Submissions handout(Assignment a) {
        return new Submissions(a, new Handout(a, false).source());
    }

    /** Replaces the one occurrence of {@code find}. */
    public Submissions replace(String find, String with) {
        int at = source.indexOf(find);
        assertTrue(at >= 0, () -> assignment.className() + ".java has no '" + find + "'");
        assertEquals(-1, source.indexOf(find, at + 1), () -> assignment.className() + ".java has '" + find + "' more than once");
        source = source.substring(0, at) + with + source.substring(at + find.length());
        return this;
    }

    /** Replaces every occurrence of {@code find} (at least one). */
    public Submissions everywhere(String find, String with) {
        assertTrue(source.contains(find), () -> assignment.className() + ".java has no '" + find + "'");
        source = source.replace(find, with);
        return this;
    }

    public String source() {
        return source;
    }

    /** The source compiled in memory and loaded here (trusted test code only: it runs in this JVM). */
    public Class<?> load() {
        InMemoryCompiler.Result r = new InMemoryCompiler(ChildJvm.compileClassPath(), 60)
                .compile(List.of(new SubmissionSources.Source(assignment.className() + ".java", assignment.className() + ".java", source)));
        assertTrue(r.ok(), () -> "does not compile: " + r.errors() + "\n" + source);
        try {
            return r.load(assignment.className(), Submissions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes the source as {@code CLASS.java} into a new folder {@code name} under {@code dir}. */
    public Path writeTo(Path dir, String name) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve(assignment.className() + ".java"), source);
        return folder;
    }
}
