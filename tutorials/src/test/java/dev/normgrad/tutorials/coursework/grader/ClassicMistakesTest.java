package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.assignments.BatchNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.Conv2dAssignment;
import dev.normgrad.tutorials.coursework.assignments.GRUCellAssignment;
import dev.normgrad.tutorials.coursework.assignments.LayerNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.RMSNormAssignment;
import dev.normgrad.tutorials.coursework.assignments.SoftmaxCrossEntropyAssignment;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The classic mistakes of each backward, planted in the reference solution and graded on the hidden
 * cases: each loses exactly the tests it should (and the others keep their points), and every test
 * it loses on the gradient it breaks gets the diagnosis it should, in words. Graded in this JVM (the
 * scoring is the same as in the child JVM, which {@code HostileSubmissionsTest} and
 * {@code GradeCommandTest} go through).
 */
class ClassicMistakesTest {
    private static final long SEED = 20240611L;

    /**
     * @param loses  the labels of exactly the tests it fails ("dL/dβ", "GradCheck", "runningVar")
     * @param tensor the label whose diagnosis is checked
     * @param kind   the kind every failing test of {@code tensor} gets ("a|b": one of them)
     * @param phrase what the first one's feedback says
     */
    record Mistake(String name, UnaryOperator<Submissions> edit, Set<String> loses, String tensor, String kind, String phrase) {
    }

    private static Mistake mistake(String name, UnaryOperator<Submissions> edit, String loses, String tensor, String kind, String phrase) {
        return new Mistake(name, edit, new TreeSet<>(List.of(loses.split(", "))), tensor, kind, phrase);
    }

