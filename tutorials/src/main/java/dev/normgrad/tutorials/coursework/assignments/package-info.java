/**
 * How each assignment is exercised: its public and hidden cases, what each test is worth, how each
 * gradient is named and diagnosed, and its classic mistakes, recognised exactly. The reference solutions
 * and READMEs are resources, in {@code dev/normgrad/tutorials/coursework/assignments/NAME/}.
 */
package dev.normgrad.tutorials.coursework.assignments;
