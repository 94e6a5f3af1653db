package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * PyTorch's {@code nn.Flatten}: turns each sample's (C, H, W) image into C·H·W features for a
 * {@link Linear}. NormGrad's rows are already flat — an image batch is N × (C·H·W), one image per
 * row in (C, H, W) row-major order ({@link ImageShape}) — so Flatten returns its input unchanged
 * (the same tensor, no copy). It is there so that a network reads like its PyTorch original and
 * says where images end and features begin:
 *
 * <pre>{@code
 * new Sequential(conv, new BatchNorm2d(8), new ReLU(), pool, new Flatten(), new Linear(8 * 4 * 4, 10))
 * }</pre>
 */
public class Flatten extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
