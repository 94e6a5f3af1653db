package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine and the layers compute the same bits on every machine: their main sources call none of
 * the {@link Math} functions whose result HotSpot may compute differently from one CPU to the next
 * (exp, log, pow, tanh, sin...: intrinsics allowed 1 ulp of error). They use {@link StrictMath}
 * (fdlibm's bits by specification) or {@code ReproducibleMath}; the exactly rounded ones
 * ({@code Math.sqrt}, {@code abs}, {@code min}, {@code max}, {@code fma}, {@code floor}...) are fine.
 */
class PlatformMathFreeTest {
    private static final Pattern PLATFORM_MATH = Pattern.compile(
            "(?<![\\w.])(?:java\\.lang\\.)?Math\\.(exp|expm1|log|log10|log1p|pow|tanh|sinh|cosh|sin|cos|tan|asin|acos|atan|atan2|cbrt|hypot)\\s*\\(");
    private static final Pattern STATIC_IMPORT = Pattern.compile("import\\s+static\\s+java\\.lang\\.Math\\.");

    @Test
    void frameworkAndLayersCallNoPlatformDependentMathFunction() throws IOException {
        List<Path> roots = List.of(Path.of("../framework/src/main/java"), Path.of("src/main/java"));
        List<String> offenders = new ArrayList<>();
        int files = 0;
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is not a folder (run from the layers module)");
            try (Stream<Path> sources = Files.walk(root)) {
                for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = PLATFORM_MATH.matcher(lines.get(i));
                        if (m.find() || STATIC_IMPORT.matcher(lines.get(i)).find()) {
                            offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertTrue(files > 100, "only " + files + " sources found");
        assertEquals(List.of(), offenders, "use StrictMath (or ReproducibleMath) instead");
    }

    @Test
    void thePatternFindsWhatItLooksFor() {
        assertTrue(PLATFORM_MATH.matcher("double e = Math.exp(-x);").find());
        assertTrue(PLATFORM_MATH.matcher("y = 1 - Math.pow(b, t)").find());
        assertTrue(PLATFORM_MATH.matcher("java.lang.Math.log(s)").find());
        assertTrue(!PLATFORM_MATH.matcher("double e = StrictMath.exp(-x);").find());
        assertTrue(!PLATFORM_MATH.matcher("double s = Math.sqrt(v); Math.max(a, b); Math.abs(x)").find());
        assertTrue(!PLATFORM_MATH.matcher("{@link Math#tanh}").find());
    }
}
