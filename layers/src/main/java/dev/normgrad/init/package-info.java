/**
 * Weight initialisation ({@link dev.normgrad.init.Init}: Xavier/Glorot, Kaiming/He, orthogonal,
 * uniform, normal, constants; PyTorch's fans and gains), the library's shared seeded generator
 * ({@link dev.normgrad.init.Init#defaultRandom()}, {@link dev.normgrad.init.Init#manualSeed(long)}), and
 * {@link dev.normgrad.init.SplitMix64}, a generator whose state can be saved and restored.
 */
package dev.normgrad.init;
