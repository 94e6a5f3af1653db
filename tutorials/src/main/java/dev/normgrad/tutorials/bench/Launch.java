package dev.normgrad.tutorials.bench;

/**
 * The main class of one launch of {@link Launches}: {@code java ... dev.normgrad.tutorials.bench.Launch W2 [SECONDS]}
 * times the named workload in this fresh JVM ({@link StepTimer}), after SECONDS of warm-up (the
 * workload's own by default), and prints its line, one JSON object, on standard output.
 */
public final class Launch {
    private Launch() {
    }

    public static void main(String[] args) {
        if (args.length != 1 && args.length != 2) {
            System.err.println("Launch: give one workload name, e.g. W2, and optionally the seconds of warm-up");
            System.exit(2);
        }
        Workload workload = Workload.named(args[0]);
        double warmUp = args.length == 2 ? Double.parseDouble(args[1]) : workload.warmUpSeconds();
        System.out.println(BenchMain.toJson(StepTimer.measure(workload, BenchMain.blasLabel(), warmUp)));
    }
}
