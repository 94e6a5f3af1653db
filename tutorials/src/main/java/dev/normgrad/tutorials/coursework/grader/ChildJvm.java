package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.autograd.Function;
import dev.normgrad.tutorials.coursework.sandbox.CaseRequest;
import dev.normgrad.tutorials.coursework.sandbox.CaseResult;
import dev.normgrad.tutorials.coursework.sandbox.SandboxMain;
import dev.normgrad.tutorials.coursework.sandbox.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The grader's side of the child JVM in which a submission runs ({@link SandboxMain}): starts it with a
 * heap limit and the security manager, sends it the compiled classes and one case at a time, and
 * kills it when a case outlives the wall-clock limit or the process dies — the case's unfinished
 * tests then fail with a one-line reason and the next case gets a fresh JVM.
 *
 * <p>The child's class path: the {@code sandbox} package (copied out of the grader's own class path into
 * a folder of its own), the engine, EJML and Gson. Not the layers, not the assignments: the reference
 * solutions are nowhere the submission could read them.
 */
final class ChildJvm implements AutoCloseable {
    private static Path sandboxClasses;

    private final Limits limits;
    private final Path scratch;
    private final Process process;
    private final DataOutputStream toChild;
    private final DataInputStream fromChild;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private boolean usable = true;

    private ChildJvm(Limits limits, Path scratch, Process process) {
        this.limits = limits;
        this.scratch = scratch;
        this.process = process;
        this.toChild = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.fromChild = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        Thread drain = new Thread(() -> drain(process.getErrorStream()), "normgrad-grader-child-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /** Starts a child JVM; it boots while the grader compiles, and waits for {@link #load}. */
    static ChildJvm launch(Limits limits) {
        try {
            Path scratch = Files.createTempDirectory("normgrad-submission-");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + limits.heapMegabytes() + "m", "-Xms32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:MaxMetaspaceSize=128m", "-XX:MaxDirectMemorySize=16m", "-XX:-UsePerfData", "-Xshare:auto",
                    "-Djava.security.manager=allow", "-Djava.io.tmpdir=" + scratch, "-Dfile.encoding=UTF-8",
                    "-Djava.awt.headless=true", "-cp", classPath(), SandboxMain.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(scratch.toFile());
            pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG") && !k.startsWith("LC_"));
            return new ChildJvm(limits, scratch, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the JVM that runs the submission", e);
        }
    }

    /** Sends the submission's classes; false (and the reason in {@code why}) if the child did not come up. */
    boolean load(Wire.Setup setup, StringBuilder why) {
        FutureTask<Void> ready = new FutureTask<>(() -> {
            Wire.writeSetup(toChild, setup);
            Wire.readReady(fromChild);
            return null;
        });
        return await(ready, limits.startup(), why);
    }

    /** The scratch folder the submission may write in. */
    Path scratch() {
        return scratch;
    }

    /** Whether another case may run in this JVM. */
    boolean usable() {
        return usable && process.isAlive();
    }

    /** Runs one case; on a timeout or a dead child the result says so and this JVM is no longer usable. */
    CaseResult run(CaseRequest request) {
        CaseResult result = new CaseResult();
        FutureTask<Boolean> reading = new FutureTask<>(() -> {
            Wire.writeCase(toChild, request);
            return Wire.readResults(fromChild, request.index(), result);
        });
        StringBuilder why = new StringBuilder();
        boolean done = await(reading, limits.perCase(), why);
        CaseResult.Phase phase = phaseReached(request, result);
        if (!done) {
            result.failed(request.index(), phase, why.toString(), true);
        }
        if (result.restart()) {
            usable = false;
        }
        return result;
    }

    private static CaseResult.Phase phaseReached(CaseRequest request, CaseResult result) {
        if (request.mode() == CaseRequest.Mode.GRADCHECK) {
            return CaseResult.Phase.GRADCHECK;
        }
        return result.output() == null ? CaseResult.Phase.FORWARD : CaseResult.Phase.BACKWARD;
    }

    private <T> boolean await(FutureTask<T> task, Duration limit, StringBuilder why) {
        Thread t = new Thread(task, "normgrad-grader-child-io");
        t.setDaemon(true);
        t.start();
        try {
            T value = task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (Boolean.FALSE.equals(value)) {
                why.append(died());
                return false;
            }
            return true;
        } catch (TimeoutException e) {
            kill();
            why.append("did not finish within ").append(seconds(limit)).append(": an endless loop, or far too much work?");
        } catch (ExecutionException e) {
            why.append(died());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why.append("grading was interrupted");
        }
        kill();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private String died() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err;
        synchronized (stderr) {
            err = stderr.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("WARNING:")).findFirst().orElse("").strip();
        }
        String status = process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
        return "the JVM running it stopped" + status + (err.isEmpty() ? "" : ": " + (err.length() > 200 ? err.substring(0, 200) : err));
    }

    private void kill() {
        usable = false;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void drain(InputStream err) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = err.read(buffer)) >= 0) {
                synchronized (stderr) {
                    if (stderr.size() < 16_384) {
                        stderr.write(buffer, 0, Math.min(n, 16_384 - stderr.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                Wire.writeQuit(toChild);
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (IOException e) {
                // already gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(scratch);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    // ------------------------------------------------------------------ class paths

    /** The child's class path: the sandbox package, the engine, EJML, Gson (and netlib's BLAS, which the engine may load). */
    static synchronized String classPath() throws IOException {
        if (sandboxClasses == null) {
            sandboxClasses = extractSandboxPackage();
        }
        List<Path> entries = new ArrayList<>();
        entries.add(sandboxClasses);
        for (String type : List.of(Function.class.getName(), "org.ejml.data.DMatrixRMaj", "org.ejml.dense.row.CommonOps_DDRM",
                "com.google.gson.Gson", "dev.ludovic.netlib.blas.BLAS")) {
            Path p = locationOf(type);
            if (p != null && !entries.contains(p)) {
                entries.add(p);
            }
        }
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * What a submission compiles against: the engine, EJML, and the rest of NormGrad — so that delegation
     * compiles and is then found by {@link Integrity}, and a notebook's imports of NormGrad's tools compile
     * (an import that is not used leaves nothing in the class file). Nothing of it but the engine and EJML
     * is on the child's class path.
     */
    static List<Path> compileClassPath() {
        List<Path> entries = new ArrayList<>();
        for (String type : List.of(Function.class.getName(), "dev.normgrad.norm.LayerNorm", Grader.class.getName(),
                "org.ejml.data.DMatrixRMaj", "org.ejml.dense.row.CommonOps_DDRM")) {
            Path p = locationOf(type);
            if (p != null && !entries.contains(p)) {
                entries.add(p);
            }
        }
        return entries;
    }

    private static Path locationOf(String className) {
        try {
            Class<?> c = Class.forName(className, false, ChildJvm.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException e) {
            return null;
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate " + className + " on the grader's class path", e);
        }
    }

    /** Copies the class files of the sandbox package into a new folder, deleted when the grader exits. */
    private static Path extractSandboxPackage() throws IOException {
        Path target = Files.createTempDirectory("normgrad-sandbox-classes-");
        String pkg = SandboxMain.class.getPackageName().replace('.', '/');
        Path dir = Files.createDirectories(target.resolve(pkg));
        Path source;
        try {
            source = Path.of(SandboxMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(pkg))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    String name = e.getName();
                    if (name.startsWith(pkg + "/") && name.endsWith(".class") && name.indexOf('/', pkg.length() + 1) < 0) {
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, dir.resolve(name.substring(pkg.length() + 1)));
                        }
                    }
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(target)));
        return target;
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temp folder left behind is not worth failing a grade for
        }
    }
}
