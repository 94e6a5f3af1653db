/**
 * Gradient checking as a first-class tool: {@link dev.normgrad.gradcheck.GradCheck} compares
 * backward's gradients with central differences for a function of tensors or for anything
 * {@link dev.normgrad.gradcheck.Checkable} (every layer), and returns a
 * {@link dev.normgrad.gradcheck.GradCheckReport}: one verdict, a table, JSON for autograders, an
 * assertion, and for every failing tensor a {@link dev.normgrad.gradcheck.Diagnosis} of what is
 * wrong. {@link dev.normgrad.gradcheck.GradCheck#locate} checks every op of a graph on its own and
 * returns a {@link dev.normgrad.gradcheck.GraphCheckReport} naming the first wrong one and the
 * module that created it.
 */
package dev.normgrad.gradcheck;
