package dev.normgrad.nn;

import java.util.Arrays;

/** The (height, width) pairs of the 2-D layers' kernel sizes, strides and paddings: checked, copied, printed. */
final class Pairs {
    private Pairs() {
    }

    /** {@code value} as a (height, width) pair, copied; a layer's argument that is not two numbers is refused. */
    static int[] of(String layer, String name, int[] value) {
        if (value == null || value.length != 2) {
            throw new IllegalArgumentException(layer + ": " + name + " must be a (height, width) pair, new int[] {h, w}, got "
                    + (value == null ? "null" : Arrays.toString(value)));
        }
        return value.clone();
    }

    /** The same number for height and width. */
    static int[] square(int value) {
        return new int[] {value, value};
    }

    /** "(3, 3)", as PyTorch prints a pair. */
    static String repr(int[] pair) {
        return "(" + pair[0] + ", " + pair[1] + ")";
    }
}
