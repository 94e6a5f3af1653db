import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * A 2-D convolution with stride and zero padding, as one op (PyTorch's {@code F.conv2d}, strictly a
 * cross-correlation, as in every deep learning library). Each row of x is an image of C channels of
 * H×W pixels, in (C, H, W) row-major order. The forward is written; the backward is yours.
 *
 * <pre>
 *   inputs  x (N × C·H·W), W (C' × C·kH·kW: PyTorch's (C', C, kH, kW) row-major), b (1 × C')
 *   output  y (N × C'·H'·W'),   H' = ⌊(H + 2p − kH) / s⌋ + 1,   W' = ⌊(W + 2p − kW) / s⌋ + 1
 *   y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x[n, c, i·s + u − p, j·s + v − p]   (0 outside the image)
 * </pre>
 */
public class Conv2dOp extends Function {
    private final int channels;       // C
    private final int height;         // H
    private final int width;          // W
    private final int kernelHeight;   // kH
    private final int kernelWidth;    // kW
    private final int stride;         // s
    private final int padding;        // p
    private DMatrixRMaj x;            // N × C·H·W
    private DMatrixRMaj weight;       // C' × C·kH·kW
    private int outChannels;          // C'
    private int outHeight;            // H'
    private int outWidth;             // W'

    public Conv2dOp(int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        x = in[0];
        weight = in[1];
        DMatrixRMaj bias = in[2];
        outChannels = weight.numRows;
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1;
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        if (x.numCols != channels * height * width || weight.numCols != channels * kernelHeight * kernelWidth
                || bias.getNumElements() != outChannels) {
            throw new ShapeException("Conv2dOp: x must be N x " + channels * height * width + ", W " + outChannels + " x "
                    + channels * kernelHeight * kernelWidth + " and b 1 x " + outChannels);
        }
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, outChannels * outHeight * outWidth);
        for (int n = 0; n < x.numRows; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < outHeight; i++) {
                    for (int j = 0; j < outWidth; j++) {
                        double sum = bias.data[o];
                        for (int c = 0; c < channels; c++) {
                            for (int u = 0; u < kernelHeight; u++) {
                                for (int v = 0; v < kernelWidth; v++) {
                                    int row = i * stride + u - padding;
                                    int col = j * stride + v - padding;
                                    if (row >= 0 && row < height && col >= 0 && col < width) {
                                        sum += weight.get(o, (c * kernelHeight + u) * kernelWidth + v)
                                                * x.get(n, (c * height + row) * width + col);
                                    }
                                }
                            }
                        }
                        y.set(n, (o * outHeight + i) * outWidth + j, sum);
                    }
                }
            }
        }
        return y;
    }

    /**
     * Adds dL/dx into {@code dx[0]} (N × C·H·W), dL/dW into {@code dx[1]} (C' × C·kH·kW) and dL/db into
     * {@code dx[2]} (1 × C'), skipping a null buffer. {@code dy} is dL/dy (N × C'·H'·W').
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        for (int n = 0; n < x.numRows; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < outHeight; i++) {
                    for (int j = 0; j < outWidth; j++) {
                        double g = dy.get(n, (o * outHeight + i) * outWidth + j);
                        if (dx[2] != null) {
                            dx[2].data[o] += g;
                        }
                        // every pixel that entered y[n, o, i, j] gets g times the weight it was multiplied by, and back
                        for (int c = 0; c < channels; c++) {
                            for (int u = 0; u < kernelHeight; u++) {
                                for (int v = 0; v < kernelWidth; v++) {
                                    int row = i * stride + u - padding;
                                    int col = j * stride + v - padding;
                                    if (row < 0 || row >= height || col < 0 || col >= width) {
                                        continue;
                                    }
                                    int k = (c * kernelHeight + u) * kernelWidth + v;
                                    int pixel = (c * height + row) * width + col;
                                    if (dx[0] != null) {
                                        dx[0].add(n, pixel, g * weight.get(o, k));
                                    }
                                    if (dx[1] != null) {
                                        dx[1].add(o, k, g * x.get(n, pixel));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // END SOLUTION
    }
}
