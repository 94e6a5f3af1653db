#!/usr/bin/python3
"""PyTorch reference values for NormGrad's dense layers, activations, losses, optimizers and init.

Run with Debian's python3-torch (no PyPI needed), from the repository root:

    /usr/bin/python3 layers/src/test/python/make_nn_fixtures.py

It writes layers/src/test/resources/fixtures/nn.json, which the Java tests read (CI needs no
Python). Everything is float64. Matrices are lists of rows; a bias or any 1-D tensor is written as a
single row (NormGrad stores a bias as a 1xn row). Each backward is seeded with a fixed upstream
gradient ("upstream"), so that d(input) = dL/d(input) for L = sum(output * upstream).
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen) * scale


def rows(t):
    t = t.detach()
    if t.dim() == 0:
        return t.item()
    if t.dim() == 1:
        return [t.tolist()]
    return t.tolist()


def linear_case(n, fin, fout, bias):
    layer = torch.nn.Linear(fin, fout, bias=bias)
    with torch.no_grad():
        layer.weight.copy_(randn(fout, fin))
        if bias:
            layer.bias.copy_(randn(fout))
    x = randn(n, fin).requires_grad_(True)
    y = layer(x)
    up = randn(n, fout)
    y.backward(up)
    case = {"x": rows(x), "weight": rows(layer.weight), "upstream": rows(up), "y": rows(y),
            "dx": rows(x.grad), "dweight": rows(layer.weight.grad)}
    if bias:
        case["bias"] = rows(layer.bias)
        case["dbias"] = rows(layer.bias.grad)
    return case


def activation_case(module, x):
    x = x.clone().requires_grad_(True)
    y = module(x)
    up = randn(*x.shape)
    y.backward(up)
    return {"x": rows(x), "upstream": rows(up), "y": rows(y), "dx": rows(x.grad)}


def activations():
    x = randn(4, 6, scale=3.0)
    x[0, 0] = 0.0  # the kink: derivative conventions at exactly 0
    tails = torch.tensor([[-10.0, -6.0, -3.0, -1e-3, 0.0, 1e-3, 3.0, 6.0, 10.0, 40.0, -40.0, 0.5]])
    return {
        "relu": activation_case(torch.nn.ReLU(), x),
        "leakyRelu": activation_case(torch.nn.LeakyReLU(), x),
        "leakyRelu0.2": activation_case(torch.nn.LeakyReLU(0.2), x),
        "tanh": activation_case(torch.nn.Tanh(), x),
        "sigmoid": activation_case(torch.nn.Sigmoid(), x),
        "gelu": activation_case(torch.nn.GELU(), x),
        "geluTails": activation_case(torch.nn.GELU(), tails),
    }


def mse_case():
    x = randn(4, 3).requires_grad_(True)
    t = randn(4, 3).requires_grad_(True)
    loss = torch.nn.MSELoss()(x, t)
    loss.backward()
    return {"input": rows(x), "target": rows(t), "loss": loss.item(), "dinput": rows(x.grad), "dtarget": rows(t.grad)}


def cross_entropy_case(logits, labels):
    z = logits.clone().requires_grad_(True)
    loss = torch.nn.CrossEntropyLoss()(z, torch.tensor(labels))
    loss.backward()
    return {"logits": rows(z), "labels": labels, "loss": loss.item(), "dlogits": rows(z.grad)}


def cross_entropy_cases():
    return [
        cross_entropy_case(randn(6, 5), [0, 1, 2, 3, 4, 0]),
        cross_entropy_case(randn(4, 3, scale=2.0), [2, 2, 2, 2]),
        cross_entropy_case(randn(1, 10), [7]),
        # logits of ±1e4: a naive softmax overflows; right and wrong confident answers
        cross_entropy_case(torch.tensor([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, 0.0]]),
                           [0, 1, 2, 1]),
    ]


def bce_case(x, t):
    x = x.clone().requires_grad_(True)
    t = t.clone().requires_grad_(True)
    loss = torch.nn.BCEWithLogitsLoss()(x, t)
    loss.backward()
    return {"logits": rows(x), "targets": rows(t), "loss": loss.item(), "dlogits": rows(x.grad),
            "dtargets": rows(t.grad)}


def bce_cases():
    x = randn(4, 3, scale=3.0)
    t = (torch.rand(4, 3, generator=gen) > 0.5).double()
    t[0, 0] = 0.3  # a soft label
    extreme = torch.tensor([[1e4, -1e4, 1e4, -1e4, 0.0]])
    return [bce_case(x, t), bce_case(extreme, torch.tensor([[1.0, 0.0, 0.0, 1.0, 1.0]]))]


def optimizer_case(make, steps=3):
    w = randn(3, 4).requires_grad_(True)
    b = randn(1, 4).requires_grad_(True)
    start = {"w": rows(w), "b": rows(b)}
    opt = make([w, b])
    grads, after = [], []
    for _ in range(steps):
        gw, gb = randn(3, 4), randn(1, 4)
        opt.zero_grad()
        w.grad, b.grad = gw.clone(), gb.clone()
        opt.step()
        grads.append({"w": rows(gw), "b": rows(gb)})
        after.append({"w": rows(w), "b": rows(b)})
    return {"start": start, "grads": grads, "after": after}


def optimizers():
    return {
        "sgd": optimizer_case(lambda p: torch.optim.SGD(p, lr=0.1)),
        "sgdMomentumWeightDecay": optimizer_case(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01)),
        "adam": optimizer_case(lambda p: torch.optim.Adam(p, lr=0.01)),
        "adamFull": optimizer_case(lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6,
                                                              weight_decay=0.1)),
    }


def clip_case(max_norm):
    gw, gb = randn(3, 4), randn(1, 4)
    w = torch.zeros(3, 4, requires_grad=True)
    b = torch.zeros(1, 4, requires_grad=True)
    w.grad, b.grad = gw.clone(), gb.clone()
    total = torch.nn.utils.clip_grad_norm_([w, b], max_norm)
    return {"maxNorm": max_norm, "gradW": rows(gw), "gradB": rows(gb), "totalNorm": total.item(),
            "clippedW": rows(w.grad), "clippedB": rows(b.grad)}


def orthogonal_case(r, c, gain, seed):
    w = torch.empty(r, c)
    torch.manual_seed(seed)
    torch.nn.init.orthogonal_(w, gain=gain)
    torch.manual_seed(seed)
    g = torch.empty(r, c).normal_(0, 1)  # the Gaussian orthogonal_ drew
    return {"gaussian": rows(g), "gain": gain, "result": rows(w)}


def main():
    out = {
        "generatedBy": "layers/src/test/python/make_nn_fixtures.py",
        "torch": torch.__version__,
        "linear": linear_case(5, 4, 3, True),
        "linearNoBias": linear_case(3, 6, 2, False),
        "activations": activations(),
        "mse": mse_case(),
        "crossEntropy": cross_entropy_cases(),
        "bceWithLogits": bce_cases(),
        "optimizers": optimizers(),
        "clip": [clip_case(1.0), clip_case(100.0)],
        "orthogonal": [orthogonal_case(5, 3, 1.0, 7), orthogonal_case(3, 5, 2.0, 8), orthogonal_case(4, 4, 1.0, 9)],
        "gainsCalculateGain": {
            "linear": torch.nn.init.calculate_gain("linear"),
            "sigmoid": torch.nn.init.calculate_gain("sigmoid"),
            "tanh": torch.nn.init.calculate_gain("tanh"),
            "relu": torch.nn.init.calculate_gain("relu"),
            "leaky_relu_0.01": torch.nn.init.calculate_gain("leaky_relu", 0.01),
            "leaky_relu_sqrt5": torch.nn.init.calculate_gain("leaky_relu", 5 ** 0.5),
            "selu": torch.nn.init.calculate_gain("selu"),
        },
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "resources", "fixtures", "nn.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
