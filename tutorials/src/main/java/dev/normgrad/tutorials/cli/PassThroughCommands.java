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

    /** {@code normgrad bench [gemm|w1|w2|w3|norm|cpu]}: {@link BenchMain}. */
    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Benchmarks: GEMM per kernel path and the reference workloads, one JSON line each "
                    + "(about two minutes).",
                    "`bench gemm`, `bench w1`, `bench w2`, `bench w3` or `bench norm` (fused vs composed "
                            + "normalization) runs one part.",
                    "`bench cpu` times W1-W3 and their raw baselines by thread CPU time, for a shared machine "
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
