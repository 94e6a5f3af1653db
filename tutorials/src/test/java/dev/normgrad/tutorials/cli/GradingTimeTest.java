package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.grader.Submissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget a course plans with: grading one submission takes under 10 s on a 2-core machine. Each
 * assignment's solution is graded by a fresh {@code normgrad grade} process, as Gradescope's
 * {@code run_autograder} does: JVM start, both compilations, the child JVM, every case and GradCheck.
 * What is judged is the CPU time of that process and of the child JVMs it ran (read from
 * {@code /proc/self/stat}: the CPU time of this JVM's reaped children), which a shared machine's load does
 * not inflate; on an idle machine the wall clock is below it, the work running on two cores at once. The
 * wall clock is printed beside it. A budget, not a benchmark.
 */
class GradingTimeTest {
    private static final double BUDGET_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void gradingOneSubmissionInAFreshProcessTakesUnderTenSeconds() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Assignment a : Assignments.all()) {
            Path folder = Submissions.solution(a).writeTo(dir, a.name());
            double cpuBefore = childrenCpuSeconds();
            long start = System.nanoTime();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.normgrad.tutorials.Main", "grade",
                    folder.toString(), "--assignment", a.name()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = childrenCpuSeconds() - cpuBefore;
            System.out.printf(Locale.ROOT, "grading time, %s, fresh process: %.1f s of CPU, %.1f s wall clock%n", a.name(), cpu, wall);
            assertEquals(Cli.OK, p.exitValue(), out);
            assertTrue(cpu > 0 && cpu < BUDGET_SECONDS, a.name() + " took " + cpu + " s of CPU");
        }
    }

    /** User and system time of this JVM's reaped child processes (and theirs), from /proc/self/stat (Linux). */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);   // cutime, cstime: fields 16 and 17
        return ticks / (double) clockTicksPerSecond();
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return 100;   // Linux's USER_HZ on every common platform
        }
    }
}
