package dev.normgrad.tutorials.coursework.grader;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources held in memory into class files held in memory ({@code javax.tools}): nothing is
 * written to disk, no annotation processor runs ({@code -proc:none}), and a compilation that does not end
 * within its time limit is abandoned and reported as an error.
 */
final class InMemoryCompiler {
    /** The classes by binary name, or the compiler's messages. */
    record Result(Map<String, byte[]> classes, List<String> errors) {
        boolean ok() {
            return errors.isEmpty();
        }

        /**
         * The class {@code name}, defined with the others in a loader of its own, child of {@code parent}.
         * For trusted code only (a reference solution): a submission's classes are loaded in the child JVM.
         */
        Class<?> load(String name, ClassLoader parent) throws ClassNotFoundException {
            return new ClassLoader(parent) {
                @Override
                protected Class<?> findClass(String n) throws ClassNotFoundException {
                    byte[] bytes = classes.get(n);
                    if (bytes == null) {
                        throw new ClassNotFoundException(n);
                    }
                    return defineClass(n, bytes, 0, bytes.length);
                }
            }.loadClass(name);
        }
    }

    private final List<Path> classPath;
    private final long timeoutSeconds;

    InMemoryCompiler(List<Path> classPath, long timeoutSeconds) {
        this.classPath = List.copyOf(classPath);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Compiles {@code sources}; never throws for anything wrong in them. */
    Result compile(List<SubmissionSources.Source> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this Java runtime (" + System.getProperty("java.home")
                    + "): the grader needs a JDK, not a JRE");
        }
        FutureTask<Result> task = new FutureTask<>(() -> run(javac, sources));
        Thread worker = new Thread(task, "normgrad-grader-javac");
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Result(Map.of(), List.of("the compiler did not finish within " + timeoutSeconds + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Map.of(), List.of("compilation interrupted"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Java compiler failed: " + e.getCause(), e.getCause());
        }
    }

    private Result run(JavaCompiler javac, List<SubmissionSources.Source> sources) throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, String> shown = new HashMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            SubmissionSources.Source s = sources.get(i);
            // a folder per unit: two units may carry the same file name (a class in two folders)
            URI uri = URI.create("string:///unit" + i + "/" + s.unitName());
            shown.put(uri.toString(), s.shown());
            units.add(new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.text();
                }
            });
        }
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
                JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
                    @Override
                    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                            FileObject sibling) {
                        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                            @Override
                            public OutputStream openOutputStream() {
                                return out.computeIfAbsent(className, n -> new ByteArrayOutputStream());
                            }
                        };
                    }
                }) {
            List<String> options = List.of("-classpath", classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                    "-proc:none", "-g", "--release", "17", "-encoding", "UTF-8", "-implicit:none", "-Xlint:none");
            StringWriter log = new StringWriter();
            boolean ok = javac.getTask(log, files, diagnostics, options, null, units).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String where = d.getSource() == null ? "" : shown.getOrDefault(d.getSource().toUri().toString(), d.getSource().getName())
                            + (d.getLineNumber() > 0 ? ":" + d.getLineNumber() : "") + ": ";
                    errors.add(where + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && errors.isEmpty()) {
                errors.add(log.toString().isBlank() ? "the compiler failed without a message" : log.toString().strip());
            }
            Map<String, byte[]> classes = new LinkedHashMap<>();
            if (ok) {
                out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
            }
            return new Result(classes, errors);
        }
    }
}
