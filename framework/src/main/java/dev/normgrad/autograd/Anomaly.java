package dev.normgrad.autograd;

import java.util.Optional;

/**
 * Anomaly mode: while it is on, every op checks its output (forward) and the gradients it passes
 * to its inputs (backward) and throws {@link AnomalyException} at the first NaN or infinity,
 * naming the op, its shapes and the line of your code that created it. It costs a stack walk per
 * op, so it is off by default (PyTorch's {@code torch.autograd.detect_anomaly}). Unlike
 * {@link NoGrad}, which is per thread, anomaly mode is global: while a scope is open it applies to
 * every thread.
 *
 * <pre>{@code
 * try (Anomaly on = Anomaly.detect()) {
 *     loss = model.forward(x); loss.backward();
 * }
 * }</pre>
 */
public final class Anomaly implements AutoCloseable {
    private static volatile int depth;

    private boolean closed;

    private Anomaly() {
        synchronized (Anomaly.class) {
            depth++;
        }
    }

    /** Turns anomaly detection on until the returned scope is closed. */
    public static Anomaly detect() {
        return new Anomaly();
    }

    /** True while at least one {@link #detect()} scope is open. */
    public static boolean isEnabled() {
        return depth > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            synchronized (Anomaly.class) {
                depth--;
            }
        }
    }

    /**
     * The first stack frame outside the engine (Tensor, Function and its subclasses, the ops), as
     * {@code Class.method(File.java:line)}: the line a user wrote.
     */
    static String callerOutsideEngine() {
        Optional<StackWalker.StackFrame> frame = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(f -> !isEngine(f.getDeclaringClass())).findFirst());
        return frame.map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("<unknown>");
    }

    private static boolean isEngine(Class<?> c) {
        if (Function.class.isAssignableFrom(c)) {
            return true;
        }
        String pkg = c.getPackageName();
        boolean enginePackage = pkg.equals("dev.normgrad.autograd") || pkg.equals("dev.normgrad.ops");
        return enginePackage && !c.getSimpleName().endsWith("Test");
    }
}
