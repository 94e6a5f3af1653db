package dev.normgrad.testing;

/**
 * How close an actual value must be to the expected one, as {@link Close#assertClose} judges it, entry
 * by entry:
 *
 * <pre>
 *   |actual − expected| ≤ atol + rtol · max(floor, scale)
 * </pre>
 *
 * where scale is the entry's own |expected| ({@link #entrywise}, {@link #relative}: PyTorch's
 * {@code allclose} when the floor is 0), or the largest |expected| of the whole matrix
 * ({@link #relativeToLargest}: for a tensor whose small entries are rounding noise around a large one,
 * such as a gradient that is 0 in exact arithmetic). The floor makes a relative tolerance absolute
 * below it: {@code relative(1e-10).withScaleFloor(1)} is 1e-10 relative for entries above 1 and 1e-10
 * absolute below.
 *
 * <p>An expected NaN asks for a NaN, an expected infinity for the same infinity; an actual NaN where a
 * number is expected is never close.
 */
public final class Tolerance {
    private final double rtol;
    private final double atol;
    private final double floor;
    private final boolean ofLargest;

    private Tolerance(double rtol, double atol, double floor, boolean ofLargest) {
        if (!(rtol >= 0) || !(atol >= 0) || !(floor >= 0)) {
            throw new IllegalArgumentException("a tolerance is non-negative: rtol " + rtol + ", atol " + atol + ", floor " + floor);
        }
        this.rtol = rtol;
        this.atol = atol;
        this.floor = floor;
        this.ofLargest = ofLargest;
    }

    /** {@code |a − e| ≤ atol + rtol·|e|} for every entry (PyTorch's {@code allclose}, numpy's {@code isclose}). */
    public static Tolerance entrywise(double rtol, double atol) {
        return new Tolerance(rtol, atol, 0, false);
    }

    /** {@code |a − e| ≤ rtol·|e|} for every entry: an expected 0 asks for an exact 0. */
    public static Tolerance relative(double rtol) {
        return entrywise(rtol, 0);
    }

    /** {@code |a − e| ≤ rtol·max|E|} for every entry, max|E| the largest |expected| of the matrix (norm-wise). */
    public static Tolerance relativeToLargest(double rtol) {
        return new Tolerance(rtol, 0, 0, true);
    }

    /** Equal values: {@code a == e}, NaN for NaN (but −0 equals +0; see {@link Close#assertBitIdentical}). */
    public static Tolerance exact() {
        return entrywise(0, 0);
    }

    /** The same tolerance, relative to at least {@code floor}: {@code rtol·max(floor, scale)}. */
    public Tolerance withScaleFloor(double floor) {
        return new Tolerance(rtol, atol, floor, ofLargest);
    }

    /** The largest difference allowed where the scale (|e|, or the matrix's largest |e|) is {@code scale}. */
    double bound(double scale) {
        return atol + rtol * Math.max(floor, scale);
    }

    boolean ofLargest() {
        return ofLargest;
    }

    /** The rule as a failure message prints it, e.g. {@code |a − e| ≤ 1e-14 + 1e-10·|e|}. */
    @Override
    public String toString() {
        String scale = ofLargest ? "max|E|" : "|e|";
        if (floor > 0) {
            scale = "max(" + number(floor) + ", " + scale + ")";
        }
        String relative = number(rtol) + "·" + scale;
        if (rtol == 0 && atol == 0) {
            return "a = e";
        }
        if (atol == 0) {
            return "|a − e| ≤ " + relative;
        }
        return "|a − e| ≤ " + number(atol) + (rtol == 0 ? "" : " + " + relative);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.valueOf((long) v) : String.format("%.0e", v).replace("e-0", "e-");
    }
}
