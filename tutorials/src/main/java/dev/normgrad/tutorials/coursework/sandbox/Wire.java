package dev.normgrad.tutorials.coursework.sandbox;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * The grader's protocol with its child JVM: binary messages on the child's standard input (setup and
 * cases, from the grader) and standard output (results, from the child). What crosses: the
 * submission's compiled classes and the cases' inputs going in; outputs, gradients, verdicts and
 * one-line reasons coming out. Expected values never cross. Every size read is checked against a
 * limit before anything is allocated, so a child that writes garbage cannot make the grader run out
 * of memory.
 */
public final class Wire {
    static final int SETUP = 1;
    static final int CASE = 2;
    static final int QUIT = 3;

    static final int READY = 10;
    static final int FORWARD = 11;
    static final int BACKWARD = 12;
    static final int GRADCHECK = 13;
    static final int FAILED = 14;
    static final int PRINTED = 15;
    static final int DONE = 16;

    private static final int ARG_DOUBLE = 1;
    private static final int ARG_INT = 2;
    private static final int ARG_INTS = 3;
    private static final int ARG_DOUBLES = 4;
    private static final int ARG_MATRIX = 5;

    /** The most entries a matrix on the wire may have (an output far larger than the inputs is refused). */
    public static final int MAX_ENTRIES = 1 << 22;
    /** The most items in a list on the wire. */
    static final int MAX_ITEMS = 10_000;
    /** The largest class file sent. */
    static final int MAX_CLASS_BYTES = 1 << 24;

    private Wire() {
    }

    /** The submission's classes and where it may work, sent once after start-up. */
    public record Setup(Map<String, byte[]> classes, String className, String submissionDir, String scratchDir,
            long outputLimit, String heapLimit) {
    }

    // ------------------------------------------------------------------ grader -> child

    public static void writeSetup(DataOutputStream out, Setup setup) throws IOException {
        out.writeByte(SETUP);
        out.writeInt(setup.classes().size());
        for (Map.Entry<String, byte[]> e : setup.classes().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            out.write(e.getValue());
        }
        out.writeUTF(setup.className());
        out.writeUTF(setup.submissionDir());
        out.writeUTF(setup.scratchDir());
        out.writeLong(setup.outputLimit());
        out.writeUTF(setup.heapLimit());
        out.flush();
    }

