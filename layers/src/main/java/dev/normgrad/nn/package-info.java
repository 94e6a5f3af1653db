/**
 * Layers: {@link dev.normgrad.nn.Module} (parameters, buffers, train/eval, hooks, state for gradient
 * checks), {@link dev.normgrad.nn.Sequential}, {@link dev.normgrad.nn.Linear} (PyTorch's weight layout
 * and default initialisation), the activations {@link dev.normgrad.nn.ReLU},
 * {@link dev.normgrad.nn.LeakyReLU}, {@link dev.normgrad.nn.Tanh}, {@link dev.normgrad.nn.Sigmoid},
 * {@link dev.normgrad.nn.GELU}, and {@link dev.normgrad.nn.Dropout} (inverted, seeded, its generator
 * restorable), {@link dev.normgrad.nn.Identity}; for images — rows of C·H·W values in (C, H, W)
 * row-major order, described by {@link dev.normgrad.nn.ImageShape} — {@link dev.normgrad.nn.Conv2d},
 * {@link dev.normgrad.nn.Conv1d}, {@link dev.normgrad.nn.MaxPool2d}, {@link dev.normgrad.nn.AvgPool2d}
 * and {@link dev.normgrad.nn.Flatten}.
 */
package dev.normgrad.nn;
