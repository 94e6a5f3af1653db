package dev.normgrad.tutorials.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the Maven project version, filtered into {@code version.properties} at build time. */
public final class Version implements CommandLine.IVersionProvider {
    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("Version: version.properties is missing from the jar (rebuild with mvn package)");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"NormGrad " + get() + " (Java " + System.getProperty("java.version") + ")"};
    }
}
