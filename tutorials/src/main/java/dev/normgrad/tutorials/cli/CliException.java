package dev.normgrad.tutorials.cli;

/**
 * Bad input to the command line — a missing file, malformed JSON, an unknown layer type, a shape that
 * does not fit: the command prints its message as one line on stderr and exits with status
 * {@link Cli#BAD_INPUT}. The message names the file and the field, and says what to do instead.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
