package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.tutorials.coursework.sandbox.SandboxMain;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The child JVM's class path holds the sandbox package alone of the tutorials module: so the package must
 * need nothing else of it (and certainly not the assignments, whose reference solutions stay with the grader).
 */
class SandboxPackageTest {
    @Test
    void theSandboxPackageNeedsNothingOfTheTutorialsButItself() throws IOException, URISyntaxException {
        Path classes = Path.of(SandboxMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(SandboxMain.class.getPackageName().replace('.', '/'));
        List<Path> files;
        try (Stream<Path> s = Files.list(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(files.size() >= 7, files::toString);
        for (Path f : files) {
            ClassFile c = ClassFile.read(Files.readAllBytes(f));
            for (String type : c.types()) {
                assertTrue(!type.startsWith("dev.normgrad.tutorials.") || type.startsWith(SandboxMain.class.getPackageName() + "."),
                        () -> c.name() + " uses " + type + ", which the child JVM does not have");
                assertTrue(!type.startsWith("dev.normgrad.") || type.startsWith("dev.normgrad.autograd.") || type.startsWith("dev.normgrad.gradcheck.")
                        || type.startsWith("dev.normgrad.tutorials."), () -> c.name() + " uses " + type + ": only the engine is on the child's class path");
            }
        }
    }
}
