package dev.normgrad.tutorials.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A command's output folder, all or nothing: files are written into a hidden staging folder beside
 * the target ({@code .NAME.staging-…}), and only {@link #commit()} creates the target (if needed) and
 * moves each file in with an atomic rename. A command that fails before committing leaves no file
 * behind ({@link #close()} deletes the staging folder), and a file already in the target is replaced
 * whole or not at all.
 *
 * <pre>{@code
 * try (OutputFolder folder = OutputFolder.stage(target, "--out", "results")) {
 *     Charts.writePng(image, folder.file("loss.png"));
 *     List<Path> written = folder.commit();
 * }
 * }</pre>
 */
public final class OutputFolder implements AutoCloseable {
    private final Path target;
    private final String shown;
    private final Path staging;
    private final List<String> names = new ArrayList<>();
    private boolean committed;

    private OutputFolder(Path target, String shown, Path staging) {
        this.target = target;
        this.shown = shown;
        this.staging = staging;
    }

    /**
     * Stages output for {@code target}, whose parent folder must exist.
     *
     * @param field where the user named the folder ({@code --out}, {@code config.json: out}), for messages
     * @param shown the folder relative to the working directory (as the user wrote it, or a config's relative
     *              path joined to the config's), for messages: the command line shows every path that way
     * @throws CliException if the target is a file or its parent folder does not exist or is not writable
     */
    public static OutputFolder stage(Path target, String field, String shown) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new CliException(field + ": " + shown + " is a file, not a folder; name a folder for the output");
        }
        Path parent = absolute.getParent();
        Path shownParent = Path.of(shown).normalize().getParent();
        String parentShown = shownParent == null ? "." : shownParent.toString();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliException(field + ": the folder " + parentShown + " (where " + shown
                    + " would be created) does not exist; create it first or name another folder");
        }
        try {
            Path staging = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".staging-");
            return new OutputFolder(absolute, shown, staging);
        } catch (IOException e) {
            throw new CliException(field + ": cannot write in " + parentShown + " (" + e.getMessage() + ")", e);
        }
    }

    /** Where to write the file {@code name} (a plain name, no folders) before the commit. */
    public Path file(String name) {
        if (name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("OutputFolder.file: a plain file name, got " + name);
        }
        names.add(name);
        return staging.resolve(name);
    }

    /** The folder the files end up in. */
    public Path target() {
        return target;
    }

    /** The folder the files end up in, as messages show it (relative to the working directory). */
    public String shown() {
        return shown;
    }

    /** Creates the target folder if needed and moves every staged file into it; returns their final paths. */
    public List<Path> commit() {
        try {
            Files.createDirectories(target);
            List<Path> written = new ArrayList<>();
            for (String name : names) {
                Path from = staging.resolve(name);
                Path to = target.resolve(name);
                try {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
                written.add(to);
            }
            committed = true;
            deleteStaging();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("OutputFolder: could not move the results into " + target, e);
        }
    }

    /** Deletes the staging folder and whatever is still in it. */
    @Override
    public void close() {
        if (!committed) {
            deleteStaging();
        }
    }

    private void deleteStaging() {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("OutputFolder: could not delete the staging folder " + staging, e);
        }
    }
}
