package dev.normgrad.autograd;

/**
 * A scope in which ops record no graph: outputs do not require grad and nothing is saved for a
 * backward pass. Use it for evaluation, for parameter updates, and for the perturbed forwards of a
 * gradient check.
 *
 * <pre>{@code
 * try (NoGrad off = NoGrad.enter()) {
 *     Tensor prediction = model.forward(x);   // no graph, no memory held for backward
 * }
 * }</pre>
 *
 * Scopes nest and are per thread (like PyTorch's {@code torch.no_grad()}).
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Enters a no-grad scope; close it (try-with-resources) to leave. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** True when the current thread is inside at least one no-grad scope. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
