#!/usr/bin/python3
"""Reference numbers for NormGrad's convolution, pooling and flatten layers, and a small CNN, from PyTorch (float64).

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 layers/src/test/python/make_conv_fixtures.py

writes layers/src/test/resources/fixtures/conv.json, read by ConvFixtureTest.

Layout: NormGrad's rows are samples; an image batch (N, C, H, W) is stored as its reshape to (N, C*H*W),
a signal batch (N, C, L) as (N, C*L). A convolution's weight (C', C/G, kH, kW) is stored as (C', C/G*kH*kW) and
Conv1d's (C', C/G, k) as (C', C/G*k), both flattened row-major; biases are 1xC' rows.

Every layer case is a list of steps on one layer, in the format of norm.json: training steps then an evaluation step,
each with its input, a fixed random upstream gradient dL/dy, the output, dL/dx and dL/d(every parameter), gradients
zeroed between steps. Sizes are odd and non-square, with strides of 2, asymmetric kernels and padding, and groups.
"cnn" is a whole network, three training-mode steps (forward and backward, no update) then evaluation: conv -> BatchNorm2d -> ReLU -> max pool ->
conv -> GroupNorm -> ReLU -> average pool -> flatten -> linear, softmax cross-entropy on integer labels.
"""
import json
import os

import torch

torch.manual_seed(20261205)
DT = torch.float64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "conv.json")


def rows(t):
    """A tensor as a list of rows: (N, ...) -> (N, rest flattened); 1-D -> one row; 0-D -> [[v]]."""
    t = t.detach()
    if t.dim() == 0:
        t = t.reshape(1, 1)
    elif t.dim() == 1:
        t = t.reshape(1, -1)
    else:
        t = t.reshape(t.shape[0], -1)
    return [[float(v) for v in r] for r in t.tolist()]


def run_case(name, layer_name, args, module, shapes, modes):
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.add_(0.1 * torch.randn_like(p))
    params0 = {k: rows(p) for k, p in module.named_parameters()}
    steps = []
    for shape, mode in zip(shapes, modes):
        module.train(mode == "train")
        x = torch.randn(*shape, dtype=DT).requires_grad_(True)
        y = module(x)
        g = torch.randn_like(y)
        module.zero_grad(set_to_none=True)
        y.backward(g)
        steps.append({
            "mode": mode,
            "input": rows(x),
            "gradOutput": rows(g),
            "output": rows(y),
            "gradInput": rows(x.grad),
            "gradParameters": {k: rows(p.grad) for k, p in module.named_parameters()},
            "buffers": {},
        })
    return {"name": name, "layer": layer_name, "args": args, "parameters": params0, "steps": steps}


cases = []
TRAIN2_EVAL = ["train", "train", "eval"]


def conv2d(name, n, c, h, w, out, kernel, stride=(1, 1), padding=(0, 0), groups=1, bias=True):
    args = {"input": [c, h, w], "outChannels": out, "kernelSize": list(kernel), "stride": list(stride),
            "padding": list(padding), "groups": groups, "bias": bias}
    module = torch.nn.Conv2d(c, out, kernel, stride, padding, groups=groups, bias=bias)
    cases.append(run_case(name, "Conv2d", args, module, [(n, c, h, w)] * 3, TRAIN2_EVAL))


conv2d("conv2d_1to4_7x5_k3_p1", 3, 1, 7, 5, 4, (3, 3), padding=(1, 1))
conv2d("conv2d_3to4_7x5_k3x2_s2x1_p1x0", 2, 3, 7, 5, 4, (3, 2), (2, 1), (1, 0))
conv2d("conv2d_4to6_groups2_6x7_s2_p1", 2, 4, 6, 7, 6, (3, 3), (2, 2), (1, 1), groups=2)
conv2d("conv2d_depthwise_3to6_5x4_k2x3_p0x1", 2, 3, 5, 4, 6, (2, 3), (1, 1), (0, 1), groups=3)
conv2d("conv2d_noBias_2to3_5x6_p2", 2, 2, 5, 6, 3, (3, 3), (1, 1), (2, 2), bias=False)
conv2d("conv2d_stride2_floor_6x6", 2, 2, 6, 6, 3, (3, 3), (2, 2))


def conv1d(name, n, c, length, out, kernel, stride=1, padding=0, groups=1, bias=True):
    args = {"inChannels": c, "outChannels": out, "kernelSize": kernel, "stride": stride, "padding": padding,
            "groups": groups, "bias": bias}
    module = torch.nn.Conv1d(c, out, kernel, stride, padding, groups=groups, bias=bias)
    cases.append(run_case(name, "Conv1d", args, module, [(n, c, length)] * 3, TRAIN2_EVAL))


