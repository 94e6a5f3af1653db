/**
 * Losses as static functions ({@link dev.normgrad.loss.Losses}: mse, crossEntropy on integer labels,
 * bceWithLogits) and as thin stateless classes that call them ({@link dev.normgrad.loss.MSELoss},
 * {@link dev.normgrad.loss.CrossEntropyLoss}, {@link dev.normgrad.loss.BCEWithLogitsLoss}); each
 * returns the 1×1 mean over the batch. {@link dev.normgrad.loss.Metrics} turns logits into accuracy.
 */
package dev.normgrad.loss;
