package dev.normgrad.nn;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;

/**
 * The shape of one image of a batch: C channels of H rows of W columns, PyTorch's (C, H, W). A
 * batch of N images is an N × (C·H·W) tensor, one image per row, in (C, H, W) row-major order:
 * <pre>
 *   an image (C, H, W) = (2, 3, 4)                 its row of the batch, 2·3·4 = 24 values
 *
 *   channel 0          channel 1
 *   a00 a01 a02 a03    b00 b01 b02 b03              a00 a01 a02 a03 a10 … a23 b00 b01 … b23
 *   a10 a11 a12 a13    b10 b11 b12 b13              └──── channel 0 ────┘ └── channel 1 ──┘
 *   a20 a21 a22 a23    b20 b21 b22 b23              column (c·H + h)·W + w holds channel c, row h, column w
 * </pre>
 * So a row is C channel blocks of L = H·W positions, the layout of every normalization layer
 * ({@code BatchNorm2d} normalizes each channel block over N·H·W values), and a {@link Linear}
 * after the last convolution reads the C·H·W values of a row as its features ({@link Flatten} is
 * the identity). The 8×8 digits are (1, 8, 8).
 *
 * <p>Layers that need H and W — {@link Conv2d}, {@link MaxPool2d}, {@link AvgPool2d} — declare the
 * shape of their input and give the shape of their output ({@code outputShape()}), so a network's
 * shapes chain: {@code new MaxPool2d(conv.outputShape(), 2)}.
 *
 * @param channels C, at least 1
 * @param height   H, at least 1
 * @param width    W, at least 1
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageShape: channels, height and width must be at least 1, got ("
                    + channels + ", " + height + ", " + width + ")");
        }
    }

    /** C·H·W: the values of one image, the width of a batch's rows. */
    public int size() {
        return channels * height * width;
    }

    /**
     * Refuses an input whose rows are not images of this shape, naming the layer and the sizes.
     *
     * @param layer the layer, as the message names it
     * @throws ShapeException when the input's width is not C·H·W
     */
    public void check(String layer, Tensor input) {
        if (input.cols() != size()) {
            throw new ShapeException(layer + ": input is " + input.shape() + ", expected rows of C·H·W = " + channels + "·"
                    + height + "·" + width + " = " + size() + " values (one " + this + " image per row); check the "
                    + "previous layer's output shape");
        }
    }

    /** "(C, H, W)", as PyTorch prints a shape. */
    @Override
    public String toString() {
        return "(" + channels + ", " + height + ", " + width + ")";
    }
}
