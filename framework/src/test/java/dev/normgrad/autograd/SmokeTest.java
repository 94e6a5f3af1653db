package dev.normgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void squareSumGradientIsTwiceX() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        assertEquals(30.0, loss.item());
        assertEquals(8.0, x.grad().get(1, 1));
        assertEquals(2.0, x.grad().get(0, 0));
    }
}
