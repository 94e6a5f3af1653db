package dev.normgrad.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Writes a model in the documented format, streaming: the architecture first (indented, readable),
 * then one line per tensor. Numbers are written with {@link Double#toString}, which reads back to the
 * same double, so a saved and loaded model computes bit-for-bit the same outputs.
 */
final class ModelWriter {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    private ModelWriter() {
    }

    static void write(Module model, LayerRegistry registry, Writer out) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("ModelIO: the model to save is null");
        }
        LayerRegistry.WriteContext context = registry.writer();
        JsonObject architecture = context.write(model, "architecture", null);
        LayerPaths paths = new LayerPaths(model, context.childPaths);
        out.write("{\n  \"format\": \"" + ModelIO.FORMAT + "\",\n  \"version\": " + ModelIO.VERSION + ",\n  \"architecture\": ");
        out.write(PRETTY.toJson(architecture).replace("\n", "\n  "));
        out.write(",\n  \"parameters\": ");
        writeTensors(model.namedParameters(), "parameter", paths, out);
        out.write(",\n  \"buffers\": ");
        writeTensors(model.namedBuffers(), "buffer", paths, out);
        out.write("\n}\n");
    }

    private static void writeTensors(Map<String, ? extends Tensor> tensors, String kind, LayerPaths paths, Writer out) throws IOException {
        if (tensors.isEmpty()) {
            out.write("{}");
            return;
        }
        out.write("{\n");
        Iterator<? extends Map.Entry<String, ? extends Tensor>> it = tensors.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ? extends Tensor> e = it.next();
            DMatrixRMaj m = e.getValue().data();
            out.write("    " + COMPACT.toJson(e.getKey()) + ": {\"shape\": [" + m.numRows + ", " + m.numCols + "], \"data\": [");
            int n = m.numRows * m.numCols;
            for (int i = 0; i < n; i++) {
                double v = m.data[i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("cannot save " + paths.describe(e.getKey(), kind) + ": entry ("
                            + i / m.numCols + ", " + i % m.numCols + ") is " + v + "; JSON has no NaN or infinity, and a model "
                            + "holding one has diverged (find where with Anomaly.detect()); the existing file was left as it was");
                }
                if (i > 0) {
                    out.write(", ");
                }
                out.write(Double.toString(v));
            }
            out.write(it.hasNext() ? "]},\n" : "]}\n");
        }
        out.write("  }");
    }
}
