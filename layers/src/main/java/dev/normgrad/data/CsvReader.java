package dev.normgrad.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.ejml.data.DMatrixRMaj;

/** Reads "features…, label" CSV (optionally gzip-compressed) into a {@link Dataset}. */
final class CsvReader {
    private CsvReader() {
    }

    /**
     * @param in          the bytes (closed afterwards); gzip is detected from its magic number
     * @param source      the file name for messages
     * @param numFeatures F: every line must have F numbers and then an integer label
     * @param numClasses  C, or 0 to take the largest label + 1
     */
    static Dataset read(InputStream in, String source, int numFeatures, int numClasses) {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(maybeGunzip(in, source), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != numFeatures + 1) {
                    throw new IllegalArgumentException(source + ", line " + lineNo + ": expected " + (numFeatures + 1)
                            + " comma-separated values (" + numFeatures + " features, then the label), found " + cells.length);
                }
                double[] row = new double[numFeatures];
                for (int j = 0; j < numFeatures; j++) {
                    row[j] = parseNumber(cells[j], source, lineNo, j + 1);
                }
                labels.add(parseLabel(cells[numFeatures], source, lineNo, numFeatures + 1, numClasses));
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": could not be read: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": no data rows (the file is empty)");
        }
        DMatrixRMaj features = new DMatrixRMaj(rows.size(), numFeatures);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features.data, i * numFeatures, numFeatures);
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        int c = numClasses > 0 ? numClasses : java.util.Arrays.stream(y).max().orElse(0) + 1;
        return new Dataset(features, y, c);
    }

    private static InputStream maybeGunzip(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(buffered);
        }
        if (source.endsWith(".gz")) {
            throw new IOException("the name ends in .gz but the content is not gzip-compressed");
        }
        return buffered;
    }

    private static double parseNumber(String cell, String source, int line, int column) {
        try {
            double v = Double.parseDouble(cell.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + ", line " + line + ", column " + column + ": '" + cell
                + "' is not a finite number");
    }

    private static int parseLabel(String cell, String source, int line, int column, int numClasses) {
        int y;
        try {
            y = Integer.parseInt(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ", line " + line + ", column " + column + " (the label): '" + cell
                    + "' is not an integer class index");
        }
        if (y < 0 || (numClasses > 0 && y >= numClasses)) {
            throw new IllegalArgumentException(source + ", line " + line + ", column " + column + " (the label): " + y
                    + " is not a class index " + (numClasses > 0 ? "0.." + (numClasses - 1) : ">= 0"));
        }
        return y;
    }
}
