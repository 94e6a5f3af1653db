package dev.normgrad.tutorials.coursework;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes an assignment's handout: the folder a student gets. Three files, all from the assignment's two
 * sources (the reference {@code CLASS.java} and the {@code README.md} template):
 * <ul>
 *   <li>{@code CLASS.java}: the reference with every part between {@code // BEGIN SOLUTION} and
 *       {@code // END SOLUTION} (nbgrader's markers) replaced by {@code // YOUR CODE HERE} and a
 *       {@code throw} that says the part is not written yet — it compiles, and the grader scores it 0;</li>
 *   <li>{@code README.md}: the math, the shapes and the conventions, then how to run the public tests
 *       and what they are worth, and what to hand in;</li>
 *   <li>{@code NAME.ipynb}: the same exercise as a notebook in the Java kernel, in the style of chapter 7:
 *       the README's text, the class in a cell to complete, and a cell running the public tests.</li>
 * </ul>
 * With {@code solution} the marked parts are kept (markers included, so the files can go back into
 * nbgrader or into this tool).
 */
public final class Handout {
    private static final Pattern BEGIN = Pattern.compile("^(\\s*)// BEGIN SOLUTION\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// END SOLUTION\\s*$");
    private static final Pattern METHOD = Pattern.compile(
            "^\\s*(?:(?:public|protected|private|static|final|synchronized)\\s+)*[\\w<>\\[\\], .]+\\s+(\\w+)\\s*\\([^;]*\\)\\s*(?:throws\\s+[\\w., ]+)?\\s*\\{\\s*$");
    private static final String NOTEBOOK_KERNEL = "normgrad-java";

    private final Assignment assignment;
    private final boolean solution;

    public Handout(Assignment assignment, boolean solution) {
        this.assignment = assignment;
        this.solution = solution;
    }

    /** The handout's files by name, in the order written. */
    public Map<String, String> files(NotebookJars jars) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(assignment.className() + ".java", source());
        files.put("README.md", readme());
        files.put(assignment.name() + ".ipynb", notebook(jars));
        return files;
    }

    /** The class as the student gets it. */
    public String source() {
        String reference = assignment.referenceSource();
        return solution ? reference : release(reference, assignment.className());
    }

    /**
     * {@code source} with each marked region replaced by a body that compiles and throws "not written
     * yet". A region must close the method it is in (code after it would be unreachable).
     */
    public static String release(String source, String className) {
        List<String> lines = source.lines().toList();
        StringBuilder out = new StringBuilder();
        String method = null;
        int regions = 0;
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            Matcher m = METHOD.matcher(line);
            if (m.matches() && !Pattern.compile("^\\s*(if|for|while|switch|catch|synchronized|else)\\b").matcher(line).find()) {
                method = m.group(1);
            }
            Matcher begin = BEGIN.matcher(line);
            if (END.matcher(line).matches()) {
                throw new IllegalStateException(className + ".java, line " + (k + 1) + ": END SOLUTION without BEGIN SOLUTION");
            }
            if (!begin.matches()) {
                out.append(line).append('\n');
                continue;
            }
            int end = k + 1;
            while (end < lines.size() && !END.matcher(lines.get(end)).matches()) {
                if (BEGIN.matcher(lines.get(end)).matches()) {
                    throw new IllegalStateException(className + ".java, line " + (end + 1) + ": BEGIN SOLUTION inside another");
                }
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(className + ".java, line " + (k + 1) + ": BEGIN SOLUTION is never closed");
            }
            String indent = begin.group(1);
            String where = className + (method == null ? "" : "." + method);
            out.append(indent).append("// YOUR CODE HERE\n");
            out.append(indent).append("throw new UnsupportedOperationException(\"").append(where).append(": not written yet\");\n");
            regions++;
            k = end;
        }
        if (regions == 0) {
            throw new IllegalStateException(className + ".java has no BEGIN SOLUTION / END SOLUTION region");
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ README

    /** The README, its placeholders filled in. */
    public String readme() {
        return fill(assignment.readmeTemplate(), checkSection("README"), handInSection(false));
    }

    private String fill(String template, String check, String handIn) {
        return template.replace("{{title}}", assignment.title())
                .replace("{{name}}", assignment.name())
                .replace("{{class}}", assignment.className())
                .replace("{{check}}", check)
                .replace("{{hand-in}}", handIn);
    }

    private String checkSection(String where) {
        StringBuilder s = new StringBuilder();
        if (where.equals("README")) {
            s.append("From your NormGrad folder, run the public tests on this folder:\n\n")
                    .append("```bash\n./normgrad grade PATH/TO/THIS/FOLDER --assignment ").append(assignment.name()).append(" --public\n```\n\n")
                    .append("The grader compiles your class, runs it in a JVM of its own, and prints test by test what\n")
                    .append("passed and, for what did not, what is wrong in plain words (\"the gradient of 'β' is 4 times\n")
                    .append("too small ...; 4 = N, the batch size: a mean where a sum belongs?\").");
        } else {
            s.append("The next cell runs the public tests on your class, here in the notebook: the grader's own\n")
                    .append("checks, with its feedback, test by test. (From a terminal, `./normgrad grade FOLDER --assignment ")
                    .append(assignment.name()).append(" --public`\nruns the same tests on a folder.)");
        }
        s.append(" The public tests are:\n\n| case | tests | points |\n|---|---|---|\n");
        double total = 0;
        for (Case c : assignment.publicCases()) {
            List<String> labels = new ArrayList<>();
            double points = 0;
            for (Assignment.Test t : assignment.tests(c)) {
                if (t.points() > 0) {
                    labels.add(t.label());
                    points += t.points();
                }
            }
            total += points;
            s.append("| ").append(c.title()).append(" | ").append(String.join(", ", labels)).append(" | ")
                    .append(Assignment.points(points)).append(" |\n");
        }
        s.append("| total | | ").append(Assignment.points(total)).append(" |\n\n");
        s.append("Your grade comes from other inputs, drawn from a seed you do not see: odd and non-square sizes,\n")
                .append("a batch of two, a constant column, and other values. Code that passes the public tests only\n")
                .append("because of their sizes will not pass those. The forward is checked too (0 points): if you\n")
                .append("change it, the feedback says so.");
        return s.toString();
    }

    private String handInSection(boolean notebook) {
        String java = "`" + assignment.className() + ".java`";
        String ipynb = "`" + assignment.name() + ".ipynb`";
        return (notebook ? "Hand in this notebook, " + ipynb + " (the grader reads the class from its code cell), or the class\nas "
                + java + ": one of the two, not both." : "Hand in " + java + ", or, if you worked in the notebook, " + ipynb
                + " (the grader reads the class from\nits code cell): one of the two, not both.")
                + " Keep the class's name and its constructor; helper classes of your\nown may sit beside it. "
                + "Use only `Function`, EJML and the JDK: a submission that hands the work to\nNormGrad's own implementation "
                + "(its layers, its ops, its autograd) scores 0.";
    }

    // ------------------------------------------------------------------ notebook

    /**
     * Where the notebook loads NormGrad from: its {@code %jar} cell names the tutorials jar alone, whose manifest
     * ({@code Class-Path}) names every jar of {@code lib/} beside it, so the cell prints one line.
     */
    public record NotebookJars(Path tutorialsJar) {
    }

    /** The exercise as a Jupyter notebook in the Java kernel (nbformat 4.5, outputs empty). */
    public String notebook(NotebookJars jars) {
        String readme = fill(assignment.readmeTemplate(), checkSection("notebook"), handInSection(true));
        Map<String, String> sections = sections(readme);
        String source = source();
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : source.lines().toList()) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else if (!(body.length() == 0 && line.isBlank())) {
                body.append(line.replaceFirst("^public (class|final class|abstract class) ", "$1 ")).append('\n');
            }
        }
        imports.add("import dev.normgrad.tutorials.coursework.grader.Grader;");

        JsonArray cells = new JsonArray();
        cells.add(markdown(sections.get("") + "\n\nThis notebook is the exercise of `" + assignment.className()
                + ".java` in the Java kernel. Run the cells from the top\n(Shift-Enter); fill in the cell marked EXERCISE; run the public tests below it."));
        cells.add(code("options().display().text().colored(false);", false));
        cells.add(code("%jar " + jars.tutorialsJar(), true));
        StringBuilder math = new StringBuilder();
        for (Map.Entry<String, String> e : sections.entrySet()) {
            if (!e.getKey().isEmpty() && !e.getKey().startsWith("Check") && !e.getKey().startsWith("Hand in")) {
                math.append(math.length() == 0 ? "" : "\n\n").append("## ").append(e.getKey()).append("\n\n").append(e.getValue());
            }
        }
        cells.add(markdown(math.toString()));
        cells.add(code(String.join("\n", imports), false));
        cells.add(markdown("## Exercise\n\nFill in the parts marked `YOUR CODE HERE` (each throws \"not written yet\" until you do)."));
        cells.add(code("// ============================== EXERCISE ==============================\n" + body.toString().stripTrailing(), false));
        cells.add(markdown("## Check your work\n\n" + sections.getOrDefault("Check your work", "")));
        cells.add(code("System.out.println(Grader.publicTests(\"" + assignment.name() + "\", " + assignment.className() + ".class));", false));
        cells.add(markdown("## Hand in\n\n" + sections.getOrDefault("Hand in", "")));

        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("display_name", "Java (NormGrad)");
        kernelspec.addProperty("language", "java");
        kernelspec.addProperty("name", NOTEBOOK_KERNEL);
        JsonObject language = new JsonObject();
        language.addProperty("name", "java");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        metadata.add("language_info", language);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        for (int i = 0; i < cells.size(); i++) {
            cells.get(i).getAsJsonObject().addProperty("id", String.format(Locale.ROOT, "%s-%02d", assignment.name(), i));
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(nb) + "\n";
    }

    /** The README's text by "## " heading ("" for what precedes the first, without the title line). */
    static Map<String, String> sections(String readme) {
        Map<String, String> sections = new LinkedHashMap<>();
        String heading = "";
        StringBuilder text = new StringBuilder();
        for (String line : readme.lines().toList()) {
            if (line.startsWith("## ")) {
                sections.put(heading, text.toString().strip());
                heading = line.substring(3).strip();
                text.setLength(0);
            } else if (!line.startsWith("# ")) {
                text.append(line).append('\n');
            } else {
                text.append(line).append("\n");
            }
        }
        sections.put(heading, text.toString().strip());
        return sections;
    }

    private static JsonObject markdown(String text) {
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "markdown");
        cell.add("metadata", new JsonObject());
        cell.add("source", lines(text));
        return cell;
    }

    private static JsonObject code(String text, boolean removeOutput) {
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "code");
        cell.add("execution_count", null);
        JsonObject metadata = new JsonObject();
        if (removeOutput) {
            JsonArray tags = new JsonArray();
            tags.add("remove-output");
            metadata.add("tags", tags);
        }
        cell.add("metadata", metadata);
        cell.add("outputs", new JsonArray());
        cell.add("source", lines(text));
        return cell;
    }

    /** Jupyter's form: a list of lines, each but the last ending in a newline. */
    private static JsonArray lines(String text) {
        JsonArray a = new JsonArray();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            a.add(i < parts.length - 1 ? parts[i] + "\n" : parts[i]);
        }
        return a;
    }
}
