package dev.normgrad.norm;

/**
 * Which entries share one mean and one variance: the only thing that differs between BatchNorm,
 * LayerNorm, InstanceNorm, GroupNorm and RMSNorm (Wu &amp; He, <i>Group Normalization</i>, 2018, fig. 2).
 *
 * <p>The N × W input is read row-major as an {@code outer × groups × inner} array; there is one
 * statistic per {@code groups} index, computed over all {@code outer · inner} entries that share it.
 * With rows of C channel blocks of L positions (W = C·L):
 *
 * <pre>
 *   layer          outer   groups    inner        one statistic per     over
 *   BatchNorm      N       C         L            channel               N and L
 *   LayerNorm      1       N·W/D     D            sample (block of D)   C and L (the last D features)
 *   InstanceNorm   1       N·C       L            sample × channel      L
 *   GroupNorm(G)   1       N·G       (C/G)·L      sample × group        C/G channels and L
 *   RMSNorm        as LayerNorm, centred = false (root mean square, no mean subtracted)
 * </pre>
 *
 * Every layer except BatchNorm has {@code outer = 1}: its statistics cover contiguous runs of a
 * row, so a reshape to {@code groups × inner} puts each statistic's entries in one row (tinygrad's
 * "GroupNorm is a reshape plus layernorm"). BatchNorm's channel is spread across rows; the composed
 * kernel gathers it with {@link dev.normgrad.ops.BlockTranspose}.
 *
 * @param outer   how many times the groups repeat, in the slowest-varying position (N for BatchNorm, else 1)
 * @param groups  the number of statistics
 * @param inner   the number of consecutive entries of one statistic in each repeat
 * @param centred whether the mean is subtracted (false only for RMSNorm, which divides by
 *                sqrt(mean(x²) + eps))
 */
public record StatisticsSet(int outer, int groups, int inner, boolean centred) {

    public StatisticsSet {
        if (outer <= 0 || groups <= 0 || inner <= 0) {
            throw new IllegalArgumentException("StatisticsSet: outer, groups and inner must be at least 1, got "
                    + outer + ", " + groups + ", " + inner);
        }
    }

    /** BatchNorm: per channel, over the N samples and L positions. */
    public static StatisticsSet batchNorm(int n, int channels, int length) {
        return new StatisticsSet(n, channels, length, true);
    }

    /** LayerNorm over the last {@code normalizedSize} features of each row of {@code width}. */
    public static StatisticsSet layerNorm(int n, int width, int normalizedSize) {
        return new StatisticsSet(1, n * (width / normalizedSize), normalizedSize, true);
    }

    /** InstanceNorm: per sample and channel, over the L positions. */
    public static StatisticsSet instanceNorm(int n, int channels, int length) {
        return new StatisticsSet(1, n * channels, length, true);
    }

    /** GroupNorm: per sample and group of C/G channels, over those channels' positions. */
    public static StatisticsSet groupNorm(int n, int numGroups, int channels, int length) {
        return new StatisticsSet(1, n * numGroups, channels / numGroups * length, true);
    }

    /** RMSNorm: LayerNorm's set, without centring. */
    public static StatisticsSet rmsNorm(int n, int width, int normalizedSize) {
        return new StatisticsSet(1, n * (width / normalizedSize), normalizedSize, false);
    }

    /** How many entries each statistic is computed over: outer · inner. */
    public int count() {
        return outer * inner;
    }

    /** All entries: outer · groups · inner, which must equal N·W of the input. */
    public long size() {
        return (long) outer * groups * inner;
    }
}
