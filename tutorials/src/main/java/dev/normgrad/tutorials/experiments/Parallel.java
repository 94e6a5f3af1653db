package dev.normgrad.tutorials.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Independent runs (seeds, settings of a sweep) on all the machine's cores. Each run is computed by
 * one thread from its own seeded generators, so its numbers are the same whichever thread runs it and
 * however many there are; results come back in the order of the inputs.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * {@code run} applied to every input, on up to {@link Runtime#availableProcessors()} threads.
     *
     * <pre>{@code
     * List<Double> accuracies = Parallel.map(List.of(1L, 2L, 3L), seed -> trainAndTest(settings, seed));
     * }</pre>
     *
     * @throws RuntimeException the first run's failure (its cause attached), after the others stop
     */
    public static <I, O> List<O> map(List<I> inputs, Function<I, O> run) {
        int threads = Math.max(1, Math.min(inputs.size(), Runtime.getRuntime().availableProcessors()));
        if (threads == 1) {
            return inputs.stream().map(run).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "normgrad-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<O>> futures = new ArrayList<>();
            for (I input : inputs) {
                futures.add(pool.submit(() -> run.apply(input)));
            }
            List<O> out = new ArrayList<>();
            for (Future<O> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("Parallel.map: a run failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Parallel.map: interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #map} over seeds: {@code Parallel.seeds(settings.seeds(), seed -> run(settings, seed))}. */
    public static <O> List<O> seeds(long[] seeds, java.util.function.LongFunction<O> run) {
        List<Long> list = new ArrayList<>();
        for (long s : seeds) {
            list.add(s);
        }
        return map(list, run::apply);
    }
}
