package dev.normgrad.tutorials.coursework;

import dev.normgrad.tutorials.coursework.sandbox.CaseRequest;
import dev.normgrad.tutorials.coursework.sandbox.CaseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * A graded exercise: a reference {@code Function} whose parts to write sit between {@code // BEGIN
 * SOLUTION} and {@code // END SOLUTION}, its README, and the cases it is graded on. The sources live in
 * {@code src/main/resources/dev/normgrad/tutorials/coursework/assignments/NAME/}: {@code CLASS.java}
 * (the reference solution, which is also the handout's skeleton once {@link Handout} strips the marked
 * parts) and {@code README.md} (the math, the shapes, the conventions). This class says how the
 * function is exercised: its public cases (fixed, listed in the README), its hidden ones (drawn from a
 * seed the student does not see, with shapes unlike the public ones), what each test is worth, and
 * what the grader needs to diagnose a wrong gradient in plain words.
 */
public abstract class Assignment {
    /** The seed of every assignment's hidden cases unless the instructor sets one (--seed, NORMGRAD_GRADE_SEED). */
    public static final long DEFAULT_HIDDEN_SEED = 0x6E6F726DL;

    /** Where the assignments' sources live, as a class-path folder. */
    static final String RESOURCES = "/dev/normgrad/tutorials/coursework/assignments/";

    private final String name;
    private final String title;
    private final String className;
    private final String summary;
    private final long publicSeed;

    /**
     * @param name      the command-line name and resource folder ("layernorm")
     * @param title     "LayerNorm backward"
     * @param className the Function's class, the handout's file name without .java ("LayerNormOp")
     * @param summary   one line for {@code ./normgrad assignment list}
     */
    protected Assignment(String name, String title, String className, String summary, long publicSeed) {
        this.name = name;
        this.title = title;
        this.className = className;
        this.summary = summary;
        this.publicSeed = publicSeed;
    }

    public final String name() {
        return name;
    }

    public final String title() {
        return title;
    }

    public final String className() {
        return className;
    }

    public final String summary() {
        return summary;
    }

    /** The cases a student runs with {@code --public}: fixed, and listed in the README. */
    public final List<Case> publicCases() {
        return cases(false, new Random(publicSeed));
    }

    /** The graded cases for {@code seed}: shapes and values unlike the public ones. */
    public final List<Case> hiddenCases(long seed) {
        return cases(true, new Random(seed ^ publicSeed));
    }

    /** The public ({@code hidden} false) or hidden cases, drawn from {@code random}. */
    protected abstract List<Case> cases(boolean hidden, Random random);

    /** How the grader describes, scores and diagnoses the gradient of the input {@code input} in {@code c}. */
    public abstract TensorSpec spec(Case c, String input);

    /**
     * The sizes of {@code c} a wrong factor may come from, for the diagnosis ("N = 5 (the batch size)
     * times too small").
     */
    public abstract List<Size> sizes(Case c);

    /** The names of the state the forward updates (one per matrix constructor argument, in order). */
    public List<String> stateNames() {
        return List.of();
    }

    /** Points for each state tensor left as it should be. */
    public double statePoints() {
        return 1;
    }

    /** Points for GradCheck passing on a case that has a GradCheck test. */
    public double gradCheckPoints() {
        return 2;
    }

    /** Points for the forward's output (0 when the forward is given in the handout: it is only a check). */
    public double forwardPoints() {
        return 0;
    }

    /**
     * The tests of {@code c}, in order: the forward, each input's gradient, each state tensor, and
     * GradCheck if the case has it.
     */
    public final List<Test> tests(Case c) {
        List<Test> tests = new ArrayList<>();
        tests.add(new Test(Test.Kind.FORWARD, "y", "forward", forwardPoints()));
        for (CaseRequest.Input input : c.inputs()) {
            if (input.requiresGrad()) {
                TensorSpec spec = spec(c, input.name());
                tests.add(new Test(Test.Kind.GRADIENT, input.name(), "dL/d" + spec.symbol(), spec.points()));
            }
        }
        for (String state : stateNames()) {
            tests.add(new Test(Test.Kind.STATE, state, state, statePoints()));
        }
        if (c.gradCheck()) {
            tests.add(new Test(Test.Kind.GRADCHECK, "", "GradCheck", gradCheckPoints()));
        }
        return tests;
    }

    /** The points of every test of {@code cases}. */
    public final double maxScore(List<Case> cases) {
        return cases.stream().flatMap(c -> tests(c).stream()).mapToDouble(Test::points).sum();
    }

    /**
     * One graded check of a case.
     *
     * @param target the input (GRADIENT) or state (STATE) it checks
     * @param label  how the report names it: "dL/dγ", "runningVar", "forward", "GradCheck"
     */
    public record Test(Kind kind, String target, String label, double points) {
        /** What a test compares. */
        public enum Kind { FORWARD, GRADIENT, STATE, GRADCHECK }
    }

    /** Classic wrong answers of this exercise, recognised exactly, with what to tell the student. */
    public List<KnownMistake> knownMistakes() {
        return List.of();
    }

    /** The reference solution's source, solution markers included. */
    public final String referenceSource() {
        return resource(className + ".java");
    }

    /** The README template (see {@link Handout}). */
    public final String readmeTemplate() {
        return resource("README.md");
    }

    private String resource(String file) {
        String path = RESOURCES + name + "/" + file;
        try (InputStream in = Assignment.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("assignment " + name + ": resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }

    /** Points as reports print them: "2", "1.5". */
    public static String points(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.1f", p);
    }

    /**
     * How a gradient is named, scored and diagnosed.
     *
     * @param symbol       the input's name in the feedback: "x", "γ", "W_ih"
     * @param points       what a correct gradient is worth
     * @param parameter    whether it sums over the batch (γ, β, W, b): then "kept only the last row" is looked for
     * @param rowBlocks    names for ranges of rows (a GRU's gates), or empty
     * @param columnBlocks names for ranges of columns, or empty
     */
    public record TensorSpec(String symbol, double points, boolean parameter, List<Block> rowBlocks, List<Block> columnBlocks) {
        public TensorSpec {
            rowBlocks = List.copyOf(rowBlocks);
            columnBlocks = List.copyOf(columnBlocks);
        }

        /** A gradient with no structure to name. */
        public static TensorSpec plain(String symbol, double points, boolean parameter) {
            return new TensorSpec(symbol, points, parameter, List.of(), List.of());
        }
    }

    /** A named range [from, to) of rows or columns: "the z gate". */
    public record Block(String label, int from, int to) {
    }

    /** A size of a case: "N", 5, "the batch size". */
    public record Size(String symbol, int value, String meaning) {
    }

    /**
     * A classic wrong answer: the value a given mistake produces for a case, and the sentence that names
     * it. The grader tells the student the sentence when their answer equals that value.
     *
     * @param target the input whose gradient, or the state, it concerns ("gamma", "runningVar")
     */
    public record KnownMistake(String target, String sentence, WrongValue value) {
    }

    /** Computes a mistake's value. */
    @FunctionalInterface
    public interface WrongValue {
        /**
         * @param c         the case
         * @param reference runs the reference solution on a case (to build a wrong answer from right pieces)
         */
        DMatrixRMaj of(Case c, Reference reference);
    }

    /** The reference solution, run in the grader's process. */
    @FunctionalInterface
    public interface Reference {
        CaseResult run(Case c);
    }
}
