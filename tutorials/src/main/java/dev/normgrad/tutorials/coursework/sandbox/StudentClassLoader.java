package dev.normgrad.tutorials.coursework.sandbox;

import java.io.File;
import java.io.FilePermission;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.Permissions;
import java.security.ProtectionDomain;
import java.security.SecureClassLoader;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.PropertyPermission;
import java.util.Set;

/**
 * Defines a submission's compiled classes in the child JVM, in a protection domain of their own whose
 * only permissions are: read system properties, read the submission's folder, and read and write a
 * scratch folder, its working directory. Under the security manager the child installs, anything else the submission's code
 * tries — other files, {@code System.exit}, starting a program, the network, reflection into other
 * classes, replacing the standard streams — is refused with an {@code AccessControlException}.
 *
 * <p>Of the library only {@link #LIBRARY_TYPES} may be loaded from here: a submission extends
 * {@code Function}; it does not get the engine to compute its gradient.
 */
final class StudentClassLoader extends SecureClassLoader {
    /** The library's types a submission may use, as binary names. */
    static final Set<String> LIBRARY_TYPES = Set.of("dev.normgrad.autograd.Function", "dev.normgrad.autograd.ShapeException");

    private final Map<String, byte[]> classes;
    private final ProtectionDomain domain;

    StudentClassLoader(Map<String, byte[]> classes, String submissionDir, String scratchDir, ClassLoader parent) {
        super(parent);
        this.classes = Map.copyOf(classes);
        this.domain = new ProtectionDomain(codeSource(submissionDir), permissions(submissionDir, scratchDir));
    }

    private static CodeSource codeSource(String submissionDir) {
        try {
            return new CodeSource(new File(submissionDir).toURI().toURL(), (Certificate[]) null);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("submission folder " + submissionDir, e);
        }
    }

    /** What a submission may do: a static set, never widened by a policy. */
    private static Permissions permissions(String submissionDir, String scratchDir) {
        Permissions p = new Permissions();
        p.add(new PropertyPermission("*", "read"));
        p.add(new FilePermission(submissionDir, "read"));
        p.add(new FilePermission(submissionDir + File.separator + "-", "read"));
        p.add(new FilePermission(scratchDir, "read"));
        p.add(new FilePermission(scratchDir + File.separator + "-", "read,write,delete"));
        p.add(new FilePermission("-", "read,write,delete"));   // relative paths: the working directory is the scratch folder
        p.setReadOnly();
        return p;
    }

    /** Whether {@code className} is one of the submission's classes (or a lambda of one). */
    boolean owns(String className) {
        if (classes.containsKey(className)) {
            return true;
        }
        int lambda = className.indexOf("$$Lambda");
        return lambda > 0 && classes.containsKey(className.substring(0, lambda));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("dev.normgrad.") && !LIBRARY_TYPES.contains(name)) {
            throw new ClassNotFoundException(name + ": a submission may use only " + LIBRARY_TYPES + " of the library");
        }
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }
}
