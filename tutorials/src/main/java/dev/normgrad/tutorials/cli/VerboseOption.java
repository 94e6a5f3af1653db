package dev.normgrad.tutorials.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, accepted by every command: print the stack trace of an error, not only its one line. */
public final class VerboseOption {
    @Option(names = "--verbose", description = "On an error, also print the stack trace.")
    boolean verbose;
}
