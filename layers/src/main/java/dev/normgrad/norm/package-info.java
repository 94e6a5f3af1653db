/**
 * The normalization family, built on one computation: normalize x over a
 * {@link dev.normgrad.norm.StatisticsSet statistics set}, then scale and shift.
 *
 * <pre>
 *   layer          mean and variance over     one statistic per
 *   BatchNorm1d    N and L                    channel
 *   LayerNorm      C and L (the last D)       sample
 *   InstanceNorm1d L                          sample × channel
 *   GroupNorm(G)   C/G channels and L         sample × group
 *   RMSNorm        as LayerNorm, no centring  sample
 * </pre>
 *
 * {@link dev.normgrad.norm.Normalization} holds the math as static functions, each in two forms of
 * the same kernel: composed from engine ops (autograd derives the backward) and fused
 * ({@link dev.normgrad.norm.NormalizeOp}, closed-form backward). The layers own the state:
 * {@link dev.normgrad.norm.BatchNorm1d}, {@link dev.normgrad.norm.LayerNorm},
 * {@link dev.normgrad.norm.GroupNorm}, {@link dev.normgrad.norm.InstanceNorm1d},
 * {@link dev.normgrad.norm.RMSNorm}, and beyond PyTorch's set {@link dev.normgrad.norm.BatchRenorm1d}
 * and {@link dev.normgrad.norm.WeightNorm}. Rows are samples; a row is C channel blocks of L
 * positions, L = width / C. Conventions are PyTorch's.
 */
package dev.normgrad.norm;
