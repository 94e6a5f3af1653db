package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.tutorials.coursework.Assignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A ready Gradescope autograder for one assignment ({@code ./normgrad assignment make NAME --out DIR
 * --gradescope}). Gradescope builds an Ubuntu image once with {@code setup.sh}, then for each submission
 * runs {@code run_autograder}, with the submission in {@code /autograder/submission} and the zip's files
 * in {@code /autograder/source}, and reads {@code /autograder/results/results.json}.
 *
 * <p>The folder written: {@code autograder.zip} (upload this), and beside it, to read, the
 * {@code setup.sh} and {@code run_autograder} it holds and a {@code README.md}. The zip holds those two
 * scripts, NormGrad's jars ({@code normgrad/lib/}) — so {@code setup.sh} only installs a JDK (the
 * grader compiles submissions with {@code javax.tools}) — and {@code seed}, the hidden cases' seed,
 * drawn when the bundle is made and nowhere a student sees it.
 */
public final class GradescopeBundle {
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private GradescopeBundle() {
    }

    /**
     * The bundle's files by name.
     *
     * @param classPath NormGrad's runtime class path: jars, or folders of classes
     */
    public static Map<String, byte[]> files(Assignment assignment, long seed, List<Path> classPath) {
        List<String> cp = new ArrayList<>();
        boolean jars = false;
        for (Path p : classPath) {
            if (Files.isDirectory(p)) {
                cp.add("\"$src/normgrad/classes" + cp.size() + "\"");
            } else {
                jars = true;
            }
        }
        if (jars) {
            cp.add(0, "\"$src/normgrad/lib/*\"");
        }
        String setup = setupScript();
        String run = runScript(assignment, String.join(":", cp));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("autograder.zip", zip(setup, run, seed, classPath));
        files.put("setup.sh", setup.getBytes(StandardCharsets.UTF_8));
        files.put("run_autograder", run.getBytes(StandardCharsets.UTF_8));
        files.put("README.md", readme(assignment).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    static String setupScript() {
        return """
                #!/usr/bin/env bash
                # Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
                # NormGrad's jars are in the zip; the grader needs a JDK (it compiles submissions with javax.tools).
                set -euo pipefail
                export DEBIAN_FRONTEND=noninteractive
                apt-get update
                apt-get install -y --no-install-recommends openjdk-17-jdk-headless
                java -version
                """;
    }

    static String runScript(Assignment assignment, String classPath) {
        return """
                #!/usr/bin/env bash
                # Gradescope runs this for each submission: the submission is in /autograder/submission, the
                # zip's files in /autograder/source; the grade goes to /autograder/results/results.json.
                # The grader always writes that file (score 0 and the reason when it cannot grade); its exit
                # status (0 full marks, 1 points lost, 2 a submission it cannot grade) is not Gradescope's business.
                set -u
                root="${AUTOGRADER_ROOT:-/autograder}"
                src="$root/source"
                mkdir -p "$root/results"
                # C1 only and the serial collector: a short run that compiles and starts a JVM, not a long one
                java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp %s dev.normgrad.tutorials.Main grade "$root/submission" \\
                    --assignment %s --seed "$(cat "$src/seed")" --gradescope --results "$root/results/results.json"
                if [ ! -s "$root/results/results.json" ]; then
                  echo '{"score": 0, "output": "The autograder could not start NormGrad: ask your instructor.", "tests": []}' \\
                    > "$root/results/results.json"
                fi
                exit 0
                """.formatted(classPath, assignment.name());
    }

    private static String readme(Assignment assignment) {
        return """
                # Gradescope autograder: %s

                Upload `autograder.zip` as the assignment's autograder ("Zip file upload", base image Ubuntu).
                It holds `setup.sh` (installs a JDK), `run_autograder` (runs NormGrad's grader on the submission
                and writes `results.json`), NormGrad's jars, and `seed`, the seed of the hidden cases, drawn when
                this bundle was made. Students never see it; make a new bundle for a new seed.

                Students hand in `%s.java`, or the notebook `%s.ipynb`. Try the bundle on the reference
                solution first (Gradescope's "Test Autograder"): it must score full marks.

                Locally, with a folder holding `source/` (the zip's files) and `submission/`:

                ```bash
                AUTOGRADER_ROOT=/path/to/that/folder bash source/run_autograder
                ```
                """.formatted(assignment.title(), assignment.className(), assignment.name());
    }

    /** The zip, written through the JDK's zip file system so that the scripts keep their executable bit. */
    private static byte[] zip(String setup, String run, long seed, List<Path> classPath) {
        Path file = null;
        try {
            file = Files.createTempFile("normgrad-autograder-", ".zip");
            Files.delete(file);
            try (FileSystem zip = FileSystems.newFileSystem(file, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                put(zip, "setup.sh", setup.getBytes(StandardCharsets.UTF_8), true);
                put(zip, "run_autograder", run.getBytes(StandardCharsets.UTF_8), true);
                put(zip, "seed", (seed + "\n").getBytes(StandardCharsets.UTF_8), false);
                int folders = 0;
                for (Path p : classPath) {
                    if (Files.isDirectory(p)) {
                        String prefix = "normgrad/classes" + folders++ + "/";
                        try (Stream<Path> walk = Files.walk(p)) {
                            for (Path f : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                                put(zip, prefix + p.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), false);
                            }
                        }
                    } else {
                        put(zip, "normgrad/lib/" + p.getFileName(), Files.readAllBytes(p), false);
                    }
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the autograder zip", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temp file left behind
                }
            }
        }
    }

    private static void put(FileSystem zip, String name, byte[] content, boolean executable) throws IOException {
        Path p = zip.getPath(name);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.write(p, content);
        Files.setLastModifiedTime(p, EPOCH);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    /**
     * The class path of the NormGrad running this: its jar and the jars beside it in {@code lib/} (as
     * {@code ./normgrad} runs it), or, from a development build's class folders, this JVM's class path.
     */
    public static List<Path> installedClassPath() {
        Path self;
        try {
            self = Path.of(Grader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Path> entries = new ArrayList<>();
        if (Files.isRegularFile(self) && Files.isDirectory(self.resolveSibling("lib"))) {
            entries.add(self);
            try (Stream<Path> lib = Files.list(self.resolveSibling("lib"))) {
                lib.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return entries;
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.isEmpty() && Files.exists(p)) {
                entries.add(p.toAbsolutePath());
            }
        }
        return entries;
    }
}