    @TestFactory
    Stream<DynamicTest> layerNorm() {
        String dx = "dx[0].add(i, j, invStd[i] * (g - meanG - xhat.get(i, j) * meanGXhat));";
        String dgamma = "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);";
        String dbeta = "dx[2].data[j] += dy.get(i, j);";
        return check(new LayerNormAssignment(), List.of(
                mistake("dβ as a mean over the batch", s -> s.replace(dbeta, "dx[2].data[j] += dy.get(i, j) / n;"),
                        "dL/dβ, GradCheck", "dL/dβ", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("dγ as a mean over the batch", s -> s.replace(dgamma, "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j) / n;"),
                        "dL/dγ, GradCheck", "dL/dγ", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("σ treated as a constant", s -> s.replace(dx, "dx[0].add(i, j, invStd[i] * (g - meanG));"),
                        "dL/dx, GradCheck", "dL/dx", "missing_term", "the gradient through the variance is missing"),
                mistake("the path through μ left out", s -> s.replace(dx, "dx[0].add(i, j, invStd[i] * (g - xhat.get(i, j) * meanGXhat));"),
                        "dL/dx, GradCheck", "dL/dx", "missing_term", "the gradient through the mean is missing"),
                mistake("dx with its sign flipped", s -> s.replace(dx, "dx[0].add(i, j, -invStd[i] * (g - meanG - xhat.get(i, j) * meanGXhat));"),
                        "dL/dx, GradCheck", "dL/dx", "sign_flip", "has the wrong sign"),
                mistake("γ left out of g", s -> s.everywhere("double g = dy.get(i, j) * gamma.data[j];", "double g = dy.get(i, j);"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "leaves out γ"),
                mistake("the factor 1/σ left out", s -> s.replace(dx, "dx[0].add(i, j, g - meanG - xhat.get(i, j) * meanGXhat);"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "factor 1/σ"),
                mistake("dγ never written", s -> s.replace(dgamma, ""), "dL/dγ, GradCheck", "dL/dγ", "zero", "the backward never wrote the gradient of 'γ'"),
                mistake("dβ assigned in the loop over rows", s -> s.replace(dbeta, "dx[2].data[j] = dy.get(i, j);"),
                        "dL/dβ, GradCheck", "dL/dβ", "last_row_only", "= where += belongs"),
                mistake("dx overwritten, not accumulated", s -> s.replace("dx[0].add(i, j,", "dx[0].set(i, j,"),
                        "dL/dx", "dL/dx", "overwritten", "write += where you wrote ="),
                mistake("only the first row", s -> s.replace("for (int i = 0; i < n; i++) {\n            // g = dL/dx̂",
                        "for (int i = 0; i < 1; i++) {\n            // g = dL/dx̂"),
                        "dL/dx, dL/dγ, dL/dβ, GradCheck", "dL/dx", "partial",
                        "of the gradient of 'x' are wrong; the other row is right; there the gradient is 0: never written"),
                mistake("dβ counted twice", s -> s.replace(dbeta, "dx[2].data[j] += 2 * dy.get(i, j);"),
                        "dL/dβ, GradCheck", "dL/dβ", "constant_ratio", "is 2 times too large")));
    }

    @TestFactory
    Stream<DynamicTest> batchNorm() {
        String dx = "dx[0].add(i, j, invStd[j] * (g - meanG - xhat.get(i, j) * meanGXhat));";
        String dgamma = "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);";
        String dbeta = "dx[2].data[j] += dy.get(i, j);";
        String mean = "runningMean.data[j] = (1 - momentum) * runningMean.data[j] + momentum * mean[j];";
        String var = "runningVar.data[j] = (1 - momentum) * runningVar.data[j] + momentum * biasedVar[j] * n / (n - 1);";
        return check(new BatchNormAssignment(), List.of(
                mistake("dβ as a mean over the batch", s -> s.replace(dbeta, "dx[2].data[j] += dy.get(i, j) / n;"),
                        "dL/dβ, GradCheck", "dL/dβ", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("dγ as a mean over the batch", s -> s.replace(dgamma, "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j) / n;"),
                        "dL/dγ, GradCheck", "dL/dγ", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("σ treated as a constant", s -> s.replace(dx, "dx[0].add(i, j, invStd[j] * (g - meanG));"),
                        // a batch of two has groups of two entries: a pattern in them is no evidence, and none is named
                        "dL/dx, GradCheck", "dL/dx", "missing_term|unstructured", "the gradient through the variance is missing"),
                mistake("the path through μ left out", s -> s.replace(dx, "dx[0].add(i, j, invStd[j] * (g - xhat.get(i, j) * meanGXhat));"),
                        "dL/dx, GradCheck", "dL/dx", "missing_term|unstructured", "the gradient through the mean is missing"),
                mistake("dx with its sign flipped", s -> s.replace(dx, "dx[0].add(i, j, -invStd[j] * (g - meanG - xhat.get(i, j) * meanGXhat));"),
                        "dL/dx, GradCheck", "dL/dx", "sign_flip", "has the wrong sign"),
                mistake("runningVar from the biased variance", s -> s.replace(var,
                        "runningVar.data[j] = (1 - momentum) * runningVar.data[j] + momentum * biasedVar[j];"),
                        "runningVar", "runningVar", "known_mistake", "biased variance (÷N)"),
                mistake("momentum the Keras way round", s -> s.replace(mean,
                        "runningMean.data[j] = momentum * runningMean.data[j] + (1 - momentum) * mean[j];").replace(var,
                        "runningVar.data[j] = momentum * runningVar.data[j] + (1 - momentum) * biasedVar[j] * n / (n - 1);"),
                        "runningMean, runningVar", "runningMean", "known_mistake", "the wrong way round"),
                mistake("running statistics never updated", s -> s.replace(mean, "").replace(var, ""),
                        "runningMean, runningVar", "runningVar", "known_mistake", "was left as it was"),
                mistake("running statistics replaced by the batch's", s -> s.replace(mean, "runningMean.data[j] = mean[j];")
                        .replace(var, "runningVar.data[j] = biasedVar[j] * n / (n - 1);"),
                        "runningMean, runningVar", "runningMean", "known_mistake", "replaced by the batch's statistic"),
                mistake("momentum 0.1 written in", s -> s.replace(mean, mean.replace("momentum", "0.1")).replace(var, var.replace("momentum", "0.1")),
                        "runningMean, runningVar", "runningMean", "known_mistake", "used momentum 0.1"),
                mistake("dγ assigned in the loop over rows", s -> s.replace(dgamma, "dx[1].data[j] = dy.get(i, j) * xhat.get(i, j);"),
                        "dL/dγ, GradCheck", "dL/dγ", "last_row_only", "only the last row's contribution"),
                mistake("only the first feature", s -> s.replace("for (int j = 0; j < c; j++) {\n            // g = dL/dx̂",
                        "for (int j = 0; j < 1; j++) {\n            // g = dL/dx̂"),
                        "dL/dx, dL/dγ, dL/dβ, GradCheck", "dL/dx", "partial",
                        "of the gradient of 'x' are wrong; the other column is right")));
    }

    @TestFactory
    Stream<DynamicTest> rmsNorm() {
        String dx = "dx[0].add(i, j, invRms[i] * (dy.get(i, j) * gamma.data[j] - xhat.get(i, j) * meanGXhat));";
        String dgamma = "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);";
        return check(new RMSNormAssignment(), List.of(
                mistake("dγ as a mean over the batch", s -> s.replace(dgamma, "dx[1].data[j] += dy.get(i, j) * xhat.get(i, j) / n;"),
                        "dL/dγ, GradCheck", "dL/dγ", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("r treated as a constant", s -> s.replace(dx, "dx[0].add(i, j, invRms[i] * dy.get(i, j) * gamma.data[j]);"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "is g/r alone: the path through r is missing"),
                mistake("LayerNorm's mean term added", s -> s.replace("double meanGXhat = 0;",
                        "double meanGXhat = 0;\n            double meanG = 0;\n            for (int k = 0; k < f; k++) {\n"
                                + "                meanG += dy.get(i, k) * gamma.data[k] / f;\n            }")
                        .replace(dx, "dx[0].add(i, j, invRms[i] * (dy.get(i, j) * gamma.data[j] - meanG - xhat.get(i, j) * meanGXhat));"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "RMSNorm subtracts no mean"),
                mistake("the factor 2 of x² dropped", s -> s.replace("meanGXhat += dy.get(i, j) * gamma.data[j] * xhat.get(i, j) / f;",
                        "meanGXhat += dy.get(i, j) * gamma.data[j] * xhat.get(i, j) / (2 * f);"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "the 2 of d(x²)/dx = 2x dropped?"),
                mistake("dx with its sign flipped", s -> s.replace("dx[0].add(i, j, invRms[i] *", "dx[0].add(i, j, -invRms[i] *"),
                        "dL/dx, GradCheck", "dL/dx", "sign_flip", "has the wrong sign"),
                mistake("dγ never written", s -> s.replace(dgamma, ""), "dL/dγ, GradCheck", "dL/dγ", "zero", "the backward never wrote the gradient of 'γ'"),
                mistake("dγ assigned in the loop over rows", s -> s.replace(dgamma, "dx[1].data[j] = dy.get(i, j) * xhat.get(i, j);"),
                        "dL/dγ, GradCheck", "dL/dγ", "last_row_only", "= where += belongs"),
                mistake("dx overwritten, not accumulated", s -> s.replace("dx[0].add(i, j,", "dx[0].set(i, j,"),
                        "dL/dx", "dL/dx", "overwritten", "overwrites the gradient buffer"),
                mistake("only the first row", s -> s.replace("for (int i = 0; i < n; i++) {\n            // g = dL/dx̂",
                        "for (int i = 0; i < 1; i++) {\n            // g = dL/dx̂"),
                        "dL/dx, dL/dγ, GradCheck", "dL/dx", "partial", "of the gradient of 'x' are wrong; the other row is right"),
                mistake("γ left out of g", s -> s.everywhere("dy.get(i, j) * gamma.data[j]", "dy.get(i, j)"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "leaves out γ"),
                mistake("the factor 1/r left out", s -> s.replace("dx[0].add(i, j, invRms[i] * (", "dx[0].add(i, j, ("),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "factor 1/r")));
    }

    @TestFactory
    Stream<DynamicTest> softmaxCrossEntropy() {
        String scale = "double scale = dy.data[0] / n;";
        String add = "dx[0].add(i, j, scale * (p.get(i, j) - oneHot));";
        return check(new SoftmaxCrossEntropyAssignment(), List.of(
                mistake("the mean's 1/N left out", s -> s.replace(scale, "double scale = dy.data[0];"),
                        "dL/dz, GradCheck", "dL/dz", "constant_ratio", "N, the batch size: a sum where a mean belongs"),
                mistake("dL'/dL ignored", s -> s.replace(scale, "double scale = 1.0 / n;"),
                        "dL/dz", "dL/dz", "upstream_ignored", "ignores dy, the gradient arriving from above"),
                mistake("p and the one-hot swapped", s -> s.replace(add, "dx[0].add(i, j, scale * (oneHot - p.get(i, j)));"),
                        "dL/dz, GradCheck", "dL/dz", "sign_flip", "has the wrong sign"),
                mistake("the one-hot term left out", s -> s.replace("double oneHot = j == labels[i] ? 1 : 0;", "double oneHot = 0;"),
                        "dL/dz, GradCheck", "dL/dz", "known_mistake", "leaves out the one-hot term"),
                mistake("divided by the classes", s -> s.replace(scale, "double scale = dy.data[0] / c;"),
                        "dL/dz, GradCheck", "dL/dz", "known_mistake", "divides by C"),
                mistake("softmax recomputed without the shift", s -> s.replace("private DMatrixRMaj p;", "private DMatrixRMaj p;\n    private DMatrixRMaj logits;")
                        .replace("DMatrixRMaj z = in[0];", "DMatrixRMaj z = in[0];\n        logits = z;")
                        .replace(add, "double sum = 0;\n                for (int k = 0; k < c; k++) {\n                    sum += Math.exp(logits.get(i, k));\n"
                                + "                }\n                dx[0].add(i, j, scale * (Math.exp(logits.get(i, j)) / sum - oneHot));"),
                        "dL/dz", "dL/dz", "non_finite", "subtract each row's maximum first?"),
                mistake("dz overwritten, not accumulated", s -> s.replace("dx[0].add(i, j,", "dx[0].set(i, j,"),
                        "dL/dz", "dL/dz", "overwritten", "write += where you wrote ="),
                mistake("no backward at all", s -> s.replace("if (dx[0] == null) {", "if (dx[0] != null) {"),
                        "dL/dz, GradCheck", "dL/dz", "zero", "the backward never wrote the gradient of 'z'"),
                mistake("only the first row", s -> s.replace("for (int i = 0; i < n; i++) {\n            for (int j = 0; j < c; j++) {\n                double oneHot",
                        "for (int i = 0; i < 1; i++) {\n            for (int j = 0; j < c; j++) {\n                double oneHot"),
                        // with logits in the hundreds p is one-hot: most entries of a row are 0 written or not, and no row is mostly wrong
                        "dL/dz, GradCheck", "dL/dz", "partial|unstructured", "of the gradient of 'z' are wrong; the other row is right"),
                mistake("the gradient with respect to p", s -> s.replace(add, "dx[0].add(i, j, -scale * oneHot / p.get(i, j));"),
                        // where p underflows to 0 (logits in the hundreds) the student's own value is NaN: that is what it hears
                        "dL/dz, GradCheck", "dL/dz", "known_mistake|non_finite", "with respect to the probabilities p")));
    }

    @TestFactory
    Stream<DynamicTest> gruCell() {
        return check(new GRUCellAssignment(), List.of(
                mistake("db_ih as a mean over the batch", s -> s.replace("dx[4].data[k] += dA.get(i, k);", "dx[4].data[k] += dA.get(i, k) / rows;"),
                        "dL/db_ih, GradCheck", "dL/db_ih", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("dW_hh as hᵀ·dB, its entries added in order", s -> s.replace("CommonOps_DDRM.multAddTransA(dB, h, dx[3]);",
                        "DMatrixRMaj wrongOrder = CommonOps_DDRM.multTransA(h, dB, null);\n            for (int k = 0; k < wrongOrder.getNumElements(); k++) {\n"
                                + "                dx[3].data[k] += wrongOrder.data[k];\n            }"),
                        "dL/dW_hh, GradCheck", "dL/dW_hh", "transposed", "laid out as its transpose"),
                mistake("dW_hh's buffer replaced by setTo", s -> s.replace("CommonOps_DDRM.multAddTransA(dB, h, dx[3]);",
                        "dx[3].setTo(CommonOps_DDRM.multTransA(h, dB, null));"),
                        "dL/dx, dL/dh, dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh, GradCheck", "dL/dW_hh", "did_not_run",
                        "the gradient of input 3 must keep that input's shape"),
                mistake("b_hn outside the reset product", s -> s.replace("dB.set(i, 2 * hidden + k, dnPre * ri);", "dB.set(i, 2 * hidden + k, dnPre);"),
                        "dL/dh, dL/dW_hh, dL/db_hh, GradCheck", "dL/db_hh", "partial", "those of the n gate"),
                mistake("dz with its sign flipped", s -> s.replace("(h.get(i, k) - ni)", "(ni - h.get(i, k))"),
                        "dL/dx, dL/dh, dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh, GradCheck", "dL/dW_ih", "partial", "those of the z gate"),
                mistake("the direct path h → h' left out", s -> s.replace("CommonOps_DDRM.addEquals(dx[1], dhDirect);", ""),
                        "dL/dh, GradCheck", "dL/dh", "known_mistake", "leaves out the direct path"),
                mistake("σ' taken as σ", s -> s.replace("zi * (1 - zi)", "zi").replace("ri * (1 - ri)", "ri"),
                        "dL/dx, dL/dh, dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh, GradCheck", "dL/dW_ih", "partial",
                        "those of the r gate and the z gate"),
                mistake("tanh' taken as 1 − n", s -> s.replace("(1 - ni * ni)", "(1 - ni)"),
                        "dL/dx, dL/dh, dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh, GradCheck", "dL/dW_ih", "partial",
                        "those of the r gate and the n gate"),
                mistake("gates r and z swapped", s -> s.replace("dA.set(i, k, drPre);\n                dA.set(i, hidden + k, dzPre);",
                        "dA.set(i, k, dzPre);\n                dA.set(i, hidden + k, drPre);")
                        .replace("dB.set(i, k, drPre);\n                dB.set(i, hidden + k, dzPre);", "dB.set(i, k, dzPre);\n                dB.set(i, hidden + k, drPre);"),
                        "dL/dx, dL/dh, dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh, GradCheck", "dL/dW_ih", "partial",
                        "those of the r gate and the z gate"),
                mistake("dW_ih overwritten, not accumulated", s -> s.replace("CommonOps_DDRM.multAddTransA(dA, x, dx[2]);",
                        "CommonOps_DDRM.multTransA(dA, x, dx[2]);"),
                        "dL/dW_ih", "dL/dW_ih", "overwritten", "write += where you wrote ="),
                mistake("dx never written", s -> s.replace("CommonOps_DDRM.multAdd(dA, wIh, dx[0]);", ""),
                        "dL/dx, GradCheck", "dL/dx", "zero", "the backward never wrote the gradient of 'x'"),
                mistake("dx with its sign flipped", s -> s.replace("CommonOps_DDRM.multAdd(dA, wIh, dx[0]);", "CommonOps_DDRM.multAdd(-1, dA, wIh, dx[0]);"),
                        "dL/dx, GradCheck", "dL/dx", "sign_flip", "has the wrong sign"),
                mistake("db_hh summed from the input side", s -> s.replace("dx[5].data[k] += dB.get(i, k);", "dx[5].data[k] += dA.get(i, k);"),
                        "dL/db_hh, GradCheck", "dL/db_hh", "partial", "those of the n gate")));
    }

    @TestFactory
    Stream<DynamicTest> conv2d() {
        String db = "dx[2].data[o] += g;";
        String dxAdd = "dx[0].add(n, pixel, g * weight.get(o, k));";
        String dwAdd = "dx[1].add(o, k, g * x.get(n, pixel));";
        return check(new Conv2dAssignment(), List.of(
                mistake("db as a mean over the output positions", s -> s.replace(db, "dx[2].data[o] += g / (outHeight * outWidth);"),
                        "dL/db, GradCheck", "dL/db", "constant_ratio", "P, the output positions H'·W' of a channel: a mean where a sum belongs"),
                mistake("db as a mean over the batch", s -> s.replace(db, "dx[2].data[o] += g / x.numRows;"),
                        "dL/db, GradCheck", "dL/db", "constant_ratio", "N, the batch size: a mean where a sum belongs"),
                mistake("dW from the last image only", s -> s.replace("for (int n = 0; n < x.numRows; n++) {\n            for (int o = 0; o < outChannels; o++) {\n"
                        + "                for (int i = 0; i < outHeight; i++) {\n                    for (int j = 0; j < outWidth; j++) {\n                        double g",
                        "for (int n = 0; n < x.numRows; n++) {\n            if (n > 0 && dx[1] != null) {\n                dx[1].zero();\n            }\n"
                                + "            for (int o = 0; o < outChannels; o++) {\n"
                                + "                for (int i = 0; i < outHeight; i++) {\n                    for (int j = 0; j < outWidth; j++) {\n                        double g"),
                        "dL/dW, GradCheck", "dL/dW", "last_row_only", "only the last row's contribution"),
                mistake("the stride forgotten in the backward", s -> s.replace("int row = i * stride + u - padding;\n                                    int col = j * stride + v - padding;\n                                    if (row < 0",
                        "int row = i + u - padding;\n                                    int col = j + v - padding;\n                                    if (row < 0"),
                        // the GradCheck cases have stride 1, where the stride does not matter
                        "dL/dx, dL/dW", "dL/dx", "unstructured|partial", "no simple pattern in the errors of 'x'"),
                mistake("dx with its sign flipped", s -> s.replace(dxAdd, "dx[0].add(n, pixel, -g * weight.get(o, k));"),
                        "dL/dx, GradCheck", "dL/dx", "sign_flip", "has the wrong sign"),
                mistake("dx never written", s -> s.replace(dxAdd, ""), "dL/dx, GradCheck", "dL/dx", "zero",
                        "the backward never wrote the gradient of 'x'"),
                mistake("db overwritten by its own sum", s -> s.replace(db, "").replace("        // END SOLUTION",
                        "        if (dx[2] != null) {\n            DMatrixRMaj sums = new DMatrixRMaj(1, outChannels);\n"
                                + "            for (int n = 0; n < x.numRows; n++) {\n                for (int p = 0; p < dy.numCols; p++) {\n"
                                + "                    sums.data[p / (outHeight * outWidth)] += dy.get(n, p);\n                }\n            }\n"
                                + "            dx[2].setTo(sums);\n        }\n        // END SOLUTION"),
                        "dL/db", "dL/db", "overwritten", "write += where you wrote ="),
                mistake("the padding's bounds not skipped", s -> s.replace("if (row < 0 || row >= height || col < 0 || col >= width) {\n"
                        + "                                        continue;\n                                    }", ""),
                        "dL/dx, dL/dW, dL/db, GradCheck", "dL/dx", "did_not_run", "the backward threw IllegalArgumentException: Specified element is out of bounds (at Conv2dOp.backward"),
                mistake("dx with the kernel flipped", s -> s.replace(dxAdd, "dx[0].add(n, pixel, g * weight.get(o, "
                        + "(c * kernelHeight + kernelHeight - 1 - u) * kernelWidth + kernelWidth - 1 - v));"),
                        "dL/dx, GradCheck", "dL/dx", "known_mistake", "the kernel flipped"),
                mistake("dW at the flipped kernel position", s -> s.replace(dwAdd, "dx[1].add(o, (c * kernelHeight + kernelHeight - 1 - u) * "
                        + "kernelWidth + kernelWidth - 1 - v, g * x.get(n, pixel));"),
                        "dL/dW, GradCheck", "dL/dW", "known_mistake", "the flipped kernel position"),
                mistake("dW twice", s -> s.replace(dwAdd, "dx[1].add(o, k, 2 * g * x.get(n, pixel));"),
                        "dL/dW, GradCheck", "dL/dW", "constant_ratio", "2 times too large")));
    }

    private static Stream<DynamicTest> check(Assignment a, List<Mistake> mistakes) {
        assertTrue(mistakes.size() >= 10, a.name() + ": at least ten classic mistakes, got " + mistakes.size());
        return mistakes.stream().map(m -> dynamicTest(a.name() + ": " + m.name(), () -> verify(a, m)));
    }

    private static void verify(Assignment a, Mistake m) {
        GradeReport r = new Grader(a, Grader.Options.hidden(SEED)).gradeHere(m.edit().apply(Submissions.solution(a)).load());
        assertEquals(GradeReport.Status.GRADED, r.status(), r::toString);
        Set<String> lost = r.results().stream().filter(t -> !t.passed()).map(GradeReport.TestResult::check)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(m.loses(), lost, () -> "the tests lost\n" + r);
        assertTrue(r.score() < r.maxScore(), r::toString);
        List<GradeReport.TestResult> wrong = r.results().stream().filter(t -> !t.passed() && t.check().equals(m.tensor())).toList();
        List<String> kinds = List.of(m.kind().split("\\|"));
        for (GradeReport.TestResult t : wrong) {
            assertTrue(kinds.contains(t.kind()), () -> t.name() + ": " + t.kind() + ": " + t.feedback() + "\n" + r);
        }
        assertTrue(wrong.get(0).feedback().contains(m.phrase()), () -> "'" + m.phrase() + "' in " + wrong.get(0).feedback());
    }
}
