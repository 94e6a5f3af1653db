package dev.normgrad.tutorials;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Whether two renderings of a chapter ({@code NAME.md} and its figures in {@code NAME_files/}, as
 * {@code run-notebooks.sh} writes them) show the same thing: the same lines, except lines that report
 * a timing (they contain the word "timing"), and the same figures, pixel for pixel.
 */
final class RenderedOutputs {
    private RenderedOutputs() {
    }

    /** The chapters rendered in {@code dir}: the stems of its {@code *.md} files, sorted. */
    static List<String> chapters(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md") && !n.equals("README.md"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    /**
     * What differs between chapter {@code name} rendered in {@code expected} and in {@code actual}; empty
     * when they show the same.
     */
    static List<String> differences(Path expected, Path actual, String name) throws IOException {
        List<String> problems = new ArrayList<>();
        Path a = expected.resolve(name + ".md");
        Path b = actual.resolve(name + ".md");
        for (Path p : List.of(a, b)) {
            if (!Files.isRegularFile(p)) {
                problems.add(p + " is missing");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        List<String> left = lines(a);
        List<String> right = lines(b);
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "(end)";
            String r = i < right.size() ? right.get(i) : "(end)";
            if (!l.equals(r)) {
                problems.add(name + ": " + a + " and " + b + " differ (timing lines left out), first at line " + (i + 1)
                        + ":\n  " + l + "\n  " + r);
                break;
            }
        }
        TreeSet<String> figures = new TreeSet<>(figures(expected, name));
        TreeSet<String> others = new TreeSet<>(figures(actual, name));
        if (!figures.equals(others)) {
            problems.add(name + ": figures " + figures + " in " + expected + ", " + others + " in " + actual);
            return problems;
        }
        for (String f : figures) {
            String why = samePixels(expected.resolve(name + "_files").resolve(f), actual.resolve(name + "_files").resolve(f));
            if (why != null) {
                problems.add(name + ": figure " + f + " " + why);
            }
        }
        return problems;
    }

    /** The lines of a rendering, without those that report a timing. */
    static List<String> lines(Path md) throws IOException {
        return Files.readAllLines(md, StandardCharsets.UTF_8).stream().filter(l -> !l.contains(RenderedChapter.TIMING)).toList();
    }

    private static List<String> figures(Path dir, String name) throws IOException {
        Path files = dir.resolve(name + "_files");
        if (!Files.isDirectory(files)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(files)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Null when both images have the same size and pixels, else what differs. */
    private static String samePixels(Path a, Path b) throws IOException {
        BufferedImage x = ImageIO.read(a.toFile());
        BufferedImage y = ImageIO.read(b.toFile());
        if (x == null || y == null) {
            return "is not a readable image in " + (x == null ? a : b);
        }
        if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
            return "is " + x.getWidth() + "x" + x.getHeight() + " in " + a + " and " + y.getWidth() + "x" + y.getHeight() + " in " + b;
        }
        long differing = 0;
        for (int j = 0; j < x.getHeight(); j++) {
            for (int i = 0; i < x.getWidth(); i++) {
                if (x.getRGB(i, j) != y.getRGB(i, j)) {
                    differing++;
                }
            }
        }
        return differing == 0 ? null : "differs in " + differing + " pixels between " + a + " and " + b;
    }
}
