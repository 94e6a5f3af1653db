package dev.normgrad.tutorials.experiments;

import java.util.Arrays;

/** Small statistics on arrays of values: mean, standard deviation, percentiles, histograms. */
public final class Stats {
    private Stats() {
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Population standard deviation (divides by n), two-pass. */
    public static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /** √(Σ v²). */
    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    public static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * The p-th percentile (p in [0, 100]) with linear interpolation between the sorted values
     * (NumPy's default). Not modified: v.
     */
    public static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = p / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * Counts of {@code v} in the bins given by {@code edges} (k + 1 increasing edges → k + 2 counts):
     * count 0 is the values below edges[0], count i (1..k) those in [edges[i − 1], edges[i]), and the
     * last count those at or above edges[k].
     */
    public static long[] histogram(double[] v, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double x : v) {
            int i = Arrays.binarySearch(edges, x);
            // binarySearch: exact hit at i means x is the lower edge of bin i + 1; a miss gives −(insertion point) − 1
            int bin = i >= 0 ? i + 1 : -i - 1;
            counts[bin]++;
        }
        return counts;
    }

    /**
     * The mean of runs (seeds) and their range, as the claims table quotes them:
     * {@code "0.958 (0.950–0.964)"} for format {@code "%.3f"}.
     */
    public static String meanAndRange(double[] v, String format) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return String.format(java.util.Locale.ROOT, format + " (" + format + "–" + format + ")", mean(v), lo, hi);
    }

    /** n + 1 evenly spaced edges from {@code lo} to {@code hi}. */
    public static double[] edges(double lo, double hi, int n) {
        double[] e = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            e[i] = lo + (hi - lo) * i / n;
        }
        return e;
    }
}
