package dev.normgrad.tutorials;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers a piece of prose quotes, and whether each one is backed by what a chapter executed.
 *
 * <h2>What counts as a quoted number</h2>
 * Every number written in the text: {@code 0.958}, {@code −0.031}, {@code 90 %}, {@code 1.3e-12},
 * {@code 1.3·10⁻¹²}, {@code 10⁻⁵}, {@code 2154}. Not counted: numbers inside code spans, math
 * ({@code $…$}), link targets and names ({@code W1}, {@code BatchNorm1d}, {@code h_49}); citation years
 * ({@code Glorot & Bengio 2010}, {@code Cooijmans et al. 2016}); and the number of a figure, claim,
 * chapter, notebook, part, exercise, section or row.
 *
 * <h2>What backs it</h2>
 * A number is backed when an output of the chapter shows it, as printed or rounded to the digits
 * the prose gives (0.96 is backed by an output 0.958; 1.3e-12 by 1.30e-12; 90 % by 0.9 or 90 %), or
 * when it is a literal of the chapter's code (a setting: {@code withSteps(3000)}, {@code lr 0.5}).
 * Output lines that report a timing (they contain the word "timing") back nothing: they change from
 * run to run.
 */
final class ProseNumbers {

    /** One number quoted in prose: how it is written, its magnitude, and the precision it is written to. */
    record Quoted(String text, double value, int decimals, int significant, boolean percent) {
        /** Whether {@code shown} (a number in an output or the code), rounded as this one is written, is this one. */
        boolean backedBy(double shown) {
            double v = Math.abs(value);
            double o = Math.abs(shown);
            if (percent) {
                return roundsTo(o, v) || roundsTo(100 * o, v);
            }
            return roundsTo(o, v);
        }

        private boolean roundsTo(double o, double v) {
            if (o == v) {
                return true;
            }
            if (!Double.isFinite(o)) {
                return false;
            }
            if (significant > 0) {
                if (o == 0 || v == 0) {
                    return false;
                }
                BigDecimal rounded = new BigDecimal(o).round(new java.math.MathContext(significant));
                return Math.abs(rounded.doubleValue() - v) <= 1e-9 * v;
            }
            double half = 0.5 * Math.pow(10, -decimals);
            return Math.abs(o - v) <= half * (1 + 1e-9);
        }
    }

    // ---------------------------------------------------------------- prose

    private static final String SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
    private static final Pattern FENCE = Pattern.compile("(?s)```.*?```");
    private static final Pattern MATH = Pattern.compile("(?s)\\$\\$.*?\\$\\$|\\$[^$\\n]+\\$");
    private static final Pattern LINK_TARGET = Pattern.compile("\\]\\([^)]*\\)");
    private static final Pattern CITATION_YEAR = Pattern.compile(
            "((?:et al\\.|&|\\band|[A-Z][\\p{L}'’-]+\\*?,?|\\p{L}+\\*,)\\s+\\(?)(?:19|20)\\d\\d\\b");
    private static final Pattern REFERENCE = Pattern.compile("(?i)\\b(figures?|fig\\.|claims?|chapters?|notebooks?|part|exercise|"
            + "sections?|rows?|items?|issue)\\s+\\d+[a-z]?(\\s*(,|and|or|to|–|-)\\s*\\d+[a-z]?)*");
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.^/])([−-])?(\\d+(?:\\.\\d+)?|\\.\\d+)"
                    + "(?:\\s*[·×]\\s*10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|[eE]([-+−]?\\d+))?"
                    + "(\\s?%)?(?![\\p{L}_\\d])");

    private ProseNumbers() {
    }

    /** The numbers {@code markdown} quotes, in order (see the class comment for what is left out). */
    static List<Quoted> quoted(String markdown) {
        String text = FENCE.matcher(markdown).replaceAll(" ");
        text = CODE_SPAN.matcher(text).replaceAll(" ");
        text = MATH.matcher(text).replaceAll(" ");
        text = LINK_TARGET.matcher(text).replaceAll("] ");
        text = CITATION_YEAR.matcher(text).replaceAll("$1");
        text = REFERENCE.matcher(text).replaceAll(" ");
        List<Quoted> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            String mantissa = m.group(2);
            String sign = m.group(1) == null ? "" : "-";
            boolean percent = m.group(6) != null;
            if (m.group(3) != null) {                                   // 1.3·10⁻¹²
                int exp = superscript(m.group(3));
                out.add(new Quoted(m.group().strip(), Double.parseDouble(sign + mantissa + "e" + exp), 0,
                        significantDigits(mantissa), percent));
            } else if (m.group(4) != null) {
                if (mantissa.equals("10")) {                             // 10⁻⁵
                    out.add(new Quoted(m.group().strip(), Double.parseDouble(sign + "1e" + superscript(m.group(4))), 0, 1, percent));
                } else {                                                 // 0.1² is 0.1, squared
                    out.add(plain(sign, mantissa, percent, (m.group(1) == null ? "" : m.group(1)) + mantissa));
                }
            } else if (m.group(5) != null) {                            // 1.3e-12
                String exp = m.group(5).replace('−', '-');
                out.add(new Quoted(m.group().strip(), Double.parseDouble(sign + mantissa + "e" + exp), 0, significantDigits(mantissa),
                        percent));
            } else {
                out.add(plain(sign, mantissa, percent, m.group().strip()));
            }
        }
        return out;
    }

    private static Quoted plain(String sign, String mantissa, boolean percent, String text) {
        int dot = mantissa.indexOf('.');
        int decimals = dot < 0 ? 0 : mantissa.length() - dot - 1;
        return new Quoted(text, Double.parseDouble(sign + mantissa), decimals, 0, percent);
    }

    private static int significantDigits(String mantissa) {
        String digits = mantissa.replace(".", "").replaceFirst("^0+", "");
        return Math.max(1, digits.length());
    }

    private static int superscript(String s) {
        int sign = 1;
        int value = 0;
        for (char c : s.toCharArray()) {
            if (c == '⁻') {
                sign = -1;
            } else if (c != '⁺') {
                value = 10 * value + SUPERSCRIPT_DIGITS.indexOf(c);
            }
        }
        return sign * value;
    }

    // ---------------------------------------------------------------- outputs and code

    private static final Pattern SHOWN = Pattern.compile("(?<![\\d.])-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");

    /** Every number written in {@code text} (outputs or code), as values. */
    static List<Double> shown(String text) {
        List<Double> values = new ArrayList<>();
        Matcher m = SHOWN.matcher(text);
        while (m.find()) {
            try {
                values.add(Double.parseDouble(m.group()));
            } catch (NumberFormatException e) {
                // "1." alone or a lone "-": not a number
            }
        }
        return values;
    }

    /** The quoted numbers of {@code prose} that none of {@code backing} backs. */
    static List<Quoted> unbacked(String prose, List<Double> backing) {
        List<Quoted> missing = new ArrayList<>();
        for (Quoted q : quoted(prose)) {
            boolean found = false;
            for (double b : backing) {
                if (q.backedBy(b)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                missing.add(q);
            }
        }
        return missing;
    }
}
