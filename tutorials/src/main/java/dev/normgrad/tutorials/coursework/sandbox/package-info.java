/**
 * What runs in the grader's child JVM — the only place a submission's code runs — and the protocol between
 * the two: the child's entry point under a security manager
 * ({@link dev.normgrad.tutorials.coursework.sandbox.SandboxMain}), the run of one case through the engine's
 * public API ({@link dev.normgrad.tutorials.coursework.sandbox.CaseRunner}), and the binary messages
 * ({@link dev.normgrad.tutorials.coursework.sandbox.Wire}). It needs nothing of the tutorials module but
 * itself: the child's class path holds this package, the engine and EJML.
 */
package dev.normgrad.tutorials.coursework.sandbox;
