package dev.normgrad.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Paths and descriptions used in messages: {@code architecture.layers[2].type}, {@code parameters["0.weight"]}. */
final class JsonPaths {
    private JsonPaths() {
    }

    /** {@code parent.key}, or {@code parent["key"]} when the key is not a plain identifier. */
    static String key(String parent, String key) {
        boolean plain = !key.isEmpty() && Character.isJavaIdentifierStart(key.charAt(0));
        for (int i = 1; plain && i < key.length(); i++) {
            plain = Character.isJavaIdentifierPart(key.charAt(i));
        }
        if (plain) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[" + quote(key) + "]";
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** A string as a JSON literal, shortened past 60 characters (messages must stay readable). */
    static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** "a string \"abc\"", "a number 3.5", "an object", ... as a message reads it. */
    static String describe(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e instanceof JsonObject) {
            return "an object";
        }
        if (e instanceof JsonArray) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean() ? "true" : "false";
        }
        if (p.isNumber()) {
            return "the number " + p.getAsString();
        }
        return "the string " + quote(p.getAsString());
    }
}
