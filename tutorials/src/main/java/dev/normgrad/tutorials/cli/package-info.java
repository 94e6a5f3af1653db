/**
 * The {@code ./normgrad} command line (picocli): {@link dev.normgrad.tutorials.cli.NormGradCommand} is
 * the program (its {@code main} is what the launcher runs); {@link dev.normgrad.tutorials.cli.Cli} builds the
 * command tree, runs a command and maps what went wrong to an exit status (0 done, 1 a gradient check
 * failed, 2 bad input, 3 a bug), printing bad input as one line that names the file and the field.
 * One class per command: {@code DemoCommand}, {@code GradcheckCommand}, {@code TrainCommand} (its
 * config read by {@code TrainConfig}, {@code ConfigObject} and {@code ConfigModel}, which check every
 * key, type, range and size before anything runs), {@code NotebookCommand}, {@code ExperimentsCommand}, the bench command, {@code AssignmentCommand} and {@code GradeCommand} (the coursework). Shared:
 * {@code JsonFile} (strict JSON files and tensors), {@code OutputFolder} (all-or-nothing output),
 * {@link dev.normgrad.tutorials.cli.Context} (what a command reads from its surroundings, so that
 * tests run the commands in-process). Reference: {@code tutorials/docs/command-line.md}.
 */
package dev.normgrad.tutorials.cli;
