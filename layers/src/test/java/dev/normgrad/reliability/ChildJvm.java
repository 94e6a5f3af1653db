package dev.normgrad.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test sources in a new JVM with this JVM's class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    static ProcessBuilder builder(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return builder(main, jvmOptions, args).start();
    }
}
