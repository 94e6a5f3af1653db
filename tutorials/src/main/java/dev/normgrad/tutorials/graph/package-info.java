/**
 * Looking inside autograd: {@link dev.normgrad.tutorials.graph.ComputationGraph} walks the graph
 * behind a tensor (which op made it, from which inputs) and lists the order in which
 * {@code backward()} visits the ops; {@link dev.normgrad.tutorials.graph.GraphPicture} draws it.
 */
package dev.normgrad.tutorials.graph;
