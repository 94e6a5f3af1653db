/**
 * Coursework: the assignments NormGrad ships and the tools of chapter 7.
 *
 * <p>An {@link dev.normgrad.tutorials.coursework.Assignment} is a reference {@code Function} whose parts
 * to write sit between {@code // BEGIN SOLUTION} and {@code // END SOLUTION} (nbgrader's markers), its
 * README, and the cases it is graded on; the sources live in
 * {@code src/main/resources/dev/normgrad/tutorials/coursework/assignments/NAME/}, the cases in
 * {@link dev.normgrad.tutorials.coursework.assignments}. {@link dev.normgrad.tutorials.coursework.Assignments}
 * lists them; {@link dev.normgrad.tutorials.coursework.Handout} makes the folder a student gets. The
 * autograder is in {@link dev.normgrad.tutorials.coursework.grader}, the code that runs a submission in
 * its own JVM in {@link dev.normgrad.tutorials.coursework.sandbox}. A course's guide:
 * {@code tutorials/docs/teaching.md}.
 *
 * <p>For notebook 7 ("check your own layer"): the forward half of a LayerNorm whose backward the learner
 * writes ({@link dev.normgrad.tutorials.coursework.FeatureLayerNorm}), the naive gradient check the chapter
 * warns about ({@link dev.normgrad.tutorials.coursework.NaiveGradCheck}), float32 simulated in float64
 * ({@link dev.normgrad.tutorials.coursework.RoundToFloat}), and the error of a finite difference against
 * its step ({@link dev.normgrad.tutorials.coursework.StepSweep}).
 */
package dev.normgrad.tutorials.coursework;
