package dev.normgrad.tutorials.coursework.sandbox;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.security.Permission;
import java.security.Policy;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The child JVM's entry point: the only place a submission's code ever runs during grading. Its class
 * path holds this package, the engine (framework) and EJML; not the layers, not the assignments and not
 * their reference solutions.
 *
 * <p>Before it loads the submission it takes the real standard streams for the protocol
 * ({@link Wire}), puts a {@link CapturedOutput} in place of {@code System.out} and {@code System.err}
 * and an empty {@code System.in}, and runs the engine once so that its classes are initialised with
 * full permissions. Then it defines the submission's classes ({@link StudentClassLoader}) and installs
 * the security manager (deprecated since Java 17 and the one in-process sandbox Java 17 has; started
 * with {@code -Djava.security.manager=allow}). The policy grants everything to every protection domain
 * except the submission's, whose permissions are fixed. Per case: the run ({@link CaseRunner}), then a
 * check for threads the code left running and for the bytes it printed, then DONE. The grader enforces
 * the wall-clock limit by killing this process; the heap limit is the JVM's {@code -Xmx}.
 */
public final class SandboxMain {
    private SandboxMain() {
    }

    /** The library's types a submission may refer to (binary names): the same list the grader checks statically. */
    public static Set<String> libraryTypes() {
        return StudentClassLoader.LIBRARY_TYPES;
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        CapturedOutput captured = new CapturedOutput();
        PrintStream printed = captured.printStream();
        System.setOut(printed);
        System.setErr(printed);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        warmUp();

        Wire.Setup setup = Wire.readSetup(in);
        StudentClassLoader loader = new StudentClassLoader(setup.classes(), setup.submissionDir(), setup.scratchDir(),
                SandboxMain.class.getClassLoader());
        Class<?> type;
        Wire.Writer writer = new Wire.Writer(out);
        try {
            type = Class.forName(setup.className(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            writer.ready();
            fail(in, writer, "could not be loaded: " + e);
            return;
        }
        lockDown();
        writer.ready();

        CaseRunner runner = new CaseRunner(type, loader::owns, setup.heapLimit());
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        CaseRequest request;
        while ((request = Wire.readCase(in)) != null) {
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            captured.reset();
            runner.run(request, writer);
            List<Thread> left = leftRunning(before, group);
            if (!left.isEmpty()) {
                writer.failed(request.index(), CaseResult.Phase.AFTER, "left a thread running (" + left.get(0).getName()
                        + "): a Function must finish its work before it returns", true);
            }
            if (captured.bytes() > setup.outputLimit()) {
                writer.failed(request.index(), CaseResult.Phase.AFTER, "printed " + size(captured.bytes())
                        + ", more than the limit of " + size(setup.outputLimit()) + ": remove the prints from the loops", false);
            }
            writer.printed(request.index(), captured.bytes(), captured.head());
            writer.done(request.index());
        }
        System.exit(0);
    }

    /** A submission that cannot even be loaded fails every case it is given. */
    private static void fail(DataInputStream in, Wire.Writer writer, String reason) throws IOException {
        CaseRequest request;
        while ((request = Wire.readCase(in)) != null) {
            writer.failed(request.index(), request.mode() == CaseRequest.Mode.RUN ? CaseResult.Phase.FORWARD : CaseResult.Phase.GRADCHECK,
                    reason, false);
            writer.done(request.index());
        }
        System.exit(0);
    }

    /** Initialises the engine's classes (and String.format's) before any permission is taken away. */
    private static void warmUp() {
        Tensor x = Tensor.randn(2, 3, new Random(1)).requiresGrad(true);
        x.backward(Tensor.zeros(2, 3));
        x.mul(x).tanh().sum().backward();
        GradCheck.check(in -> in[0].mul(in[0]).sum(0), Tensor.randn(2, 2, new Random(2))).toString();
        Thread.getAllStackTraces();
    }

    private static void lockDown() {
        Policy.setPolicy(new Policy() {
            @Override
            public boolean implies(ProtectionDomain domain, Permission permission) {
                return true;   // the submission's domain has static permissions: a policy is never asked about it
            }
        });
        System.setSecurityManager(new SecurityManager());
    }

    /** Threads started during the case in this thread group that are still alive after a short grace period. */
    private static List<Thread> leftRunning(Set<Thread> before, ThreadGroup group) {
        List<Thread> left = new ArrayList<>();
        long deadline = System.nanoTime() + 300_000_000L;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || t.getThreadGroup() != group) {
                continue;
            }
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                left.add(t);
            }
        }
        return left;
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MB", bytes / (double) (1 << 20)) : bytes / 1024 + " KB";
    }
}
