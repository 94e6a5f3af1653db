/**
 * Saving and loading models as documented, versioned JSON ({@code layers/MODEL-FORMAT.md}):
 * {@link dev.normgrad.io.ModelIO} saves atomically and loads with every name, shape, type and size
 * checked, building only the layer types of a {@link dev.normgrad.io.LayerRegistry}; problems are
 * reported as {@link dev.normgrad.io.ModelFormatException} naming the file and the path.
 */
package dev.normgrad.io;
