package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubmissionSourcesTest {
    @Test
    void aCellIsCutIntoItsTopLevelPiecesWhateverItsStringsAndCommentsHold() {
        String cell = """
                %jar ../x.jar
                import java.util.List;
                int k = "}{;".length(); // a brace in a comment: }
                /* and one here: { */
                class A extends Function { String s = "}"; char c = '{'; void m() { if (true) { } } }
                record R(int a) { }
                """;
        List<String> chunks = SubmissionSources.chunks(cell).stream().map(String::strip).toList();
        assertEquals(List.of("import java.util.List;", "int k = \"}{;\".length();",
                "// a brace in a comment: }\n/* and one here: { */\nclass A extends Function { String s = \"}\"; char c = '{'; void m() { if (true) { } } }",
                "record R(int a) { }"), chunks);
    }

    @Test
    void aNotebookGivesItsImportsAndTypesAsOneUnitAndNothingElse() {
        String notebook = """
                {"cells": [
                  {"cell_type": "markdown", "source": ["class NotCode extends Function { }"]},
                  {"cell_type": "code", "source": ["%jar lib\\n", "import org.ejml.data.DMatrixRMaj;\\n", "import dev.normgrad.autograd.Function;"]},
                  {"cell_type": "code", "source": "public class Mine extends Function { }\\nSystem.out.println(new Mine());"},
                  {"cell_type": "code", "source": ["System.out.println(Grader.publicTests(\\"layernorm\\", Mine.class));"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """;
        SubmissionSources.Source s = SubmissionSources.fromNotebook("hw.ipynb", "hw.ipynb", notebook);
        assertEquals("hw_ipynb.java", s.unitName());
        assertEquals("import org.ejml.data.DMatrixRMaj;\nimport dev.normgrad.autograd.Function;\n\n"
                + "// from code cell 3 of hw.ipynb\nclass Mine extends Function { }\n\n", s.text());
        assertNull(SubmissionSources.fromNotebook("x.ipynb", "x.ipynb", "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"int a = 1;\"}]}"));
        assertNull(SubmissionSources.fromNotebook("x.ipynb", "x.ipynb", "not json"));
        assertTrue(SubmissionSources.chunks("").isEmpty());
    }
}
