package dev.normgrad.tutorials.coursework;

import dev.normgrad.tutorials.coursework.assignments.BatchNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.Conv2dAssignment;
import dev.normgrad.tutorials.coursework.assignments.GRUCellAssignment;
import dev.normgrad.tutorials.coursework.assignments.LayerNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.RMSNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.SoftmaxCrossEntropyAssignment;
import java.util.List;
import java.util.stream.Collectors;

/** The assignments NormGrad ships, by name: {@code ./normgrad assignment list}. */
public final class Assignments {
    private static final List<Assignment> ALL = List.of(new LayerNormAssignment(), new BatchNormAssignment(),
            new RMSNormAssignment(), new SoftmaxCrossEntropyAssignment(), new GRUCellAssignment(), new Conv2dAssignment());

    private Assignments() {
    }

    public static List<Assignment> all() {
        return ALL;
    }

    /**
     * The assignment called {@code name}.
     *
     * @throws IllegalArgumentException naming the known ones, if there is none
     */
    public static Assignment get(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown assignment '" + name + "'; the assignments are " + names()));
    }

    /** "layernorm, batchnorm1d, ...". */
    public static String names() {
        return ALL.stream().map(Assignment::name).collect(Collectors.joining(", "));
    }
}
