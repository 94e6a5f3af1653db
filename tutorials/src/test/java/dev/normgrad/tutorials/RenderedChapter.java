package dev.normgrad.tutorials;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A chapter as its rendering shows it: the notebook's cells in order, each code cell with the outputs
 * the Markdown rendering ({@code jupyter nbconvert --to markdown}) printed after it. nbconvert writes a
 * Markdown cell verbatim and a code cell as a {@code ```java} block followed by its outputs, text
 * indented by four spaces and figures as {@code ![png](NAME_files/...)}; the outputs of a code cell are
 * what lies between the end of its block and the start of the next cell.
 */
final class RenderedChapter {
    /** The word that marks an output line as a timing: such lines differ from run to run and are exempt. */
    static final String TIMING = "timing";

    /**
     * A link from one chapter to another: {@code NN-name.ipynb} opens the notebook inside Jupyter, and the
     * rendering links {@code NN-name.md} instead (notebooks/run-notebooks.sh rewrites it).
     */
    private static final Pattern CHAPTER_LINK = Pattern.compile("\\]\\((\\d{2}-[A-Za-z0-9_-]+)\\.ipynb(#[^)]*)?\\)");

    /**
     * One cell.
     *
     * @param index   its position in the notebook, from 0
     * @param markdown true for a Markdown cell
     * @param source  its text
     * @param outputs for a code cell, its output lines (text unindented; a figure as its {@code ![png](...)} line)
     */
    record Cell(int index, boolean markdown, String source, List<String> outputs) {
    }

    private final String name;
    private final List<Cell> cells;

    private RenderedChapter(String name, List<Cell> cells) {
        this.name = name;
        this.cells = cells;
    }

    String name() {
        return name;
    }

    List<Cell> cells() {
        return cells;
    }

    /** Every output line of every code cell, in order. */
    List<String> outputLines() {
        List<String> lines = new ArrayList<>();
        for (Cell c : cells) {
            lines.addAll(c.outputs());
        }
        return lines;
    }

    /** The text of the Markdown cells. */
    List<Cell> markdownCells() {
        return cells.stream().filter(Cell::markdown).toList();
    }

    /** The source of the code cells. */
    List<Cell> codeCells() {
        return cells.stream().filter(c -> !c.markdown()).toList();
    }

    /** A cell's source as the rendering shows it: a Markdown cell with its links to chapters as rendered. */
    private static String shown(JsonObject cell, boolean code) {
        String source = TutorialSync.source(cell);
        return code ? source : CHAPTER_LINK.matcher(source).replaceAll("]($1.md$2)");
    }

    /**
     * Reads a notebook and its rendering.
     *
     * @throws IllegalStateException if a cell of the notebook cannot be found in the rendering, in order
     *                               (the rendering is stale: TutorialSync says where)
     */
    static RenderedChapter read(Path notebook, Path markdown) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(notebook, StandardCharsets.UTF_8)).getAsJsonObject();
        String md = Files.readString(markdown, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<JsonObject> raw = new ArrayList<>();
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            raw.add(e.getAsJsonObject());
        }
        // where each cell starts in the rendering, and where a code cell's block ends
        int[] start = new int[raw.size()];
        int[] blockEnd = new int[raw.size()];
        int cursor = 0;
        for (int i = 0; i < raw.size(); i++) {
            JsonObject cell = raw.get(i);
            boolean code = cell.get("cell_type").getAsString().equals("code");
            String source = shown(cell, code).replace("\r\n", "\n").strip();
            // a Markdown cell is written verbatim (it may hold a ```java block of its own: skip all of it)
            String first = code ? "```java\n" : source;
            int at = first.isEmpty() ? cursor : md.indexOf(first, cursor);
            if (at < 0) {
                throw new IllegalStateException(markdown + " does not show cell " + (i + 1) + " of " + notebook
                        + " where expected (" + abbreviate(first) + "); " + TutorialSync.FIX);
            }
            start[i] = at;
            if (code) {
                int fence = md.indexOf("\n```", at + first.length() - 1);
                if (fence < 0) {
                    throw new IllegalStateException(markdown + ": the code block of cell " + (i + 1) + " is not closed");
                }
                blockEnd[i] = fence + 4;
                cursor = blockEnd[i];
            } else {
                cursor = at + source.length();
                blockEnd[i] = -1;
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            JsonObject cell = raw.get(i);
            boolean code = blockEnd[i] >= 0;
            List<String> outputs = new ArrayList<>();
            if (code) {
                int end = i + 1 < raw.size() ? start[i + 1] : md.length();
                for (String line : md.substring(blockEnd[i], Math.max(blockEnd[i], end)).split("\n", -1)) {
                    if (line.startsWith("    ")) {
                        outputs.add(line.substring(4));
                    } else if (line.startsWith("![")) {
                        outputs.add(line.strip());
                    } else if (!line.isBlank()) {
                        outputs.add(line);
                    }
                }
            }
            cells.add(new Cell(i, !code, shown(cell, code), outputs));
        }
        return new RenderedChapter(stem(notebook), cells);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }
}
