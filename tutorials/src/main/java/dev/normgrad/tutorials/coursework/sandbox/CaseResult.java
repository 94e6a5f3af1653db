package dev.normgrad.tutorials.coursework.sandbox;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * What the code under test produced for one {@link CaseRequest}, assembled from the messages of
 * its run: the forward's output and the state it left, the input gradients (as the buffers hold
 * them, preseed included), GradCheck's verdict, or the phase that failed and why.
 */
public final class CaseResult implements CaseRunner.Sink {
    /** Where a run stopped. */
    public enum Phase {
        FORWARD("forward"), BACKWARD("backward"), GRADCHECK("gradient check"), AFTER("after the case");

        private final String words;

        Phase(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    private DMatrixRMaj output;
    private List<DMatrixRMaj> state;
    private List<DMatrixRMaj> gradients;
    private Boolean gradCheckPassed;
    private String gradCheckText;
    private Phase failedPhase;
    private String failure;
    private boolean restart;
    private long printedBytes;
    private String printed = "";

    @Override
    public void forward(int index, DMatrixRMaj output, List<DMatrixRMaj> state) {
        this.output = output;
        this.state = state;
    }

    @Override
    public void backward(int index, List<DMatrixRMaj> gradients) {
        this.gradients = gradients;
    }

    @Override
    public void gradCheck(int index, boolean passed, String text) {
        gradCheckPassed = passed;
        gradCheckText = text;
    }

    @Override
    public void failed(int index, Phase phase, String reason, boolean restart) {
        if (failedPhase == null) {
            failedPhase = phase;
            failure = reason;
        }
        this.restart |= restart;
    }

    @Override
    public void printed(int index, long bytes, String head) {
        printedBytes = bytes;
        printed = head;
    }

    /** The forward's output, or null if it did not get that far. */
    public DMatrixRMaj output() {
        return output;
    }

    /** The constructor's matrix arguments after the forward (running statistics), or null. */
    public List<DMatrixRMaj> state() {
        return state;
    }

    /** Each input's gradient buffer after the backward (null entries for inputs without), or null. */
    public List<DMatrixRMaj> gradients() {
        return gradients;
    }

    /** GradCheck's verdict, or null if it did not run to the end. */
    public Boolean gradCheckPassed() {
        return gradCheckPassed;
    }

    /** GradCheck's report as text, or null. */
    public String gradCheckText() {
        return gradCheckText;
    }

    /** The phase that failed, or null. */
    public Phase failedPhase() {
        return failedPhase;
    }

    /** Why it failed, one line, or null. */
    public String failure() {
        return failure;
    }

    /** True when the process that ran the case cannot be trusted with another one. */
    public boolean restart() {
        return restart;
    }

    /** How many bytes the code printed during the case. */
    public long printedBytes() {
        return printedBytes;
    }

    /** The start of what it printed. */
    public String printed() {
        return printed;
    }

    /** Whether the phase {@code phase} completed. */
    public boolean reached(Phase phase) {
        return switch (phase) {
            case FORWARD -> output != null;
            case BACKWARD -> gradients != null;
            case GRADCHECK -> gradCheckPassed != null;
            case AFTER -> failedPhase == null;
        };
    }
}
