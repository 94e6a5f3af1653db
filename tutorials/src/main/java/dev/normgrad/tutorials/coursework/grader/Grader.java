package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.autograd.Function;
import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.Case;
import dev.normgrad.tutorials.coursework.sandbox.CaseRequest;
import dev.normgrad.tutorials.coursework.sandbox.CaseResult;
import dev.normgrad.tutorials.coursework.sandbox.CaseRunner;
import dev.normgrad.tutorials.coursework.sandbox.Wire;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.ejml.data.DMatrixRMaj;

/**
 * NormGrad's autograder. {@link #grade} takes a submission folder through:
 * <ol>
 *   <li>its sources ({@code .java} files, or the class cells of its notebook);</li>
 *   <li>compilation in memory ({@code javax.tools}): a compile error scores 0, the compiler's messages
 *       in the feedback;</li>
 *   <li>the candidate class: the one top-level class extending {@code Function} (none or two: bad
 *       input);</li>
 *   <li>the integrity check of the compiled classes ({@link Integrity}): delegation to NormGrad's own
 *       implementation, or reflection, scores 0 with the reason;</li>
 *   <li>the cases — public, or hidden from a seed the student does not see — each run in a child JVM
 *       ({@link ChildJvm}) under a wall-clock limit, a heap limit and a security manager; the
 *       inputs go in, outputs and gradients come out;</li>
 *   <li>the expected values, computed here from the reference solution (compiled from the assignment's
 *       source, never sent to the child), and the score per test with feedback in plain words
 *       ({@link Scorer}).</li>
 * </ol>
 * Whatever the submission does, {@code grade} returns a report; it throws only
 * {@link BadSubmissionException} (no source, two candidates) for the caller to report as bad input.
 */
public final class Grader {
    /**
     * How to grade.
     *
     * @param publicTests the public cases (else the hidden ones)
     * @param seed        the hidden cases' seed
     */
    public record Options(boolean publicTests, long seed, Limits limits) {
        public static Options hidden(long seed) {
            return new Options(false, seed, Limits.DEFAULT);
        }

        public static Options publicOnes() {
            return new Options(true, Assignment.DEFAULT_HIDDEN_SEED, Limits.DEFAULT);
        }

        /** These options with a per-case wall-clock limit and a heap limit. */
        public Options withLimits(Duration perCase, int heapMegabytes) {
            return new Options(publicTests, seed, new Limits(perCase, heapMegabytes, limits.outputBytes(), limits.startup()));
        }
    }

    private static final long COMPILE_SECONDS = 60;
    private static final Map<String, Class<?>> REFERENCES = new ConcurrentHashMap<>();

    private final Assignment assignment;
    private final Options options;

    public Grader(Assignment assignment, Options options) {
        this.assignment = assignment;
        this.options = options;
    }

    /**
     * The public tests on a class of your own, run here (in a notebook's JVM, say), with the grader's
     * scoring and feedback: what {@code ./normgrad grade FOLDER --assignment NAME --public} prints.
     */
    public static GradeReport publicTests(String assignmentName, Class<?> yours) {
        return new Grader(Assignments.get(assignmentName), Options.publicOnes()).gradeHere(yours);
    }

    /**
     * Grades a class already loaded in this JVM, without the child JVM, its limits or its integrity
     * check: for a learner's own notebook, and for tests of the scoring.
     */
    GradeReport gradeHere(Class<?> yours) {
        if (!Function.class.isAssignableFrom(yours)) {
            return ungraded(yours.getSimpleName(), GradeReport.Status.BAD_SUBMISSION, yours.getSimpleName() + " does not extend Function");
        }
        CaseRunner runner = new CaseRunner(yours, name -> name.equals(yours.getName()) || name.startsWith(yours.getName() + "$"), null);
        return run("class " + yours.getSimpleName() + " in this JVM", null, request -> {
            CaseResult r = new CaseResult();
            runner.run(request, r);
            return r;
        }, null);
    }

    private List<Case> cases() {
        return options.publicTests() ? assignment.publicCases() : assignment.hiddenCases(options.seed());
    }

