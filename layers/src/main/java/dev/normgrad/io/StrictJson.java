package dev.normgrad.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.BitSet;
import java.util.regex.Pattern;

/**
 * JSON read strictly (RFC 8259: double-quoted keys and strings, no comments, no separators but
 * {@code ,} and {@code :}, no trailing or doubled commas, numbers as JSON writes them), with a message
 * that names what is wrong and where: {@code unquoted text 'epochs' at line 3 column 5; keys and strings
 * need double quotes}. The one way NormGrad reads JSON: model files ({@link ModelIO}) and the command
 * line's training configs and tensors.
 *
 * <p>Gson's own strict mode refuses the same inputs, but with one message for all of them
 * ({@code malformed JSON at line 1 column 11 path $.a}, the column sometimes one past the culprit), and
 * stops at {@code NaN} without saying that it is NaN. So Gson reads leniently here, behind a filter on
 * the text that refuses, outside strings, everything lenient parsing would let through.
 */
public final class StrictJson {
    private StrictJson() {
    }

    /**
     * A Gson reader of {@code source} that refuses what strict JSON forbids by throwing a
     * {@link MalformedJsonException} (an {@link IOException}) whose message says what and where, and
     * a text that ends inside a string, an array or an object by throwing an {@link EOFException}.
     *
     * @param nonFiniteWords whether {@code NaN} and {@code Infinity} (as Python's json writes them) reach
     *                       the caller, as strings, so that it can name the non-finite number in its own
     *                       terms; otherwise they are refused here
     */
    public static JsonReader reader(Reader source, boolean nonFiniteWords) {
        JsonReader reader = new JsonReader(new StrictText(source, nonFiniteWords));
        reader.setStrictness(Strictness.LENIENT);
        return reader;
    }

    /** A reading error's message on one line, without Gson's advice on lenient parsing and its web link. */
    public static String message(Exception e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf('\n');
        if (cut >= 0) {
            m = m.substring(0, cut);
        }
        cut = m.indexOf(" See https://");
        if (cut >= 0) {
            m = m.substring(0, cut);
        }
        return m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON").trim();
    }

    /**
     * Passes the text through, refusing outside strings what strict JSON forbids: a run of characters
     * other than whitespace and {@code {}[],:"} must be {@code true}, {@code false}, {@code null} or a
     * number, a key must be quoted, a comma must follow a value and precede one; inside strings, control
     * characters must be escaped.
     */
    private static final class StrictText extends Reader {
        private static final Pattern LITERAL = Pattern.compile("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private static final Pattern NON_FINITE = Pattern.compile("[+-]?(NaN|Infinity)");

        private final Reader in;
        private final boolean nonFiniteWords;
        private final StringBuilder token = new StringBuilder();
        private final BitSet inObject = new BitSet();
        private int depth;
        private boolean expectKey;
        private boolean inString;
        private boolean escaped;
        private char last = ' ';   // the last structural character, or 'v' after a value
        private int line = 1;
        private int column;
        private int tokenLine;
        private int tokenColumn;

        StrictText(Reader in, boolean nonFiniteWords) {
            this.in = in;
            this.nonFiniteWords = nonFiniteWords;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            for (int i = offset; i < offset + Math.max(n, 0); i++) {
                accept(buffer[i]);
            }
            if (n < 0) {
                endToken();
                if (inString || depth > 0) {
                    // Gson would say "Unterminated string" for a file cut inside a string; a cut is a cut
                    throw new EOFException("End of input at line " + line + " column " + (column + 1));
                }
            }
            return n;
        }

        private void accept(char c) throws MalformedJsonException {
            if (c == '\n') {
                line++;
                column = 0;
            } else {
                column++;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                    last = 'v';
                } else if (c < 0x20) {
                    throw error(String.format("a control character (U+%04X) inside a string", (int) c), line, column,
                            "; write it escaped, e.g. \\n or \\t");
                }
            } else if (c == '"') {
                endToken();
                inString = true;
                expectKey = false;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == '\uFEFF' && line == 1 && column == 1)) {
                endToken();
            } else if ("{}[],:".indexOf(c) >= 0) {
                endToken();
                structural(c);
            } else {
                if (token.length() == 0) {
                    tokenLine = line;
                    tokenColumn = column;
                }
                token.append(c);
            }
        }

        private void structural(char c) throws MalformedJsonException {
            if (c == ',' && last != 'v') {
                throw error("',' with no value before it", line, column, "");
            }
            if ((c == ']' || c == '}') && last == ',') {
                throw error("',' before '" + c + "'", line, column, ": JSON allows no trailing comma");
            }
            if (c == '{' || c == '[') {
                inObject.set(depth++, c == '{');
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            }
            expectKey = (c == '{' || c == ',') && depth > 0 && inObject.get(depth - 1);
            last = c == '}' || c == ']' ? 'v' : c;
        }

        private void endToken() throws MalformedJsonException {
            if (token.length() == 0) {
                return;
            }
            String t = token.toString();
            token.setLength(0);
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                    String shown = c > 0x20 && c < 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c);
                    throw error(shown, tokenLine, tokenColumn + k,
                            " (strict JSON: no comments, single quotes or separators other than ',' and ':')");
                }
            }
            if (!expectKey && LITERAL.matcher(t).matches()) {
                last = 'v';
                return;
            }
            if (!expectKey && NON_FINITE.matcher(t).matches()) {
                if (nonFiniteWords) {
                    last = 'v';
                    return;
                }
                throw error(t, tokenLine, tokenColumn, ": JSON has no NaN or infinities; write a finite number");
            }
            if (expectKey || Character.isLetter(t.charAt(0))) {
                throw error("unquoted text '" + t + "'", tokenLine, tokenColumn, "; keys and strings need double quotes");
            }
            throw error("'" + t + "'", tokenLine, tokenColumn, " is not a number as JSON writes them (e.g. 0.5, -2, 1e-3)");
        }

        private static MalformedJsonException error(String what, int line, int column, String advice) {
            return new MalformedJsonException(what + " at line " + line + " column " + column + advice);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
