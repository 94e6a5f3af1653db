package dev.normgrad.io;

/**
 * Thrown when a model file (or JSON string) cannot be loaded: not valid JSON, not a NormGrad model,
 * an unsupported version, an unknown layer type, a missing, extra or wrongly shaped tensor, a value
 * of the wrong JSON type, a non-finite number, or a size beyond {@link ModelIO.Limits}.
 *
 * <p>The message names the file (when loading one), then where the problem is, then what was
 * expected and what was found:
 * <pre>
 * model.json: layers[2].runningVar (buffer "2.runningVar"): expected 1x16, found 1x8
 * model.json: architecture.layers[1].type: unknown layer type "Lenear"; known types: Linear, ReLU, Sequential, ...
 * </pre>
 * Nothing is half-loaded: the exception is thrown before any model is returned.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String location;
    private final String detail;

    /**
     * @param location where in the model the problem is: a JSON path ({@code parameters["0.weight"].data[3]})
     *                 or a layer path ({@code layers[2].runningVar}); empty for the whole document
     * @param detail   what was expected and what was found
     */
    public ModelFormatException(String location, String detail) {
        this(null, location, detail, null);
    }

    public ModelFormatException(String location, String detail, Throwable cause) {
        this(null, location, detail, cause);
    }

    private ModelFormatException(String file, String location, String detail, Throwable cause) {
        super(message(file, location, detail), cause);
        this.file = file;
        this.location = location == null ? "" : location;
        this.detail = detail;
    }

    /** The same problem, reported as found in {@code file}. */
    ModelFormatException inFile(String fileName) {
        ModelFormatException e = new ModelFormatException(fileName, location, detail, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String message(String file, String location, String detail) {
        StringBuilder s = new StringBuilder();
        if (file != null) {
            s.append(file).append(": ");
        }
        if (location != null && !location.isEmpty()) {
            s.append(location).append(": ");
        }
        return s.append(detail).toString();
    }

    /** The file being loaded, or null when loading from a string. */
    public String file() {
        return file;
    }

    /** Where the problem is (a JSON path or a layer path); empty when it concerns the whole document. */
    public String location() {
        return location;
    }

    /** What was expected and what was found, without the file and location. */
    public String detail() {
        return detail;
    }
}
