/**
 * What the tests of every module share: {@link dev.normgrad.testing.Close#assertClose} with its
 * {@link dev.normgrad.testing.Tolerance}, the one way a test compares numbers, and
 * {@link dev.normgrad.testing.PyTorchFixtures}, the one reader of PyTorch's reference values. A test
 * dependency of framework, layers and tutorials, depending on none of them (values are EJML matrices:
 * pass {@code tensor.data()} or {@code tensor.gradData()}). Where a test goes: CONTRIBUTING.md.
 */
package dev.normgrad.testing;
