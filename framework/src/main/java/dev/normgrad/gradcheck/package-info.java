/**
 * Gradient checking as a first-class tool: {@link dev.normgrad.gradcheck.GradCheck} compares
 * backward's gradients with central differences for a function of tensors or for anything
 * {@link dev.normgrad.gradcheck.Checkable} (every layer), and returns a
 * {@link dev.normgrad.gradcheck.GradCheckReport}: a table, JSON for autograders, and an assertion.
 */
package dev.normgrad.gradcheck;
