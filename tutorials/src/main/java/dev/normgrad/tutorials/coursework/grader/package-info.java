/**
 * The autograder ({@code ./normgrad grade}): finds and compiles a submission in memory, refuses delegation
 * to NormGrad and reflection, runs it case by case in a child JVM with time and heap limits, computes the
 * expected values from the reference solution in its own process, and scores each test with feedback in
 * plain words ({@link dev.normgrad.tutorials.coursework.grader.Grader}); results as text, JSON or
 * Gradescope's {@code results.json} ({@link dev.normgrad.tutorials.coursework.grader.GradeReport}), and a
 * ready Gradescope autograder ({@link dev.normgrad.tutorials.coursework.grader.GradescopeBundle}).
 */
package dev.normgrad.tutorials.coursework.grader;
