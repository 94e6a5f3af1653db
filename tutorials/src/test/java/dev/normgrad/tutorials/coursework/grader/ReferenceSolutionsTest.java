package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.recurrent.CellState;
import dev.normgrad.recurrent.GRUCell;
import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.Case;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Each assignment's reference solution — compiled from its source as the grader compiles it — computes
 * PyTorch's numbers (the layers' committed fixtures, 1e-10 relative), equals the library's own layer on
 * every public and hidden case, and passes GradCheck.
 */
class ReferenceSolutionsTest {
    private static final Path FIXTURES = Path.of("../layers/src/test/resources/fixtures");

    private static JsonObject fixtures(String file) throws IOException {
        return JsonParser.parseString(Files.readString(FIXTURES.resolve(file))).getAsJsonObject();
    }

    private static JsonObject normCase(String name) throws IOException {
        for (JsonElement e : fixtures("norm.json").getAsJsonArray("cases")) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no fixture " + name);
    }

    static DMatrixRMaj mat(JsonElement rows) {
        JsonArray a = rows.getAsJsonArray();
        if (!a.get(0).isJsonArray()) {
            JsonArray wrapped = new JsonArray();
            wrapped.add(a);
            a = wrapped;
        }
        DMatrixRMaj m = new DMatrixRMaj(a.size(), a.get(0).getAsJsonArray().size());
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                m.set(i, j, a.get(i).getAsJsonArray().get(j).getAsDouble());
            }
        }
        return m;
    }

    static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.numRows, actual.numRows, what);
        assertEquals(expected.numCols, actual.numCols, what);
        for (int i = 0; i < expected.getNumElements(); i++) {
            double e = expected.data[i];
            double a = actual.data[i];
            assertTrue(Math.abs(a - e) <= 1e-10 * Math.max(1, Math.abs(e)), () -> what + ": PyTorch " + e + ", ours " + a);
        }
    }

    /** A new instance of the reference's class on {@code args}. */
    private static Function reference(String assignment, Object... args) {
        Class<?> type = Grader.reference(Assignments.get(assignment));
        try {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (c.getParameterCount() == args.length) {
                    return (Function) c.newInstance(args);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(type + " has no constructor of " + args.length + " arguments");
    }

    private static Tensor leaf(DMatrixRMaj m) {
        return Tensor.wrap(m.copy()).requiresGrad(true);
    }

    @Test
    void layerNormMatchesPyTorch() throws IOException {
        for (String name : List.of("layerNorm_features", "layerNorm_eps1e-3")) {
            JsonObject c = normCase(name);
            JsonObject step = c.getAsJsonArray("steps").get(0).getAsJsonObject();
            Tensor x = leaf(mat(step.get("input")));
            Tensor gamma = leaf(flat(c.getAsJsonObject("parameters").get("weight")));
            Tensor beta = leaf(flat(c.getAsJsonObject("parameters").get("bias")));
            Tensor y = reference("layernorm", c.getAsJsonObject("args").get("eps").getAsDouble()).apply(x, gamma, beta);
            y.backward(Tensor.wrap(mat(step.get("gradOutput"))));
            assertClose(mat(step.get("output")), y.data(), name + " output");
            assertClose(mat(step.get("gradInput")), x.gradData(), name + " dL/dx");
            assertClose(flat(step.getAsJsonObject("gradParameters").get("weight")), gamma.gradData(), name + " dL/dγ");
            assertClose(flat(step.getAsJsonObject("gradParameters").get("bias")), beta.gradData(), name + " dL/dβ");
        }
    }

    /** A fixture's parameter of any shape as one row. */
    private static DMatrixRMaj flat(JsonElement e) {
        DMatrixRMaj m = mat(e);
        m.reshape(1, m.getNumElements(), true);
        return m;
    }

    @Test
    void batchNormMatchesPyTorchOverThreeTrainingStepsRunningStatisticsIncluded() throws IOException {
        for (String name : List.of("batchNorm1d_NC")) {   // the one (N, C) case with running statistics and a momentum
            JsonObject c = normCase(name);
            JsonObject args = c.getAsJsonObject("args");
            DMatrixRMaj gammaValue = mat(c.getAsJsonObject("parameters").get("weight"));
            DMatrixRMaj betaValue = mat(c.getAsJsonObject("parameters").get("bias"));
            int features = gammaValue.numCols;
            DMatrixRMaj runningMean = new DMatrixRMaj(1, features);
            DMatrixRMaj runningVar = new DMatrixRMaj(1, features);
            runningVar.fill(1);
            int trained = 0;
            for (JsonElement e : c.getAsJsonArray("steps")) {
                JsonObject step = e.getAsJsonObject();
                if (!step.get("mode").getAsString().equals("train")) {
                    continue;
                }
                Tensor x = leaf(mat(step.get("input")));
                Tensor gamma = leaf(gammaValue);
                Tensor beta = leaf(betaValue);
                Tensor y = reference("batchnorm1d", runningMean, runningVar, args.get("momentum").getAsDouble(),
                        args.get("eps").getAsDouble()).apply(x, gamma, beta);
                y.backward(Tensor.wrap(mat(step.get("gradOutput"))));
                String at = name + " step " + trained++;
                assertClose(mat(step.get("output")), y.data(), at + " output");
                assertClose(mat(step.get("gradInput")), x.gradData(), at + " dL/dx");
                assertClose(mat(step.getAsJsonObject("gradParameters").get("weight")), gamma.gradData(), at + " dL/dγ");
                assertClose(mat(step.getAsJsonObject("gradParameters").get("bias")), beta.gradData(), at + " dL/dβ");
                assertClose(mat(step.getAsJsonObject("buffers").get("runningMean")), runningMean, at + " runningMean");
                assertClose(mat(step.getAsJsonObject("buffers").get("runningVar")), runningVar, at + " runningVar");
            }
            assertEquals(3, trained);
        }
    }

    @Test
    void rmsNormMatchesPyTorch() throws IOException {
        for (String name : List.of("rmsNorm_features", "rmsNorm_noAffine_eps1e-6")) {
            JsonObject c = normCase(name);
            JsonObject step = c.getAsJsonArray("steps").get(0).getAsJsonObject();
            Tensor x = leaf(mat(step.get("input")));
            boolean affine = c.getAsJsonObject("parameters").has("weight");
            DMatrixRMaj ones = new DMatrixRMaj(1, x.cols());
            ones.fill(1);
            Tensor gamma = leaf(affine ? mat(c.getAsJsonObject("parameters").get("weight")) : ones);
            Tensor y = reference("rmsnorm", c.getAsJsonObject("args").get("eps").getAsDouble()).apply(x, gamma);
            y.backward(Tensor.wrap(mat(step.get("gradOutput"))));
            assertClose(mat(step.get("output")), y.data(), name + " output");
            assertClose(mat(step.get("gradInput")), x.gradData(), name + " dL/dx");
            if (affine) {
                assertClose(mat(step.getAsJsonObject("gradParameters").get("weight")), gamma.gradData(), name + " dL/dγ");
            }
        }
    }

    @Test
    void softmaxCrossEntropyMatchesPyTorch() throws IOException {
        int cases = 0;
        for (JsonElement e : fixtures("nn.json").getAsJsonArray("crossEntropy")) {
            JsonObject c = e.getAsJsonObject();
            JsonArray l = c.getAsJsonArray("labels");
            int[] labels = new int[l.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = l.get(i).getAsInt();
            }
            Tensor z = leaf(mat(c.get("logits")));
            Tensor loss = reference("softmax-cross-entropy", (Object) labels).apply(z);
            loss.backward();
            assertEquals(c.get("loss").getAsDouble(), loss.item(), 1e-10 * Math.abs(c.get("loss").getAsDouble()));
            assertClose(mat(c.get("dlogits")), z.gradData(), "crossEntropy case " + cases++ + " dL/dz");
        }
        assertTrue(cases >= 2);
    }

    @Test
    void gruCellMatchesPyTorchStepByStep() throws IOException {
        JsonObject c = null;
        for (JsonElement e : fixtures("recurrent.json").getAsJsonArray("cells")) {
            if (e.getAsJsonObject().get("name").getAsString().equals("grucell")) {
                c = e.getAsJsonObject();
            }
        }
        JsonObject p = c.getAsJsonObject("parameters");
        Tensor wIh = leaf(mat(p.get("weightIh")));
        Tensor wHh = leaf(mat(p.get("weightHh")));
        Tensor bIh = leaf(flat(p.get("biasIh")));
        Tensor bHh = leaf(flat(p.get("biasHh")));
        Tensor h0 = leaf(mat(c.get("h0")));
        List<Tensor> xs = new ArrayList<>();
        Tensor h = h0;
        for (JsonElement step : c.getAsJsonArray("x")) {
            Tensor x = leaf(mat(step));
            xs.add(x);
            h = reference("gru-cell").apply(x, h, wIh, wHh, bIh, bHh);
        }
        assertClose(mat(c.get("hT")), h.data(), "h_T");
        h.mul(Tensor.wrap(mat(c.get("G")))).sum().backward();
        JsonObject grads = c.getAsJsonObject("grads");
        assertClose(mat(grads.get("weightIh")), wIh.gradData(), "dL/dW_ih");
        assertClose(mat(grads.get("weightHh")), wHh.gradData(), "dL/dW_hh");
        assertClose(flat(grads.get("biasIh")), bIh.gradData(), "dL/db_ih");
        assertClose(flat(grads.get("biasHh")), bHh.gradData(), "dL/db_hh");
        assertClose(mat(c.get("gradH0")), h0.gradData(), "dL/dh0");
        for (int t = 0; t < xs.size(); t++) {
            assertClose(mat(c.getAsJsonArray("gradX").get(t)), xs.get(t).gradData(), "dL/dx_" + t);
        }
    }

    @Test
    void conv2dMatchesPyTorch() throws IOException {
        for (String name : List.of("conv2d_1to4_7x5_k3_p1", "conv2d_stride2_floor_6x6")) {   // the square-stride, grouped-once cases
            JsonObject c = null;
            for (JsonElement e : fixtures("conv.json").getAsJsonArray("cases")) {
                if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                    c = e.getAsJsonObject();
                }
            }
            JsonObject args = c.getAsJsonObject("args");
            JsonArray shape = args.getAsJsonArray("input");
            JsonObject step = c.getAsJsonArray("steps").get(0).getAsJsonObject();
            Tensor x = leaf(mat(step.get("input")));
            Tensor w = leaf(mat(c.getAsJsonObject("parameters").get("weight")));
            Tensor b = leaf(flat(c.getAsJsonObject("parameters").get("bias")));
            Tensor y = reference("conv2d", shape.get(0).getAsInt(), shape.get(1).getAsInt(), shape.get(2).getAsInt(),
                    args.getAsJsonArray("kernelSize").get(0).getAsInt(), args.getAsJsonArray("kernelSize").get(1).getAsInt(),
                    args.getAsJsonArray("stride").get(0).getAsInt(), args.getAsJsonArray("padding").get(0).getAsInt()).apply(x, w, b);
            y.backward(Tensor.wrap(mat(step.get("gradOutput"))));
            assertClose(mat(step.get("output")), y.data(), name + " output");
            assertClose(mat(step.get("gradInput")), x.gradData(), name + " dL/dx");
            assertClose(mat(step.getAsJsonObject("gradParameters").get("weight")), w.gradData(), name + " dL/dW");
            assertClose(flat(step.getAsJsonObject("gradParameters").get("bias")), b.gradData(), name + " dL/db");
        }
    }

    /** Every case of every assignment: the reference equals the library's own layer, forward and backward. */
    @Test
    void onEveryCaseTheReferenceEqualsTheLibrarysLayer() {
        for (Assignment a : Assignments.all()) {
            for (Case c : Stream.concat(a.publicCases().stream(), a.hiddenCases(Assignment.DEFAULT_HIDDEN_SEED).stream()).toList()) {
                String at = a.name() + " " + c.title();
                List<Tensor> ours = new ArrayList<>();
                for (var input : c.inputs()) {
                    ours.add(leaf(input.value()));
                }
                Object[] args = c.constructorArgs().stream().map(o -> o instanceof DMatrixRMaj m ? m.copy() : o).toArray();
                Tensor y = reference(a.name(), args).apply(ours.toArray(new Tensor[0]));
                y.backward(Tensor.wrap(c.gradOutput().copy()));
                Library lib = library(a.name(), c);
                assertClose(lib.output().data(), y.data(), at + " output");
                for (int i = 0; i < ours.size(); i++) {
                    assertClose(lib.gradients().get(i), ours.get(i).gradData(), at + " gradient of " + c.inputs().get(i).name());
                }
                for (int s = 0; s < lib.state().size(); s++) {
                    assertClose(lib.state().get(s), (DMatrixRMaj) args[s], at + " " + a.stateNames().get(s));
                }
            }
        }
    }

    private record Library(Tensor output, List<DMatrixRMaj> gradients, List<DMatrixRMaj> state) {
    }

    /** The library's layer on the case: output, the gradient of each input, the state it leaves. */
    private static Library library(String assignment, Case c) {
        Tensor dy = Tensor.wrap(c.gradOutput().copy());
        switch (assignment) {
            case "layernorm", "rmsnorm", "batchnorm1d" -> {
                DMatrixRMaj x = c.input("x");
                int f = x.numCols;
                Tensor in = leaf(x);
                double eps = (Double) c.constructorArgs().get(assignment.equals("batchnorm1d") ? 3 : 0);
                if (assignment.equals("layernorm")) {
                    LayerNorm ln = new LayerNorm(new int[] {f}, eps, true);
                    ln.weight().data().setTo(c.input("gamma"));
                    ln.bias().data().setTo(c.input("beta"));
                    Tensor y = ln.apply(in);
                    y.backward(dy);
                    return new Library(y, List.of(in.gradData(), ln.weight().gradData(), ln.bias().gradData()), List.of());
                }
                if (assignment.equals("rmsnorm")) {
                    RMSNorm rms = new RMSNorm(new int[] {f}, eps, true);
                    rms.weight().data().setTo(c.input("gamma"));
                    Tensor y = rms.apply(in);
                    y.backward(dy);
                    return new Library(y, List.of(in.gradData(), rms.weight().gradData()), List.of());
                }
                BatchNorm1d bn = new BatchNorm1d(f, eps, (Double) c.constructorArgs().get(2), true, true);
                bn.weight().data().setTo(c.input("gamma"));
                bn.bias().data().setTo(c.input("beta"));
                bn.runningMean().data().setTo((DMatrixRMaj) c.constructorArgs().get(0));
                bn.runningVar().data().setTo((DMatrixRMaj) c.constructorArgs().get(1));
                Tensor y = bn.apply(in);
                y.backward(dy);
                return new Library(y, List.of(in.gradData(), bn.weight().gradData(), bn.bias().gradData()),
                        List.of(bn.runningMean().data(), bn.runningVar().data()));
            }
            case "softmax-cross-entropy" -> {
                Tensor z = leaf(c.input("z"));
                Tensor loss = Losses.crossEntropy(z, (int[]) c.constructorArgs().get(0));
                loss.backward(dy);
                return new Library(loss, List.of(z.gradData()), List.of());
            }
            case "gru-cell" -> {
                GRUCell cell = new GRUCell(c.input("x").numCols, c.input("h").numCols);
                cell.weightIh().data().setTo(c.input("W_ih"));
                cell.weightHh().data().setTo(c.input("W_hh"));
                cell.biasIh().data().setTo(c.input("b_ih"));
                cell.biasHh().data().setTo(c.input("b_hh"));
                Tensor x = leaf(c.input("x"));
                Tensor h = leaf(c.input("h"));
                Tensor y = cell.forward(x, CellState.of(h), 0).h();
                y.backward(dy);
                return new Library(y, List.of(x.gradData(), h.gradData(), cell.weightIh().gradData(), cell.weightHh().gradData(),
                        cell.biasIh().gradData(), cell.biasHh().gradData()), List.of());
            }
            case "conv2d" -> {
                List<Object> a = c.constructorArgs();
                int[] kernel = {(Integer) a.get(3), (Integer) a.get(4)};
                int[] stride = {(Integer) a.get(5), (Integer) a.get(5)};
                int[] padding = {(Integer) a.get(6), (Integer) a.get(6)};
                Conv2d conv = new Conv2d(new ImageShape((Integer) a.get(0), (Integer) a.get(1), (Integer) a.get(2)), c.input("W").numRows,
                        kernel, stride, padding, 1, true);
                conv.weight().data().setTo(c.input("W"));
                conv.bias().data().setTo(c.input("b"));
                Tensor x = leaf(c.input("x"));
                Tensor y = conv.apply(x);
                y.backward(dy);
                return new Library(y, List.of(x.gradData(), conv.weight().gradData(), conv.bias().gradData()), List.of());
            }
            default -> throw new AssertionError(assignment);
        }
    }

    @Test
    void everyReferencePassesGradCheckOnItsGradCheckCases() {
        for (Assignment a : Assignments.all()) {
            for (Case c : a.hiddenCases(Assignment.DEFAULT_HIDDEN_SEED)) {
                if (!c.gradCheck()) {
                    continue;
                }
                Tensor[] inputs = c.inputs().stream().map(i -> Tensor.wrap(i.value().copy()).name(i.name())).toArray(Tensor[]::new);
                GradCheck.check(in -> reference(a.name(), c.constructorArgs().stream()
                        .map(o -> o instanceof DMatrixRMaj m ? m.copy() : o).toArray()).apply(in), inputs).assertPassed();
            }
        }
    }
}
