package dev.normgrad.tutorials.cli;

import dev.normgrad.tutorials.bench.BenchMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** The command whose arguments its own runner parses: {@code bench}. */
public final class PassThroughCommands {
    private PassThroughCommands() {
    }

    /** {@code normgrad bench [gemm|w1|w2|w3|w4|norm|ops|profile|cpu] [--launches N]}: {@link BenchMain}. */
    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Benchmarks: GEMM per kernel path and the reference workloads, one JSON line each "
                    + "(a few minutes).",
                    "`bench gemm`, `bench w1`, `bench w2`, `bench w3`, `bench w4` (the small CNN), `bench norm` (fused "
                            + "vs composed normalization) or `bench ops` (elementwise loops) runs one part.",
                    "`bench w1 w2 w3 w4 --launches N` times each workload in N fresh JVMs: min, median and max.",
                    "`bench profile w1 w2` says where a step's time goes (GEMM, elementwise, normalization, "
                            + "allocation, graph), beside the GEMM's physical limit.",
                    "`bench cpu` times W1-W4 and their raw baselines by thread CPU time, for a shared machine "
                            + "(with OPENBLAS_NUM_THREADS=1)."})
    public static final class Bench implements Callable<Integer> {
        private final Context context;

        @Unmatched
        List<String> args = new ArrayList<>();

        public Bench(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return BenchMain.run(withoutVerbose(args), context.out(), context.err());
        }
    }

    private static String[] withoutVerbose(List<String> args) {
        return args.stream().filter(a -> !a.equals("--verbose")).toArray(String[]::new);
    }
}
