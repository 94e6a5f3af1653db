/**
 * Coursework support for "check your own layer" (notebook 7): the forward half of a LayerNorm
 * whose backward the learner writes ({@link dev.normgrad.tutorials.coursework.FeatureLayerNorm}),
 * the naive gradient check the chapter warns about
 * ({@link dev.normgrad.tutorials.coursework.NaiveGradCheck}), float32 simulated in float64
 * ({@link dev.normgrad.tutorials.coursework.RoundToFloat}), and the error of a finite difference
 * against its step ({@link dev.normgrad.tutorials.coursework.StepSweep}).
 */
package dev.normgrad.tutorials.coursework;