conv1d("conv1d_2to3_L9_k3_s2_p1", 3, 2, 9, 3, 3, 2, 1)
conv1d("conv1d_groups2_4to4_L7_k2", 2, 4, 7, 4, 2, groups=2)
conv1d("conv1d_noBias_3to2_L5_k5_p2", 2, 3, 5, 2, 5, 1, 2, bias=False)


def pool(name, kind, n, c, h, w, kernel, stride, padding=(0, 0), count_include_pad=True):
    args = {"input": [c, h, w], "kernelSize": list(kernel), "stride": list(stride), "padding": list(padding)}
    if kind == "MaxPool2d":
        module = torch.nn.MaxPool2d(kernel, stride, padding)
    else:
        args["countIncludePad"] = count_include_pad
        module = torch.nn.AvgPool2d(kernel, stride, padding, count_include_pad=count_include_pad)
    cases.append(run_case(name, kind, args, module, [(n, c, h, w)] * 3, TRAIN2_EVAL))


pool("maxPool2d_2_on_8x6", "MaxPool2d", 2, 3, 8, 6, (2, 2), (2, 2))
pool("maxPool2d_k3_s2_p1_on_7x5", "MaxPool2d", 2, 2, 7, 5, (3, 3), (2, 2), (1, 1))
pool("maxPool2d_k2x3_s1x2_on_5x7", "MaxPool2d", 2, 2, 5, 7, (2, 3), (1, 2))
pool("avgPool2d_2_on_6x6", "AvgPool2d", 2, 3, 6, 6, (2, 2), (2, 2))
pool("avgPool2d_k3_s2_p1_on_7x5_countIncludePadFalse", "AvgPool2d", 2, 2, 7, 5, (3, 3), (2, 2), (1, 1),
     count_include_pad=False)
pool("avgPool2d_k3x2_s2x1_p1x0_on_5x6", "AvgPool2d", 2, 2, 5, 6, (3, 2), (2, 1), (1, 0))

cases.append(run_case("flatten_3x4x5", "Flatten", {}, torch.nn.Flatten(), [(2, 3, 4, 5)] * 3, TRAIN2_EVAL))


def cnn_case():
    """(1, 7, 6) images, batch 6, 5 classes; names are NormGrad's dotted paths (1.runningMean for 1.running_mean)."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, 1, 1),       # (4, 7, 6)
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),                # (4, 3, 3)
        torch.nn.Conv2d(4, 6, (3, 2), 1, (1, 0)),   # (6, 3, 2)
        torch.nn.GroupNorm(2, 6),
        torch.nn.ReLU(),
        torch.nn.AvgPool2d(2, 1),             # (6, 2, 1)
        torch.nn.Flatten(),
        torch.nn.Linear(12, 5)).double()
    with torch.no_grad():
        for i in (1, 5):
            net[i].weight.add_(0.3 * torch.randn_like(net[i].weight))
            net[i].bias.add_(0.3 * torch.randn_like(net[i].bias))

    def ours(name):
        return name.replace("running_mean", "runningMean").replace("running_var", "runningVar") \
            .replace("num_batches_tracked", "numBatchesTracked")

    params0 = {n: rows(p) for n, p in net.named_parameters()}
    steps = []
    for mode in ["train", "train", "train", "eval"]:
        net.train(mode == "train")
        x = (torch.randn(6, 1, 7, 6, dtype=DT) * 2 + 1).requires_grad_(True)
        labels = torch.randint(0, 5, (6,))
        net.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x), labels)
        loss.backward()
        steps.append({"mode": mode, "input": rows(x), "labels": labels.tolist(), "loss": float(loss),
                      "gradInput": rows(x.grad),
                      "gradParameters": {n: rows(p.grad) for n, p in net.named_parameters()},
                      "buffers": {ours(n): rows(b.to(DT)) for n, b in net.named_buffers()}})
    return {"name": "cnn_conv_batchnorm2d_relu_maxpool_conv_groupnorm_relu_avgpool_flatten_linear_crossentropy",
            "input": [1, 7, 6], "parameters": params0, "steps": steps}


cnn = cnn_case()

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "layers/src/test/python/make_conv_fixtures.py", "torch": torch.__version__,
               "dtype": "float64", "cases": cases, "cnn": cnn}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", len(cases), "cases and the CNN to", os.path.normpath(OUT))
