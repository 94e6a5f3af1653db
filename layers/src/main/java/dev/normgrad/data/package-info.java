/**
 * Data for experiments: the bundled UCI handwritten digits ({@link dev.normgrad.data.Digits}, CC BY 4.0),
 * synthetic spirals and blobs ({@link dev.normgrad.data.Datasets}), a stratified seeded train/test
 * split ({@link dev.normgrad.data.Dataset#split}), per-feature standardisation fitted on the training
 * set ({@link dev.normgrad.data.Standardizer}), and seeded shuffled mini-batches
 * ({@link dev.normgrad.data.DataLoader}). For recurrent layers, seeded sequence tasks as
 * {@link dev.normgrad.data.SequenceBatch}es: the adding problem ({@link dev.normgrad.data.AddingProblem}),
 * first-token recall ({@link dev.normgrad.data.FirstTokenRecall}) and the digits read row by row
 * ({@link dev.normgrad.data.DigitSequences}).
 */
package dev.normgrad.data;
