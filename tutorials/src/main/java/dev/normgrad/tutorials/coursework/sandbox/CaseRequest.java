package dev.normgrad.tutorials.coursework.sandbox;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * One graded case, as sent to the code under test: what to construct, what to feed it, and nothing
 * about the answer. In {@link Mode#RUN} the submission's {@code Function} is constructed with
 * {@code constructorArgs}, applied to the inputs, then back-propagated from {@code gradOutput}; every
 * input that requires a gradient starts with the gradient {@code preseed} (so that a backward which
 * overwrites its buffer instead of adding into it shows). In {@link Mode#GRADCHECK} the same function
 * is checked by {@code GradCheck} on the inputs.
 *
 * @param constructorArgs the constructor's arguments: {@code Double}, {@code Integer}, {@code int[]},
 *                        {@code double[]} or {@code DMatrixRMaj}; matrices among them are state the
 *                        forward may update (running statistics), reported back after the forward
 * @param gradOutput      dL/dy, the output's shape (RUN only)
 * @param preseed         one matrix per input (null for an input that needs no gradient; RUN only)
 */
public record CaseRequest(Mode mode, int index, List<Object> constructorArgs, List<Input> inputs, DMatrixRMaj gradOutput,
        List<DMatrixRMaj> preseed) {

    /** Run forward and backward, or check the gradient. */
    public enum Mode { RUN, GRADCHECK }

    /** A named input matrix. */
    public record Input(String name, DMatrixRMaj value, boolean requiresGrad) {
    }
}
