package dev.normgrad.tutorials.coursework.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the code under test prints, in place of the child's standard output and error: counted, the
 * first {@value #HEAD_BYTES} bytes kept for the feedback, the rest dropped. So printing megabytes
 * costs the grader nothing but the count.
 */
final class CapturedOutput extends OutputStream {
    static final int HEAD_BYTES = 2_000;

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private long bytes;

    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (head.size() < HEAD_BYTES) {
            head.write(b);
        }
        bytes++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, HEAD_BYTES - head.size());
        if (keep > 0) {
            head.write(b, off, keep);
        }
        bytes += len;
    }

    synchronized void reset() {
        head.reset();
        bytes = 0;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized String head() {
        return head.toString(StandardCharsets.UTF_8);
    }
}
