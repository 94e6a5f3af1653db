package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reports the README shows are the ones its examples print (its Java blocks run in ReadmeExamplesTest). */
class ReadmeReportsTest {
    private static void assertShown(String printed) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains("```text\n" + printed) || readme.contains(printed + "\n```"),
                "README.md should show what its example prints:\n" + printed);
    }

    @Test
    void theFirstExamplesReport() throws IOException {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
        Tensor w = Tensor.row(0.1, -0.2, 0.3).requiresGrad(true);
        assertShown(GradCheck.check(in -> in[0].mul(in[1]).tanh(), x, w).toString());
    }

    @Test
    void theDiagnosisAndTheLocationOfAWrongOp() throws IOException {
        Tensor z = Tensor.randn(3, 4, new Random(2)).name("z");
        String check = GradCheck.check(in -> new PlantedOps.SquareSlip().apply(in[0]), z).toString();
        String locate = GradCheck.locate(in -> new PlantedOps.SquareSlip().apply(in[0].tanh()).mul(3.0), z).toString();
        assertShown(check + "\n" + locate);
    }
}
