package dev.normgrad.reliability;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.optim.Adam;
import dev.normgrad.optim.Clip;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.gemm.MatMulKernel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded training run used by the determinism and long-run tests, in this JVM and in a child
 * ({@link #main}): an MLP with batch norm, dropout and layer norm trained with Adam, and an LSTM with
 * layer norm trained with SGD, momentum and gradient clipping, each on data drawn from the seed.
 */
public final class TrainingRun {
    private final Sequential mlp;
    private final LSTM lstm;
    private final Linear head;
    private final Optimizer adam;
    private final Optimizer sgd;
    private final List<Tensor> recurrentParams = new ArrayList<>();
    private final Tensor x;
    private final int[] labels;
    private final List<Tensor> sequence = new ArrayList<>();
    private final Tensor target;

    /** The models, optimizers and data, all drawn from {@code seed}. */
    TrainingRun(long seed) {
        Random r = new Random(seed);
        mlp = new Sequential(new Linear(12, 32, true, r), new BatchNorm1d(32), new ReLU(), new Dropout(0.2, seed),
                new Linear(32, 32, true, r), new LayerNorm(32), new Tanh(), new Linear(32, 4, true, r));
        lstm = new LSTM(3, 8, 1, CellNormalization.layerNorm(), r);
        head = new Linear(8, 1, true, r);
        adam = new Adam(mlp.parameters(), 1e-3);
        recurrentParams.addAll(lstm.parameters());
        recurrentParams.addAll(head.parameters());
        sgd = new SGD(recurrentParams, 0.05, 0.9, 1e-4);
        x = Tensor.randn(64, 12, r);
        labels = new int[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(4);
        }
        for (int t = 0; t < 4; t++) {
            sequence.add(Tensor.randn(16, 3, r));
        }
        target = Tensor.randn(16, 1, r);
    }

    /** One step of each model: zero grad, forward, backward, (clip,) update; returns the MLP's loss before the update. */
    double step() {
        adam.zeroGrad();
        Tensor loss = Losses.crossEntropy(mlp.apply(x), labels);
        loss.backward();
        adam.step();
        sgd.zeroGrad();
        Losses.mse(head.apply(lstm.forward(sequence).last()), target).backward();
        Clip.gradNorm(recurrentParams, 1.0);
        sgd.step();
        return loss.item();
    }

    List<Module> modules() {
        return List.of(mlp, lstm, head);
    }

    /** The MLP, the LSTM and its head after {@code steps} steps each from {@code seed}. */
    static List<Module> train(long seed, int steps) {
        TrainingRun run = new TrainingRun(seed);
        for (int s = 0; s < steps; s++) {
            run.step();
        }
        return run.modules();
    }

    /** SHA-256 of the raw bits of every parameter and buffer, in name order, as hex. */
    static String fingerprint(List<Module> modules) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer bits = ByteBuffer.allocate(8);
            for (Module m : modules) {
                for (Map<String, ? extends Tensor> tensors : List.of(m.namedParameters(), m.namedBuffers())) {
                    for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
                        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                        double[] d = e.getValue().data().data;
                        for (int i = 0; i < e.getValue().rows() * e.getValue().cols(); i++) {
                            bits.clear();
                            bits.putLong(Double.doubleToRawLongBits(d[i]));
                            sha.update(bits.array());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints the kernel in use and the fingerprint after {@code args[1]} steps from seed {@code args[0]}. */
    public static void main(String[] args) {
        String fingerprint = fingerprint(train(Long.parseLong(args[0]), Integer.parseInt(args[1])));
        System.out.println(MatMulKernel.current().name());
        System.out.println(fingerprint);
    }
}
