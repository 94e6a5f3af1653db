package dev.normgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What strict JSON forbids is refused with a message naming it and its place; everything it allows reads as Gson reads it. */
class StrictJsonTest {
    private static JsonElement read(String json, boolean nonFiniteWords) throws IOException {
        JsonReader reader = StrictJson.reader(new StringReader(json), nonFiniteWords);
        return new Gson().getAdapter(JsonElement.class).read(reader);
    }

    private static String refusal(String json) {
        return StrictJson.message(assertThrows(MalformedJsonException.class, () -> read(json, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\": 1.5e-3, \"b\": [true, false, null], \"c\": \"say \\\"hi\\\" // # ; = , ] }\", \"d\": -0, \"e\": 2E+10}",
        "\uFEFF{\"a\": {}, \"b\": [], \"c\": [[1], {\"d\": \"\\u0041\\n\"}]}",
        "[1, -2.25, 0.5e1, 3E-2]",
        "\"a string\"",
    })
    void strictJsonReadsAsGsonReadsIt(String json) throws IOException {
        assertEquals(new Gson().fromJson(json.replace("\uFEFF", ""), JsonElement.class), read(json, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": 1, version: 2}      | unquoted text 'version' at line 1 column 10; keys and strings need double quotes",
        "{\"a\": normgrad}           | unquoted text 'normgrad' at line 1 column 7; keys and strings need double quotes",
        "{1: 2}                      | unquoted text '1' at line 1 column 2; keys and strings need double quotes",
        "{\"a\": 'x'}                | ' at line 1 column 7 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
        "`// note\n{}`               | / at line 1 column 1 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
        "`{}\n# note`                | # at line 2 column 1 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
        "{\"a\": 1; \"b\": 2}        | ; at line 1 column 8 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
        "{\"a\" = 1}                 | = at line 1 column 6 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
        "[1, 2,]                     | ',' before ']' at line 1 column 7: JSON allows no trailing comma",
        "{\"a\": 1,}                 | ',' before '}' at line 1 column 9: JSON allows no trailing comma",
        "[1,, 2]                     | ',' with no value before it at line 1 column 4",
        "[, 1]                       | ',' with no value before it at line 1 column 2",
        "{\"a\": .5}                 | '.5' at line 1 column 7 is not a number as JSON writes them (e.g. 0.5, -2, 1e-3)",
        "{\"a\": 01}                 | '01' at line 1 column 7 is not a number as JSON writes them (e.g. 0.5, -2, 1e-3)",
        "{\"a\": 1e}                 | '1e' at line 1 column 7 is not a number as JSON writes them (e.g. 0.5, -2, 1e-3)",
        "{\"a\": +1}                 | '+1' at line 1 column 7 is not a number as JSON writes them (e.g. 0.5, -2, 1e-3)",
        "`[1,\n  NaN]`               | NaN at line 2 column 3: JSON has no NaN or infinities; write a finite number",
        "[-Infinity]                 | -Infinity at line 1 column 2: JSON has no NaN or infinities; write a finite number",
        "`[\"a\tb\"]`                | a control character (U+0009) inside a string at line 1 column 4; write it escaped, e.g. \\n or \\t",
        "`{\"a\": 1\u00A0}`          | U+00A0 at line 1 column 8 (strict JSON: no comments, single quotes or separators other than ',' and ':')",
    })
    void whatStrictJsonForbidsIsRefusedWithItsPlace(String json, String message) {
        assertEquals(message, refusal(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": [1, 2                | End of input at line 1 column 12",
        "`{\"a\":\n \"nor`            | End of input at line 2 column 6",
    })
    void aTextCutInsideAValueEndsTooEarly(String json, String message) {
        assertEquals(message, StrictJson.message(assertThrows(EOFException.class, () -> read(json, false))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[NaN, Infinity, -Infinity]"})
    void nonFiniteWordsReachTheCallerWhenAsked(String json) throws IOException {
        assertEquals("[\"NaN\",\"Infinity\",\"-Infinity\"]", read(json, true).toString());
    }
}
