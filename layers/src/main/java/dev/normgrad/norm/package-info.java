/**
 * The normalization family, built on one computation: normalize x over a
 * {@link dev.normgrad.norm.StatisticsSet statistics set}, then scale and shift.
 *
 * <pre>
 *   layer                       mean and variance over       one statistic per
 *   BatchNorm1d, BatchNorm2d    N and L (images: N, H, W)    channel
 *   LayerNorm                   the last D features          sample
 *                               (C and L; C, H and W)
 *   InstanceNorm1d, 2d          L (images: H and W)          sample × channel
 *   GroupNorm(G)                C/G channels and L           sample × group
 *   RMSNorm                     as LayerNorm, no centring    sample
 * </pre>
 *
 * {@link dev.normgrad.norm.Normalization} holds the math as static functions, each in two forms of
 * the same kernel: composed from engine ops (autograd derives the backward) and fused
 * ({@link dev.normgrad.norm.NormalizeOp}, closed-form backward). The layers own the state, in one
 * shell: {@link dev.normgrad.norm.NormalizationLayer} holds what every layer has — eps, γ and β,
 * fused or composed — and {@link dev.normgrad.norm.RunningStatsNormalization} adds the running
 * statistics of {@link dev.normgrad.norm.BatchNorm1d}, {@link dev.normgrad.norm.BatchNorm2d},
 * {@link dev.normgrad.norm.InstanceNorm1d}, {@link dev.normgrad.norm.InstanceNorm2d} and
 * {@link dev.normgrad.norm.BatchRenorm1d}. {@link dev.normgrad.norm.LayerNorm},
 * {@link dev.normgrad.norm.GroupNorm} and {@link dev.normgrad.norm.RMSNorm} have none;
 * {@link dev.normgrad.norm.WeightNorm} reparametrises a weight instead. Rows are samples; a row is C
 * channel blocks of L positions, L = width / C, and an image of (C, H, W) is C channels of L = H·W.
 * Conventions are PyTorch's.
 */
package dev.normgrad.norm;
