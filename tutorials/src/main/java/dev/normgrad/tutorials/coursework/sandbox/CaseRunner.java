package dev.normgrad.tutorials.coursework.sandbox;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import java.io.FilePermission;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.security.AccessControlException;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs one {@link CaseRequest} on a {@code Function} class through the engine's public API, exactly as a
 * learner's code would be used: {@code new Op(args).apply(inputs)}, then {@code backward(dL/dy)}, or
 * {@code GradCheck.check}. Whatever the code does — returns, throws, runs out of memory — comes out as
 * messages to a {@link Sink}, never as an exception. The grader runs it in the child JVM on a
 * submission, and in its own process on the reference solution; a notebook runs it on the learner's
 * class in the notebook's JVM.
 */
public final class CaseRunner {
    /** Where a run's results go: assembled into a {@link CaseResult}, or written to the grader. */
    public interface Sink {
        void forward(int index, DMatrixRMaj output, List<DMatrixRMaj> state);

        void backward(int index, List<DMatrixRMaj> gradients);

        void gradCheck(int index, boolean passed, String text);

        void failed(int index, CaseResult.Phase phase, String reason, boolean restart);

        void printed(int index, long bytes, String head);
    }

    /** The longest GradCheck report kept, in characters. */
    static final int MAX_REPORT_CHARS = 12_000;
    /** More entries than this in an output is refused (the output would not fit the protocol's limit anyway). */
    static final int MAX_OUTPUT_ENTRIES = 1 << 22;

    private final Class<?> type;
    private final Predicate<String> ownClass;
    private final String heapLimit;