    /** Grades the submission in {@code folder} ({@code shown}: as the user named it). */
    public GradeReport grade(Path folder, String shown) {
        List<SubmissionSources.Source> sources = SubmissionSources.find(folder, shown);
        ChildJvm first = ChildJvm.launch(options.limits());   // boots while the grader compiles
        try {
            Class<?> reference = reference(assignment);
            InMemoryCompiler.Result compiled = new InMemoryCompiler(ChildJvm.compileClassPath(), COMPILE_SECONDS).compile(sources);
            if (!compiled.ok()) {
                first.close();
                return GradeReport.ungraded(assignment.name(), assignment.title(), shown, options.publicTests(),
                        GradeReport.Status.COMPILE_ERROR, "It does not compile, so no test ran; the compiler says:",
                        compiled.errors(), notRun(cases(), "not run: the submission does not compile"));
            }
            Map<String, ClassFile> classes = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> e : compiled.classes().entrySet()) {
                classes.put(e.getKey(), ClassFile.read(e.getValue()));
            }
            String candidate = candidate(classes, shown);
            List<Integrity.Finding> findings = Integrity.check(classes.values());
            if (!findings.isEmpty()) {
                first.close();
                return GradeReport.ungraded(assignment.name(), assignment.title(), shown, options.publicTests(),
                        GradeReport.Status.INTEGRITY, "Scored 0: the submission does not compute the gradient itself.",
                        findings.stream().map(Integrity.Finding::toString).distinct().toList(),
                        notRun(cases(), "not run: the submission hands its work to NormGrad (see above)"));
            }
            Wire.Setup setup = new Wire.Setup(compiled.classes(), candidate, folder.toAbsolutePath().normalize().toString(), "",
                    options.limits().outputBytes(), options.limits().heapMegabytes() + " MB");
            Children children = new Children(first, setup);
            try {
                String graded = candidate.substring(candidate.lastIndexOf('.') + 1) + " (" + String.join(", ",
                        sources.stream().map(SubmissionSources.Source::shown).toList()) + ")";
                return run(shown, graded, children::run, reference);
            } finally {
                children.close();
            }
        } catch (IOException e) {
            first.close();
            throw new IllegalStateException("could not read the compiled classes: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            first.close();
            throw e;
        }
    }

