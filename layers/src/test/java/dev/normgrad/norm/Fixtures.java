package dev.normgrad.norm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The PyTorch reference cases of fixtures/norm.json (made by src/test/python/make_norm_fixtures.py). */
final class Fixtures {
    private static List<JsonObject> cases;
    private static JsonObject mlp;

    private Fixtures() {
    }

    static synchronized List<JsonObject> cases() {
        if (cases == null) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/norm.json")) {
                if (in == null) {
                    throw new IllegalStateException("fixtures/norm.json is missing: run /usr/bin/python3 "
                            + "layers/src/test/python/make_norm_fixtures.py");
                }
                JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
                List<JsonObject> list = new ArrayList<>();
                root.getAsJsonArray("cases").forEach(e -> list.add(e.getAsJsonObject()));
                cases = list;
                mlp = root.getAsJsonObject("mlp");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases;
    }

    /** The normalized-MLP case (under "mlp"). */
    static synchronized JsonObject mlp() {
        cases();
        return mlp;
    }

    /** The layer a case describes, built with NormGrad's constructor from the case's arguments. */
    static Module build(JsonObject c) {
        JsonObject a = c.getAsJsonObject("args");
        switch (c.get("layer").getAsString()) {
            case "BatchNorm1d":
                return new BatchNorm1d(a.get("numFeatures").getAsInt(), a.get("eps").getAsDouble(), momentum(a),
                        a.get("affine").getAsBoolean(), a.get("trackRunningStats").getAsBoolean());
            case "BatchNorm2d":
                return new BatchNorm2d(a.get("numFeatures").getAsInt(), a.get("eps").getAsDouble(), momentum(a),
                        a.get("affine").getAsBoolean(), a.get("trackRunningStats").getAsBoolean());
            case "InstanceNorm2d":
                return new InstanceNorm2d(a.get("numFeatures").getAsInt(), a.get("eps").getAsDouble(),
                        a.get("momentum").getAsDouble(), a.get("affine").getAsBoolean(), a.get("trackRunningStats").getAsBoolean());
            case "BatchRenorm1d":
                return new BatchRenorm1d(a.get("numFeatures").getAsInt(), a.get("eps").getAsDouble(), momentum(a),
                        a.get("affine").getAsBoolean(), a.get("rmax").getAsDouble(), a.get("dmax").getAsDouble());
            case "InstanceNorm1d":
                return new InstanceNorm1d(a.get("numFeatures").getAsInt(), a.get("eps").getAsDouble(),
                        a.get("momentum").getAsDouble(), a.get("affine").getAsBoolean(), a.get("trackRunningStats").getAsBoolean());
            case "LayerNorm":
                return new LayerNorm(ints(a.getAsJsonArray("normalizedShape")), a.get("eps").getAsDouble(),
                        a.get("elementwiseAffine").getAsBoolean());
            case "RMSNorm":
                return new RMSNorm(ints(a.getAsJsonArray("normalizedShape")), a.get("eps").getAsDouble(),
                        a.get("elementwiseAffine").getAsBoolean());
            case "GroupNorm":
                return new GroupNorm(a.get("numGroups").getAsInt(), a.get("numChannels").getAsInt(), a.get("eps").getAsDouble(),
                        a.get("affine").getAsBoolean());
            case "WeightNorm":
                return new WeightNorm(new Linear(a.get("inFeatures").getAsInt(), a.get("outFeatures").getAsInt()), "weight",
                        a.get("dim").getAsInt());
            default:
                throw new IllegalArgumentException("unknown layer in fixture: " + c.get("layer"));
        }
    }

    /** Sets the module's parameters to the case's initial values. */
    static void setParameters(Module m, JsonObject c) {
        for (Map.Entry<String, JsonElement> p : c.getAsJsonObject("parameters").entrySet()) {
            Tensor param = m.namedParameters().get(p.getKey());
            if (param == null) {
                throw new AssertionError(c.get("name").getAsString() + ": no parameter " + p.getKey() + " in "
                        + m.namedParameters().keySet());
            }
            double[][] v = matrix(p.getValue());
            if (param.rows() != v.length || param.cols() != v[0].length) {
                throw new AssertionError(c.get("name").getAsString() + ": parameter " + p.getKey() + " is " + param.shape()
                        + ", fixture " + v.length + "x" + v[0].length);
            }
            param.data().setTo(Tensor.of(v).data());
        }
    }

    static double[][] matrix(JsonElement e) {
        JsonArray rows = e.getAsJsonArray();
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = rows.get(i).getAsJsonArray();
            out[i] = new double[r.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = r.get(j).getAsDouble();
            }
        }
        return out;
    }

    static Tensor tensor(JsonObject o, String key) {
        return Tensor.of(matrix(o.get(key)));
    }

    private static Double momentum(JsonObject a) {
        JsonElement m = a.get("momentum");
        return m == null || m.isJsonNull() ? null : m.getAsDouble();
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }
}
