package dev.normgrad.tutorials.coursework;

import dev.normgrad.tutorials.coursework.sandbox.CaseRequest;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * One input on which an assignment's {@code Function} is graded: the constructor's arguments, the
 * input matrices, dL/dy, and whether GradCheck runs on it too.
 *
 * @param name            "public 1", "hidden 3"
 * @param description     what is special about it: "5x7, odd and non-square", "a constant feature column"
 * @param constructorArgs {@code Double}, {@code Integer}, {@code int[]}, {@code double[]} or {@code DMatrixRMaj}
 *                        (a matrix is state the forward updates: running statistics)
 * @param inputs          the inputs, in the order the function takes them
 * @param gradOutput      dL/dy for the backward
 * @param gradCheck       whether this case also gets a GradCheck test
 */
public record Case(String name, String description, List<Object> constructorArgs, List<CaseRequest.Input> inputs,
        DMatrixRMaj gradOutput, boolean gradCheck) {

    public Case {
        constructorArgs = List.copyOf(constructorArgs);
        inputs = List.copyOf(inputs);
    }

    /** The input called {@code name}. */
    public DMatrixRMaj input(String name) {
        return inputs.stream().filter(i -> i.name().equals(name)).findFirst().map(CaseRequest.Input::value)
                .orElseThrow(() -> new IllegalArgumentException(this.name + " has no input " + name));
    }

    /** The position of the input called {@code name}. */
    public int indexOf(String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(this.name + " has no input " + name);
    }

    /** This case with input {@code name} replaced by {@code value}. */
    public Case with(String name, DMatrixRMaj value) {
        List<CaseRequest.Input> changed = inputs.stream()
                .map(i -> i.name().equals(name) ? new CaseRequest.Input(name, value, i.requiresGrad()) : i).toList();
        return new Case(this.name, description, constructorArgs, changed, gradOutput, gradCheck);
    }

    /** This case with dL/dy replaced. */
    public Case withGradOutput(DMatrixRMaj dy) {
        return new Case(name, description, constructorArgs, inputs, dy, gradCheck);
    }

    /** "public 1 (a 4x6 batch)". */
    public String title() {
        return name + " (" + description + ")";
    }
}
