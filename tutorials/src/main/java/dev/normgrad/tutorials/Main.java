package dev.normgrad.tutorials;

import dev.normgrad.tutorials.bench.BenchMain;
import dev.normgrad.tutorials.experiments.RunAll;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * NormGrad's command line, run by the {@code ./normgrad} launcher: {@code demo} (the default),
 * {@code bench} (JMH benchmarks, one JSON line per workload: {@link dev.normgrad.tutorials.bench.BenchMain}).
 * Exit status 0 on success, 2 on bad usage.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "demo" : args[0];
        switch (command) {
            case "demo":
                Demo.run(out);
                return 0;
            case "bench":
                return BenchMain.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "experiments":
                return RunAll.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "--help":
            case "-h":
            case "help":
                out.println(usage());
                return 0;
            default:
                err.println("normgrad: unknown command '" + command + "'");
                err.println(usage());
                return 2;
        }
    }

    static String usage() {
        return "Usage: ./normgrad [command]\n"
                + "Commands:\n"
                + "  demo    backward through a small sigmoid network, its gradients, and a gradient check (default)\n"
                + "  bench   benchmarks: GEMM per kernel path and the reference workloads, one JSON line each\n"
                + "          (about two minutes; `bench gemm`, `bench w1`, `bench w2` or `bench w3` for one part)\n"
                + "  experiments  the experiments of notebooks 3-5 at full size and the claims read off them, as JSON\n"
                + "          (about a minute per seed; `experiments --seeds 1,2,3 --pretty`)\n"
                + "  help    this text";
    }
}
