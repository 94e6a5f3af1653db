/**
 * Data for experiments: the bundled UCI handwritten digits ({@link dev.normgrad.data.Digits}, CC BY 4.0),
 * synthetic spirals and blobs ({@link dev.normgrad.data.Datasets}), a stratified seeded train/test
 * split ({@link dev.normgrad.data.Dataset#split}), per-feature standardisation fitted on the training
 * set ({@link dev.normgrad.data.Standardizer}), and seeded shuffled mini-batches
 * ({@link dev.normgrad.data.DataLoader}).
 */
package dev.normgrad.data;
