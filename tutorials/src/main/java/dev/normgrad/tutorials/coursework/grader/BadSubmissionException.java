package dev.normgrad.tutorials.coursework.grader;

/**
 * A submission folder the grader cannot grade at all — missing, holding no Java source, holding two
 * candidate classes, too large. The message is one line naming the problem and what to do; the
 * command line exits with status 2 (and still writes the result file, score 0).
 */
public final class BadSubmissionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadSubmissionException(String message) {
        super(message);
    }
}
