package dev.normgrad.tutorials.coursework.grader;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java sources of a submission folder: its {@code .java} files, or the classes declared in the code
 * cells of its notebook ({@code .ipynb}, the exercise done in Jupyter), never both. A notebook's cells
 * are JShell snippets: its imports and its type declarations become one compilation unit; statements and
 * magics are left out.
 */
final class SubmissionSources {
    /** A compilation unit. {@code shown} is how messages name it ("LayerNormOp.java", "layernorm.ipynb"). */
    record Source(String unitName, String shown, String text) {
    }

    static final int MAX_FILES = 200;
    static final long MAX_FILE_BYTES = 1 << 20;
    static final long MAX_TOTAL_BYTES = 4 << 20;
    private static final int MAX_DEPTH = 4;
    private static final Pattern FUNCTION_SUBCLASS = Pattern.compile("\\bclass\\s+(\\w+)\\s+extends\\s+(?:dev\\.normgrad\\.autograd\\.)?Function\\b");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
                    + "(class|interface|record|enum)\\s+\\w+");

    private SubmissionSources() {
    }

    /**
     * The sources of {@code folder}.
     *
     * @param shown the folder as the user named it, for messages
     * @throws BadSubmissionException if the folder is missing, holds no source, holds too much, or holds
     *                                the class both as a .java file and in a notebook
     */
    static List<Source> find(Path folder, String shown) {
        if (!Files.exists(folder)) {
            throw new BadSubmissionException(shown + ": no such folder");
        }
        if (!Files.isDirectory(folder)) {
            throw new BadSubmissionException(shown + ": is a file, not a folder; give the folder that holds the submission");
        }
        List<Path> java = new ArrayList<>();
        List<Path> notebooks = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
            for (Path p : walk.sorted(Comparator.comparing(Path::toString)).toList()) {
                Path rel = folder.relativize(p);
                if (hidden(rel) || !Files.isRegularFile(p)) {
                    continue;
                }
                String name = p.getFileName().toString();
                if (name.endsWith(".java")) {
                    java.add(p);
                } else if (name.endsWith(".ipynb")) {
                    notebooks.add(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BadSubmissionException(shown + ": cannot be read (" + e.getMessage() + ")");
        }
        if (java.size() + notebooks.size() > MAX_FILES) {
            throw new BadSubmissionException(shown + ": " + (java.size() + notebooks.size()) + " source files, more than "
                    + MAX_FILES + "; hand in the assignment's class and its helpers only");
        }
        long total = 0;
        List<Source> fromJava = new ArrayList<>();
        for (Path p : java) {
            String text = read(p, folder, shown);
            total += text.length();
            fromJava.add(new Source(p.getFileName().toString(), display(folder, p), text));
        }
        List<Source> fromNotebooks = new ArrayList<>();
        for (Path p : notebooks) {
            String text = read(p, folder, shown);
            total += text.length();
            Source s = fromNotebook(p.getFileName().toString(), display(folder, p), text);
            if (s != null) {
                fromNotebooks.add(s);
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new BadSubmissionException(shown + ": " + total / 1024 + " KB of sources, more than " + MAX_TOTAL_BYTES / 1024 + " KB");
        }
        List<String> javaCandidates = candidates(fromJava);
        List<String> notebookCandidates = candidates(fromNotebooks);
        List<Source> sources;
        if (!javaCandidates.isEmpty() && !notebookCandidates.isEmpty()) {
            // a handout folder holds both: grade the one worked on, the one with fewer parts left unwritten
            int javaLeft = unwritten(fromJava);
            int notebookLeft = unwritten(fromNotebooks);
            if (javaLeft == 0 && notebookLeft == 0) {
                throw new BadSubmissionException(shown + ": two candidate classes, " + javaCandidates.get(0) + " and "
                        + notebookCandidates.get(0) + "; hand in the .java file or the notebook, not both");
            }
            sources = notebookLeft < javaLeft ? fromNotebooks : fromJava;
        } else {
            sources = !javaCandidates.isEmpty() || notebookCandidates.isEmpty() && !fromJava.isEmpty() ? fromJava : fromNotebooks;
        }
        if (sources.isEmpty()) {
            throw new BadSubmissionException(shown + ": no Java source (no .java file, and no notebook with a class in a code cell)");
        }
        return sources;
    }

    /** How many parts of the handout are still unwritten: the throws the handout put in their place. */
    private static int unwritten(List<Source> sources) {
        int n = 0;
        for (Source s : sources) {
            n += s.text().split(Pattern.quote(": not written yet\");"), -1).length - 1;
        }
        return n;
    }

    /** "Name (in File)" for each class extending Function, by its source text. */
    private static List<String> candidates(List<Source> sources) {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            Matcher m = FUNCTION_SUBCLASS.matcher(s.text());
            while (m.find()) {
                found.add(m.group(1) + " (in " + s.shown() + ")");
            }
        }
        return found;
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) {
            String s = part.toString();
            if (s.startsWith(".") || s.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    private static String display(Path folder, Path file) {
        return folder.relativize(file).toString();
    }

    private static String read(Path p, Path folder, String shown) {
        try {
            long size = Files.size(p);
            if (size > MAX_FILE_BYTES) {
                throw new BadSubmissionException(shown + ": " + display(folder, p) + " is " + size / 1024 + " KB, more than "
                        + MAX_FILE_BYTES / 1024 + " KB");
            }
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadSubmissionException(shown + ": " + display(folder, p) + " cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The imports and type declarations of a notebook's code cells as one unit, or null if it declares no type. */
    static Source fromNotebook(String fileName, String shown, String json) {
        JsonArray cells;
        try {
            JsonElement root = JsonParser.parseString(json);
            cells = root.isJsonObject() && root.getAsJsonObject().get("cells") instanceof JsonArray a ? a : null;
        } catch (JsonParseException e) {
            return null;
        }
        if (cells == null) {
            return null;
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            if (!(cells.get(k) instanceof JsonObject cell) || !cell.has("cell_type") || !"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            for (String chunk : chunks(cellSource(cell))) {
                String head = stripLeadingComments(chunk);
                if (head.startsWith("import ")) {
                    imports.append(head.strip()).append('\n');
                } else if (TYPE_DECLARATION.matcher(head).find()) {
                    // JShell ignores "public" on a top-level declaration; javac would want it in a file of that name
                    types.append("// from code cell ").append(k + 1).append(" of ").append(shown).append('\n')
                            .append(chunk.strip().replaceFirst("(?m)^public\\s+((?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s)", "$1"))
                            .append("\n\n");
                }
            }
        }
        if (types.length() == 0) {
            return null;
        }
        return new Source(fileName.replaceAll("[^\\w]", "_") + ".java", shown, imports + "\n" + types);
    }

    private static String cellSource(JsonObject cell) {
        JsonElement src = cell.get("source");
        if (src == null) {
            return "";
        }
        if (src.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonElement e : src.getAsJsonArray()) {
                s.append(e.getAsString());
            }
            return s.toString();
        }
        return src.getAsString();
    }

    /**
     * A cell's text cut into its top-level pieces: each ends at a ';' or a '}' at brace depth 0.
     * Comments, strings, character literals and text blocks are skipped over; magic lines ({@code %jar})
     * are dropped.
     */
    static List<String> chunks(String cell) {
        StringBuilder text = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            if (!line.stripLeading().startsWith("%")) {
                text.append(line).append('\n');
            }
        }
        String s = text.toString();
        List<String> chunks = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
                continue;
            }
            if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                continue;
            }
            if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
                continue;
            }
            if (ch == '"' || ch == '\'') {
                i++;
                while (i < s.length() && s.charAt(i) != ch && s.charAt(i) != '\n') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                continue;
            }
            if (ch == '{') {
                depth++;
            } else if (ch == '}') {
                depth = Math.max(0, depth - 1);
            }
            i++;
            if (depth == 0 && (ch == ';' || ch == '}')) {
                chunks.add(s.substring(start, i));
                start = i;
            }
        }
        if (!s.substring(start).isBlank()) {
            chunks.add(s.substring(start));
        }
        return chunks;
    }

    private static String stripLeadingComments(String chunk) {
        String s = chunk.stripLeading();
        while (true) {
            if (s.startsWith("//")) {
                int end = s.indexOf('\n');
                s = end < 0 ? "" : s.substring(end + 1).stripLeading();
            } else if (s.startsWith("/*")) {
                int end = s.indexOf("*/");
                s = end < 0 ? "" : s.substring(end + 2).stripLeading();
            } else {
                return s;
            }
        }
    }
}