    /**
     * @param type      the {@code Function} subclass to run
     * @param ownClass  tells the code's own classes from the library's, to point at its line in a stack trace
     * @param heapLimit the heap limit in words, for the message of an OutOfMemoryError ("256 MB"), or null
     */
    public CaseRunner(Class<?> type, Predicate<String> ownClass, String heapLimit) {
        if (!Function.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " does not extend " + Function.class.getName());
        }
        this.type = type;
        this.ownClass = ownClass;
        this.heapLimit = heapLimit;
    }

    /** Runs {@code request}; every outcome goes to {@code sink}. Returns normally whatever the code did. */
    public void run(CaseRequest request, Sink sink) {
        int index = request.index();
        CaseResult.Phase phase = request.mode() == CaseRequest.Mode.RUN ? CaseResult.Phase.FORWARD : CaseResult.Phase.GRADCHECK;
        try {
            Constructor<?> constructor = constructor(request.constructorArgs());
            if (request.mode() == CaseRequest.Mode.GRADCHECK) {
                Tensor[] inputs = tensors(request, false);
                // a fresh Function, with fresh copies of its arguments, for every evaluation: state must not drift
                GradCheckReport report = GradCheck.check(in -> newFunction(constructor, copies(request.constructorArgs())).apply(in), inputs);
                String text = report.toString();
                sink.gradCheck(index, report.passed(), text.length() > MAX_REPORT_CHARS ? text.substring(0, MAX_REPORT_CHARS) + "\n..." : text);
                return;
            }
            List<Object> args = copies(request.constructorArgs());
            Tensor[] inputs = tensors(request, true);
            Function function = newFunction(constructor, args);
            Tensor output = function.apply(inputs);
            DMatrixRMaj y = output.data();
            if (y.getNumElements() > MAX_OUTPUT_ENTRIES) {
                sink.failed(index, phase, "the forward returned a " + y.numRows + "x" + y.numCols + " output, far larger than its inputs", false);
                return;
            }
            List<DMatrixRMaj> state = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof DMatrixRMaj m) {
                    state.add(m.copy());
                }
            }
            sink.forward(index, y.copy(), state);
            phase = CaseResult.Phase.BACKWARD;
            if (!output.requiresGrad()) {
                sink.failed(index, phase, "the forward's output is not connected to its inputs (it was computed outside apply?)", false);
                return;
            }
            if (output.rows() != request.gradOutput().numRows || output.cols() != request.gradOutput().numCols) {
                sink.failed(index, phase, "cannot run the backward: the forward returned " + output.rows() + "x" + output.cols()
                        + " but dL/dy is " + request.gradOutput().numRows + "x" + request.gradOutput().numCols, false);
                return;
            }
            output.backward(Tensor.wrap(request.gradOutput().copy()));
            List<DMatrixRMaj> gradients = new ArrayList<>();
            for (Tensor t : inputs) {
                gradients.add(t.gradData() == null ? null : t.gradData().copy());
            }
            sink.backward(index, gradients);
        } catch (Throwable t) {
            sink.failed(index, phase, reason(t), restartAfter(t));
        }
    }

    private Tensor[] tensors(CaseRequest request, boolean preseed) {
        List<CaseRequest.Input> in = request.inputs();
        Tensor[] tensors = new Tensor[in.size()];
        for (int i = 0; i < tensors.length; i++) {
            CaseRequest.Input input = in.get(i);
            tensors[i] = Tensor.wrap(input.value().copy()).name(input.name()).requiresGrad(input.requiresGrad());
            DMatrixRMaj seed = preseed && request.preseed() != null ? request.preseed().get(i) : null;
            if (seed != null && input.requiresGrad()) {
                tensors[i].backward(Tensor.wrap(seed.copy()));   // a leaf's backward sets its gradient to the seed
            }
        }
        return tensors;
    }

    /** A new instance on exactly {@code args}: the matrices among them are the state the caller reads back. */
    private Function newFunction(Constructor<?> constructor, List<Object> args) {
        try {
            return (Function) constructor.newInstance(args.toArray());
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " cannot be constructed: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private Constructor<?> constructor(List<Object> args) {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            Class<?>[] params = c.getParameterTypes();
            if (params.length != args.size()) {
                continue;
            }
            boolean fits = true;
            for (int i = 0; i < params.length && fits; i++) {
                fits = accepts(params[i], args.get(i));
            }
            if (fits) {
                c.setAccessible(true);
                return c;
            }
        }
        throw new MissingConstructor(type.getSimpleName() + " has no constructor " + type.getSimpleName() + "("
                + String.join(", ", args.stream().map(CaseRunner::typeName).toList())
                + "): keep the constructor of the handout");
    }

    /** A submission without the constructor the handout declares. */
    static final class MissingConstructor extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingConstructor(String message) {
            super(message);
        }
    }

    private static boolean accepts(Class<?> param, Object arg) {
        if (arg instanceof Double) {
            return param == double.class || param == Double.class;
        }
        if (arg instanceof Integer) {
            return param == int.class || param == Integer.class;
        }
        return param.isInstance(arg);
    }

    private static String typeName(Object arg) {
        if (arg instanceof Double) {
            return "double";
        }
        if (arg instanceof Integer) {
            return "int";
        }
        return arg.getClass().getSimpleName();
    }

    static List<Object> copies(List<Object> args) {
        List<Object> copy = new ArrayList<>(args.size());
        for (Object a : args) {
            if (a instanceof DMatrixRMaj m) {
                copy.add(m.copy());
            } else if (a instanceof int[] v) {
                copy.add(v.clone());
            } else if (a instanceof double[] v) {
                copy.add(v.clone());
            } else {
                copy.add(a);
            }
        }
        return copy;
    }

    /** After these the JVM may be in no state to run more of the same code. */
    private static boolean restartAfter(Throwable t) {
        return t instanceof VirtualMachineError || t instanceof ThreadDeath || t instanceof LinkageError;
    }

    /** A throwable as one line: what happened, in words, and where in the submission. */
    String reason(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof ExceptionInInitializerError || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            return "ran out of memory" + (heapLimit == null ? "" : " (the heap limit is " + heapLimit + ")");
        }
        if (t instanceof StackOverflowError) {
            return "overflowed the stack: a recursion that does not end?" + where(t);
        }
        if (t instanceof AccessControlException a && a.getPermission() != null) {
            return forbidden(a.getPermission()) + where(t);
        }
        if (t instanceof MissingConstructor) {
            return t.getMessage();
        }
        if (t instanceof UnsupportedOperationException && t.getMessage() != null && t.getMessage().contains("not written yet")) {
            return t.getMessage();
        }
        String message = t.getMessage() == null ? "" : ": " + oneLine(t.getMessage());
        return "threw " + t.getClass().getSimpleName() + message + where(t);
    }

    private String where(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (ownClass.test(e.getClassName())) {
                return " (at " + simpleName(e.getClassName()) + "." + e.getMethodName()
                        + (e.getLineNumber() > 0 ? ", line " + e.getLineNumber() : "") + ")";
            }
        }
        return "";
    }

    private static String simpleName(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        return s.substring(s.lastIndexOf('$') + 1);
    }

    /** What a denied permission means for a learner. */
    static String forbidden(Permission p) {
        String name = p.getName();
        if (p instanceof FilePermission) {
            if (p.getActions().contains("execute")) {
                return "tried to start a program (" + name + "): a submission may not";
            }
            String verb = p.getActions().contains("write") || p.getActions().contains("delete") ? "write" : "read";
            return "tried to " + verb + " " + name + ", outside its own folder: a submission may use only files in its folder";
        }
        if (p instanceof RuntimePermission && name.startsWith("exitVM")) {
            return "called System.exit(" + name.substring(name.indexOf('.') + 1) + "): a submission may not end the grader's JVM";
        }
        if (p instanceof java.net.SocketPermission) {
            return "tried to open a network connection (" + name + "): a submission may not";
        }
        if (p instanceof java.lang.reflect.ReflectPermission || name.equals("accessDeclaredMembers") || name.equals("createClassLoader")
                || name.equals("getClassLoader") || name.startsWith("accessClassInPackage")) {
            return "used reflection or class loading (" + name + "): a submission may not";
        }
        if (name.equals("setIO") || name.startsWith("writeFileDescriptor") || name.startsWith("readFileDescriptor")) {
            return "tried to take over the standard streams (" + name + "): a submission may print, nothing more";
        }
        return "tried something a submission may not do (" + p.getClass().getSimpleName() + " " + name + ")";
    }

    static String oneLine(String s) {
        String line = s.strip().replaceAll("\\s*\\R\\s*", "; ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    @Override
    public String toString() {
        return "CaseRunner(" + type.getName() + ")";
    }
}