    /** Runs every case of this grader on {@code submission} and scores it against the reference. */
    private GradeReport run(String shown, String gradedClass, java.util.function.Function<CaseRequest, CaseResult> submission,
            Class<?> referenceClass) {
        Class<?> ref = referenceClass != null ? referenceClass : reference(assignment);
        CaseRunner referenceRunner = new CaseRunner(ref, name -> true, null);
        Assignment.Reference reference = c -> {
            CaseResult r = new CaseResult();
            referenceRunner.run(request(c, 0, CaseRequest.Mode.RUN, null), r);
            if (r.failedPhase() != null) {
                throw new IllegalStateException(assignment.name() + ": the reference solution failed on " + c.title() + ": " + r.failure());
            }
            return r;
        };
        Scorer scorer = new Scorer(assignment, reference);
        List<Case> cases = cases();
        List<GradeReport.TestResult> results = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            List<DMatrixRMaj> preseed = preseed(c, i);
            CaseResult run = submission.apply(request(c, 2 * i, CaseRequest.Mode.RUN, preseed));
            CaseResult gradCheck = c.gradCheck() ? submission.apply(request(c, 2 * i + 1, CaseRequest.Mode.GRADCHECK, null)) : null;
            results.addAll(scorer.score(c, run, gradCheck, reference.run(c), preseed));
        }
        return new GradeReport(assignment.name(), assignment.title(), shown, options.publicTests(), GradeReport.Status.GRADED, null,
                List.of(), gradedClass, results);
    }

    private static CaseRequest request(Case c, int index, CaseRequest.Mode mode, List<DMatrixRMaj> preseed) {
        return new CaseRequest(mode, index, c.constructorArgs(), c.inputs(), c.gradOutput(), preseed);
    }

    /** The gradient each input holds before the backward: random, so that = where += belongs shows. */
    private List<DMatrixRMaj> preseed(Case c, int index) {
        Random random = new Random(options.seed() * 31 + index);
        List<DMatrixRMaj> seeds = new ArrayList<>();
        for (CaseRequest.Input input : c.inputs()) {
            if (!input.requiresGrad()) {
                seeds.add(null);
                continue;
            }
            DMatrixRMaj m = new DMatrixRMaj(input.value().numRows, input.value().numCols);
            for (int k = 0; k < m.getNumElements(); k++) {
                m.data[k] = random.nextGaussian();
            }
            seeds.add(m);
        }
        return seeds;
    }

    /** Every test of {@code cases}, 0 points, with {@code why}. */
    List<GradeReport.TestResult> notRun(List<Case> cases, String why) {
        List<GradeReport.TestResult> results = new ArrayList<>();
        for (Case c : cases) {
            for (Assignment.Test t : assignment.tests(c)) {
                results.add(new GradeReport.TestResult(c.title(), t.label(), 0, t.points(), false, why, "did_not_run"));
            }
        }
        return results;
    }

    /** Every test of this grader's cases, 0 points, with {@code why}: for a submission that could not be graded. */
    public GradeReport ungraded(String shown, GradeReport.Status status, String message) {
        return GradeReport.ungraded(assignment.name(), assignment.title(), shown, options.publicTests(), status, message, List.of(),
                notRun(cases(), "not run: " + message));
    }

    /** The one top-level concrete class whose superclasses (within the submission) reach Function. */
    private String candidate(Map<String, ClassFile> classes, String shown) {
        List<String> found = new ArrayList<>();
        for (ClassFile c : classes.values()) {
            if (!c.topLevel() || c.isAbstract() || c.isInterface()) {
                continue;
            }
            String parent = c.superName();
            int hops = 0;
            while (parent != null && classes.containsKey(parent) && hops++ < 100) {
                parent = classes.get(parent).superName();
            }
            if (Function.class.getName().equals(parent)) {
                found.add(c.name());
            }
        }
        if (found.isEmpty()) {
            throw new BadSubmissionException(shown + ": no class extends dev.normgrad.autograd.Function (the handout's "
                    + assignment.className() + " does): keep the class of the handout");
        }
        if (found.size() > 1) {
            throw new BadSubmissionException(shown + ": two candidate classes extend Function, " + found.get(0) + " and " + found.get(1)
                    + "; keep one (helper classes must not extend Function)");
        }
        return found.get(0);
    }

    /** The assignment's reference solution, compiled from its source in this process (once per JVM). */
    static Class<?> reference(Assignment a) {
        return REFERENCES.computeIfAbsent(a.name(), n -> {
            InMemoryCompiler.Result r = new InMemoryCompiler(ChildJvm.compileClassPath(), COMPILE_SECONDS)
                    .compile(List.of(new SubmissionSources.Source(a.className() + ".java", a.className() + ".java", a.referenceSource())));
            if (!r.ok()) {
                throw new IllegalStateException(a.name() + ": the reference solution does not compile: " + r.errors());
            }
            try {
                return r.load(a.className(), Grader.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(a.name() + ": the reference source declares no class " + a.className(), e);
            }
        });
    }

    /** Child JVMs for one submission: a fresh one whenever the last one cannot be trusted with another case. */
    private final class Children implements AutoCloseable {
        private final Wire.Setup setup;
        private ChildJvm current;
        private boolean loaded;

        Children(ChildJvm first, Wire.Setup setup) {
            this.current = first;
            this.setup = setup;
        }

        CaseResult run(CaseRequest request) {
            if (current == null || !current.usable()) {
                if (current != null) {
                    current.close();
                }
                current = ChildJvm.launch(options.limits());
                loaded = false;
            }
            if (!loaded) {
                StringBuilder why = new StringBuilder();
                Wire.Setup s = new Wire.Setup(setup.classes(), setup.className(), setup.submissionDir(), current.scratch().toString(),
                        setup.outputLimit(), setup.heapLimit());
                if (!current.load(s, why)) {
                    CaseResult failed = new CaseResult();
                    failed.failed(request.index(), request.mode() == CaseRequest.Mode.RUN ? CaseResult.Phase.FORWARD
                            : CaseResult.Phase.GRADCHECK, "could not be started: " + why, true);
                    current.close();
                    current = null;
                    return failed;
                }
                loaded = true;
            }
            return current.run(request);
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
        }
    }
}
