package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another: {@code y = m_k(…m_2(m_1(x)))}. Children are named 0, 1, 2…
 * as in PyTorch, so parameters read {@code 0.weight}, {@code 1.runningMean}.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(64, 100), new BatchNorm1d(100), new ReLU(), new Linear(100, 10));
 * }</pre>
 */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module layer : layers) {
            add(layer);
        }
    }

    /** Appends a layer; returns this. */
    public Sequential add(Module layer) {
        if (layer == null) {
            throw new IllegalArgumentException("Sequential: layer " + layers.size() + " is null");
        }
        registerModule(String.valueOf(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    /** Layer {@code i} (0-based). */
    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }
}
