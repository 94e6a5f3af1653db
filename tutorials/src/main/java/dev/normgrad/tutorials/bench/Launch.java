package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;

/**
 * The main class of one launch of {@link Launches}: {@code java ... dev.normgrad.tutorials.bench.Launch W2}
 * times the named workload in this fresh JVM ({@link StepTimer}) and prints its line, one JSON
 * object, on standard output.
 */
public final class Launch {
    private Launch() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("Launch: give one workload name, e.g. W2");
            System.exit(2);
        }
        Workload workload = Workload.named(args[0]);
        System.out.println(BenchMain.toJson(StepTimer.measure(workload, MatMulKernel.current().name())));
    }
}