    static Setup readSetup(DataInputStream in) throws IOException {
        expect(in, SETUP);
        int n = count(in);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > MAX_CLASS_BYTES) {
                throw new IOException("class " + name + " of " + length + " bytes");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            classes.put(name, bytes);
        }
        return new Setup(classes, in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readUTF());
    }

    public static void writeCase(DataOutputStream out, CaseRequest r) throws IOException {
        out.writeByte(CASE);
        out.writeByte(r.mode().ordinal());
        out.writeInt(r.index());
        out.writeInt(r.constructorArgs().size());
        for (Object a : r.constructorArgs()) {
            writeArg(out, a);
        }
        out.writeInt(r.inputs().size());
        for (CaseRequest.Input input : r.inputs()) {
            out.writeUTF(input.name());
            out.writeBoolean(input.requiresGrad());
            writeMatrix(out, input.value());
        }
        writeOptional(out, r.gradOutput());
        List<DMatrixRMaj> preseed = r.preseed() == null ? List.of() : r.preseed();
        out.writeInt(preseed.size());
        for (DMatrixRMaj m : preseed) {
            writeOptional(out, m);
        }
        out.flush();
    }

    public static void writeQuit(DataOutputStream out) throws IOException {
        out.writeByte(QUIT);
        out.flush();
    }

    /** The next case, or null on QUIT. */
    static CaseRequest readCase(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == QUIT) {
            return null;
        }
        if (tag != CASE) {
            throw new IOException("expected a case, got message " + tag);
        }
        CaseRequest.Mode mode = CaseRequest.Mode.values()[in.readUnsignedByte()];
        int index = in.readInt();
        int nArgs = count(in);
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < nArgs; i++) {
            args.add(readArg(in));
        }
        int nInputs = count(in);
        List<CaseRequest.Input> inputs = new ArrayList<>();
        for (int i = 0; i < nInputs; i++) {
            String name = in.readUTF();
            boolean requiresGrad = in.readBoolean();
            inputs.add(new CaseRequest.Input(name, readMatrix(in), requiresGrad));
        }
        DMatrixRMaj gradOutput = readOptional(in);
        int nSeeds = count(in);
        List<DMatrixRMaj> preseed = new ArrayList<>();
        for (int i = 0; i < nSeeds; i++) {
            preseed.add(readOptional(in));
        }
        return new CaseRequest(mode, index, args, inputs, gradOutput, preseed);
    }

    // ------------------------------------------------------------------ child -> grader

    /** Writes a child's results as messages; one per call, flushed. */
    static final class Writer implements CaseRunner.Sink {
        private final DataOutputStream out;

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void ready() throws IOException {
            out.writeByte(READY);
            out.flush();
        }

        void done(int index) throws IOException {
            out.writeByte(DONE);
            out.writeInt(index);
            out.flush();
        }

        @Override
        public void forward(int index, DMatrixRMaj output, List<DMatrixRMaj> state) {
            write(() -> {
                out.writeByte(FORWARD);
                out.writeInt(index);
                writeMatrix(out, output);
                out.writeInt(state.size());
                for (DMatrixRMaj m : state) {
                    writeMatrix(out, m);
                }
            });
        }

        @Override
        public void backward(int index, List<DMatrixRMaj> gradients) {
            write(() -> {
                out.writeByte(BACKWARD);
                out.writeInt(index);
                out.writeInt(gradients.size());
                for (DMatrixRMaj m : gradients) {
                    writeOptional(out, m);
                }
            });
        }

        @Override
        public void gradCheck(int index, boolean passed, String text) {
            write(() -> {
                out.writeByte(GRADCHECK);
                out.writeInt(index);
                out.writeBoolean(passed);
                writeText(out, text);
            });
        }

        @Override
        public void failed(int index, CaseResult.Phase phase, String reason, boolean restart) {
            write(() -> {
                out.writeByte(FAILED);
                out.writeInt(index);
                out.writeByte(phase.ordinal());
                writeText(out, reason);
                out.writeBoolean(restart);
            });
        }

        @Override
        public void printed(int index, long bytes, String head) {
            write(() -> {
                out.writeByte(PRINTED);
                out.writeInt(index);
                out.writeLong(bytes);
                writeText(out, head);
            });
        }

        private interface Action {
            void run() throws IOException;
        }

        private void write(Action action) {
            try {
                action.run();
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the grader stopped listening", e);
            }
        }
    }

    /** Waits for READY. */
    public static void readReady(DataInputStream in) throws IOException {
        expect(in, READY);
    }

    /**
     * Reads the messages of one case into {@code sink} up to its DONE; returns false if the stream ended
     * first (the child died).
     */
    public static boolean readResults(DataInputStream in, int index, CaseRunner.Sink sink) throws IOException {
        while (true) {
            int tag = in.read();
            if (tag < 0) {
                return false;
            }
            int at = in.readInt();
            if (at != index) {
                throw new IOException("a message for case " + at + " while case " + index + " runs");
            }
            switch (tag) {
                case FORWARD -> {
                    DMatrixRMaj output = readMatrix(in);
                    int n = count(in);
                    List<DMatrixRMaj> state = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        state.add(readMatrix(in));
                    }
                    sink.forward(index, output, state);
                }
                case BACKWARD -> {
                    int n = count(in);
                    List<DMatrixRMaj> gradients = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        gradients.add(readOptional(in));
                    }
                    sink.backward(index, gradients);
                }
                case GRADCHECK -> sink.gradCheck(index, in.readBoolean(), readText(in));
                case FAILED -> sink.failed(index, CaseResult.Phase.values()[Math.min(in.readUnsignedByte(), 3)], readText(in), in.readBoolean());
                case PRINTED -> sink.printed(index, in.readLong(), readText(in));
                case DONE -> {
                    return true;
                }
                default -> throw new IOException("unknown message " + tag);
            }
        }
    }

    // ------------------------------------------------------------------ values

    private static void writeArg(DataOutputStream out, Object a) throws IOException {
        if (a instanceof Double d) {
            out.writeByte(ARG_DOUBLE);
            out.writeDouble(d);
        } else if (a instanceof Integer i) {
            out.writeByte(ARG_INT);
            out.writeInt(i);
        } else if (a instanceof int[] v) {
            out.writeByte(ARG_INTS);
            out.writeInt(v.length);
            for (int x : v) {
                out.writeInt(x);
            }
        } else if (a instanceof double[] v) {
            out.writeByte(ARG_DOUBLES);
            out.writeInt(v.length);
            for (double x : v) {
                out.writeDouble(x);
            }
        } else if (a instanceof DMatrixRMaj m) {
            out.writeByte(ARG_MATRIX);
            writeMatrix(out, m);
        } else {
            throw new IllegalArgumentException("a constructor argument must be a double, int, int[], double[] or DMatrixRMaj, got "
                    + (a == null ? "null" : a.getClass().getName()));
        }
    }

    private static Object readArg(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case ARG_DOUBLE:
                return in.readDouble();
            case ARG_INT:
                return in.readInt();
            case ARG_INTS: {
                int[] v = new int[entries(in.readInt())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readInt();
                }
                return v;
            }
            case ARG_DOUBLES: {
                double[] v = new double[entries(in.readInt())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                }
                return v;
            }
            case ARG_MATRIX:
                return readMatrix(in);
            default:
                throw new IOException("unknown argument type " + tag);
        }
    }

    static void writeMatrix(DataOutputStream out, DMatrixRMaj m) throws IOException {
        out.writeInt(m.numRows);
        out.writeInt(m.numCols);
        int n = m.getNumElements();
        for (int i = 0; i < n; i++) {
            out.writeDouble(m.data[i]);
        }
    }

    static DMatrixRMaj readMatrix(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows < 0 || cols < 0 || (long) rows * cols > MAX_ENTRIES) {
            throw new IOException("a " + rows + "x" + cols + " matrix exceeds the limit of " + MAX_ENTRIES + " entries");
        }
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data[i] = in.readDouble();
        }
        return m;
    }

    private static void writeOptional(DataOutputStream out, DMatrixRMaj m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            writeMatrix(out, m);
        }
    }

    private static DMatrixRMaj readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? readMatrix(in) : null;
    }

    /** Text of any length as at most 16,000 characters of modified UTF-8 (writeUTF's 64 KB limit). */
    private static void writeText(DataOutputStream out, String text) throws IOException {
        String s = text == null ? "" : text;
        out.writeUTF(s.length() > 16_000 ? s.substring(0, 16_000) : s);
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readUTF();
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("a list of " + n + " items");
        }
        return n;
    }

    private static int entries(int n) throws IOException {
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException("an array of " + n + " entries");
        }
        return n;
    }

    private static void expect(DataInputStream in, int tag) throws IOException {
        int got = in.read();
        if (got != tag) {
            throw new IOException(got < 0 ? "the stream ended" : "expected message " + tag + ", got " + got);
        }
    }
}
