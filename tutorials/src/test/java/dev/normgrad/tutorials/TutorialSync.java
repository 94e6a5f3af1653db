package dev.normgrad.tutorials;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether the tutorials (Markdown rendered from the executed notebooks) are current: every
 * {@code notebooks/NAME.ipynb} has a {@code tutorials/NAME.md} whose fenced code blocks are the
 * notebook's code cells (and the code blocks of its Markdown cells), in order; every figure the
 * tutorial shows exists; the index {@code tutorials/README.md} links every chapter; and notebooks
 * are committed clean (the Java kernel, no outputs).
 */
final class TutorialSync {

    /** The kernelspec every notebook must name (installed by notebooks/install-kernel.sh). */
    static final String KERNEL = "normgrad-java";
    static final String FIX = "Fix: run notebooks/run-notebooks.sh --render, then commit notebooks/ and tutorials/.";

    /** What JShell shows for an object without a toString of its own, e.g. java.io.PrintStream@3298e969. */
    private static final Pattern LEAKED_OBJECT = Pattern.compile("\\bjava\\.[a-z]+(\\.[A-Za-z]+)+@[0-9a-f]{4,}\\b");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    private TutorialSync() {
    }

    /** Every problem found; empty when the tutorials are current. */
    static List<String> problems(Path notebooks, Path tutorials) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> chapters = new ArrayList<>();
        for (Path notebook : list(notebooks, ".ipynb")) {
            String name = stem(notebook);
            chapters.add(name);
            JsonObject nb = JsonParser.parseString(Files.readString(notebook, StandardCharsets.UTF_8)).getAsJsonObject();
            problems.addAll(cleanliness(notebook, nb));
            Path tutorial = tutorials.resolve(name + ".md");
            if (!Files.isRegularFile(tutorial)) {
                problems.add(tutorial + " is missing (rendered from " + notebook + ")");
                continue;
            }
            String markdown = Files.readString(tutorial, StandardCharsets.UTF_8);
            String diff = firstDifference(expectedBlocks(nb), fencedBlocks(markdown));
            if (diff != null) {
                problems.add(tutorial + " is stale against " + notebook + ": " + diff);
            }
            Matcher leak = LEAKED_OBJECT.matcher(markdown);
            if (leak.find()) {
                problems.add(tutorial + " shows " + leak.group() + ": a cell ended with an expression whose value is an"
                        + " object without a useful toString (System.out.printf returns the PrintStream); end the cell"
                        + " with a statement, e.g. System.out.println(String.format(...))");
            }
            Matcher m = IMAGE.matcher(markdown);
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.isRegularFile(tutorials.resolve(target))) {
                    problems.add(tutorial + " shows " + target + ", which does not exist");
                }
            }
        }
        for (Path md : list(tutorials, ".md")) {
            String name = stem(md);
            if (!name.equals("README") && !chapters.contains(name)) {
                problems.add(md + " has no notebook " + notebooks.resolve(name + ".ipynb"));
            }
        }
        Path index = tutorials.resolve("README.md");
        if (!chapters.isEmpty()) {
            String text = Files.isRegularFile(index) ? Files.readString(index, StandardCharsets.UTF_8) : "";
            for (String name : chapters) {
                if (!text.contains("(" + name + ".md)")) {
                    problems.add(index + " does not link chapter " + name + ".md (the index orders the chapters into a course)");
                }
            }
        }
        return problems;
    }

    /** Notebooks name the project's kernel and carry no outputs: outputs live in the rendered tutorials. */
    static List<String> cleanliness(Path notebook, JsonObject nb) {
        List<String> problems = new ArrayList<>();
        JsonObject metadata = nb.has("metadata") ? nb.getAsJsonObject("metadata") : new JsonObject();
        String kernel = metadata.has("kernelspec") && metadata.getAsJsonObject("kernelspec").has("name")
                ? metadata.getAsJsonObject("kernelspec").get("name").getAsString() : "(none)";
        if (!kernel.equals(KERNEL)) {
            problems.add(notebook + " uses kernel " + kernel + "; set its kernelspec name to " + KERNEL);
        }
        JsonArray cells = nb.getAsJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            boolean outputs = cell.has("outputs") && cell.getAsJsonArray("outputs").size() > 0;
            boolean counted = cell.has("execution_count") && !cell.get("execution_count").isJsonNull();
            if (outputs || counted) {
                problems.add(notebook + " cell " + (i + 1) + " has outputs; notebooks are committed without them"
                        + " (run-notebooks.sh --render clears them)");
                break;
            }
        }
        return problems;
    }

    /** The code blocks a faithful rendering shows: Markdown cells' own blocks and every code cell, in order. */
    static List<String> expectedBlocks(JsonObject nb) {
        List<String> blocks = new ArrayList<>();
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            JsonObject cell = e.getAsJsonObject();
            String type = cell.get("cell_type").getAsString();
            String source = source(cell);
            if (type.equals("code")) {
                blocks.add(normalize(source));
            } else if (type.equals("markdown")) {
                blocks.addAll(fencedBlocks(source));
            }
        }
        return blocks;
    }

    /** The contents of the fenced (```) code blocks of a Markdown text, in order. */
    static List<String> fencedBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (block == null) {
                    block = new StringBuilder();
                } else {
                    blocks.add(normalize(block.toString()));
                    block = null;
                }
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** Null if equal, else where the first difference is, for a reader. */
    static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                String[] e = expected.get(i).split("\n", -1);
                String[] a = actual.get(i).split("\n", -1);
                int line = 0;
                while (line < Math.min(e.length, a.length) && e[line].equals(a[line])) {
                    line++;
                }
                return "code block " + (i + 1) + " differs at line " + (line + 1) + ": notebook has \""
                        + (line < e.length ? e[line] : "(end)") + "\", tutorial has \""
                        + (line < a.length ? a[line] : "(end)") + "\"";
            }
        }
        if (expected.size() != actual.size()) {
            return "the notebook has " + expected.size() + " code blocks, the tutorial " + actual.size();
        }
        return null;
    }

    static String source(JsonObject cell) {
        JsonElement source = cell.get("source");
        if (source == null) {
            return "";
        }
        if (source.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonElement line : source.getAsJsonArray()) {
                s.append(line.getAsString());
            }
            return s.toString();
        }
        return source.getAsString();
    }

    /** Line endings and trailing blank space do not count. */
    private static String normalize(String code) {
        return code.replace("\r\n", "\n").replaceAll("[ \t]+\n", "\n").strip();
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
