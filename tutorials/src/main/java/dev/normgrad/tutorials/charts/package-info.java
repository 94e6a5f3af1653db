/**
 * Charts for the tutorials, notebooks and command line: {@link dev.normgrad.tutorials.charts.Charts}
 * draws XChart line charts over training steps into images.
 */
package dev.normgrad.tutorials.charts;
