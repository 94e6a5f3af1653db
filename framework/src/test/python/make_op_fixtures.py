#!/usr/bin/python3
"""PyTorch reference numbers for every NormGrad op: writes src/test/resources/fixtures/ops.json.

Regenerate (from the repository root; needs only Debian's python3 and python3-torch):

    /usr/bin/python3 framework/src/test/python/make_op_fixtures.py

The output is deterministic (float64, fixed seed) and committed, so the Java tests
(dev.normgrad.ops.OpsMatchPyTorchTest) need no Python. Each case holds the op's inputs, its
forward output, a fixed random upstream gradient dL/dY and the input gradients dL/dX that
torch.autograd computes from it. Non-finite numbers are written as the strings "NaN",
"Infinity" and "-Infinity" (JSON has no literal for them; Java's Double.parseDouble reads them).

To add a case: append to CASES below (an op key, its arguments, its inputs), give the op the
same key in OpsMatchPyTorchTest.OPS, and regenerate.
"""
import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20240611
OUT = Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "ops.json"

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(SEED)


def randn(r, c):
    return torch.randn(r, c, generator=gen, dtype=torch.float64)


def away_from_zero(r, c, lo=0.5, hi=2.0):
    """Random magnitudes in [lo, hi) with random signs: safe denominators."""
    mag = lo + (hi - lo) * torch.rand(r, c, generator=gen, dtype=torch.float64)
    sign = torch.where(torch.rand(r, c, generator=gen) < 0.5, -1.0, 1.0)
    return mag * sign


def positive(r, c, lo=0.1, hi=3.0):
    return lo + (hi - lo) * torch.rand(r, c, generator=gen, dtype=torch.float64)


def t(rows):
    return torch.tensor(rows, dtype=torch.float64)


# op key -> function of (inputs, args); OpsMatchPyTorchTest.OPS has the same keys.
OPS = {
    "matmul": lambda x, a: x[0] @ x[1],
    "matmulTransposeA": lambda x, a: x[0].T @ x[1],
    "matmulTransposeB": lambda x, a: x[0] @ x[1].T,
    "matmulTransposeAB": lambda x, a: x[0].T @ x[1].T,
    "add": lambda x, a: x[0] + x[1],
    "sub": lambda x, a: x[0] - x[1],
    "mul": lambda x, a: x[0] * x[1],
    "div": lambda x, a: x[0] / x[1],
    "addScalar": lambda x, a: x[0] + a["c"],
    "subScalar": lambda x, a: x[0] - a["c"],
    "mulScalar": lambda x, a: x[0] * a["c"],
    "divScalar": lambda x, a: x[0] / a["c"],
    "pow": lambda x, a: torch.pow(x[0], a["p"]),
    "neg": lambda x, a: -x[0],
    "exp": lambda x, a: torch.exp(x[0]),
    "log": lambda x, a: torch.log(x[0]),
    "sqrt": lambda x, a: torch.sqrt(x[0]),
    "abs": lambda x, a: torch.abs(x[0]),
    "tanh": lambda x, a: torch.tanh(x[0]),
    "sigmoid": lambda x, a: torch.sigmoid(x[0]),
    "relu": lambda x, a: torch.relu(x[0]),
    "leakyRelu": lambda x, a: F.leaky_relu(x[0], a["slope"]),
    "softmax": lambda x, a: torch.softmax(x[0], dim=1),
    "logSoftmax": lambda x, a: torch.log_softmax(x[0], dim=1),
    "sum": lambda x, a: x[0].sum(dim=(0, 1) if a["dim"] == -1 else a["dim"], keepdim=True),
    "mean": lambda x, a: x[0].mean(dim=(0, 1) if a["dim"] == -1 else a["dim"], keepdim=True),
    "transpose": lambda x, a: x[0].T,
    "sliceColumns": lambda x, a: x[0][:, a["from"]:a["to"]],
    "concatColumns": lambda x, a: torch.cat(x, dim=1),
    "reshape": lambda x, a: x[0].reshape(a["rows"], a["cols"]),
    # Composites: a tensor used twice, and a small graph (linear layer + log-softmax).
    "mulSelf": lambda x, a: x[0] * x[0],
    "gramSelf": lambda x, a: x[0] @ x[0].T,
    "concatSelf": lambda x, a: torch.cat([x[0], x[0]], dim=1),
    "linearTanhLogSoftmax": lambda x, a: torch.log_softmax(torch.tanh(x[0] @ x[1].T + x[2]), dim=1),
    # Convolution and pooling on rows of C*H*W values ((C, H, W) row-major), the weight (C', C/G*kH*kW).
    "conv2d": lambda x, a: conv2d(x, a),
    "maxPool2d": lambda x, a: F.max_pool2d(image(x[0], a), a["kernel"], a["stride"], a["padding"]).reshape(x[0].shape[0], -1),
    "avgPool2d": lambda x, a: F.avg_pool2d(image(x[0], a), a["kernel"], a["stride"], a["padding"],
                                           count_include_pad=a["countIncludePad"]).reshape(x[0].shape[0], -1),
}


def image(x, a):
    """A batch of rows of C*H*W values as PyTorch's (N, C, H, W)."""
    return x.reshape(x.shape[0], a["channels"], a["height"], a["width"])


def conv2d(x, a):
    out, groups = a["outChannels"], a["groups"]
    w = x[1].reshape(out, a["channels"] // groups, *a["kernel"])
    b = x[2].reshape(-1) if len(x) == 3 else None
    y = F.conv2d(image(x[0], a), w, b, a["stride"], a["padding"], 1, groups)
    return y.reshape(x[0].shape[0], -1)

CASES = []


def case(name, op, inputs, **args):
    CASES.append((name, op, inputs, args))


m, k, n = 4, 3, 5

# ---- matrix products, every transposed form
case("matmul (4x3)@(3x5)", "matmul", [randn(m, k), randn(k, n)])
case("matmulTransposeA (3x4)T@(3x5)", "matmulTransposeA", [randn(k, m), randn(k, n)])
case("matmulTransposeB (4x3)@(5x3)T", "matmulTransposeB", [randn(m, k), randn(n, k)])
case("matmulTransposeAB (3x4)T@(5x3)T", "matmulTransposeAB", [randn(k, m), randn(n, k)])
case("matmul row-vector (1x3)@(3x5)", "matmul", [randn(1, k), randn(k, n)])
case("matmul outer product (4x1)@(1x5)", "matmul", [randn(m, 1), randn(1, n)])
case("matmul inner product (1x3)@(3x1)", "matmul", [randn(1, k), randn(k, 1)])

# ---- binary elementwise ops with every broadcasting pattern
r, c = 4, 3
PATTERNS = [
    ("(4x3)op(4x3)", (r, c), (r, c)),
    ("(4x3)op(1x3)", (r, c), (1, c)),
    ("(1x3)op(4x3)", (1, c), (r, c)),
    ("(4x3)op(4x1)", (r, c), (r, 1)),
    ("(4x1)op(4x3)", (r, 1), (r, c)),
    ("(4x3)op(1x1)", (r, c), (1, 1)),
    ("(1x1)op(4x3)", (1, 1), (r, c)),
    ("(4x1)op(1x3)", (r, 1), (1, c)),
    ("(1x3)op(4x1)", (1, c), (r, 1)),
]
for op in ["add", "sub", "mul", "div"]:
    for label, sa, sb in PATTERNS:
        b = away_from_zero(*sb) if op == "div" else randn(*sb)
        case(f"{op} {label}", op, [randn(*sa), b])

# ---- scalar ops
case("addScalar 2.5", "addScalar", [randn(r, c)], c=2.5)
case("subScalar 0.75", "subScalar", [randn(r, c)], c=0.75)
case("mulScalar -3", "mulScalar", [randn(r, c)], c=-3.0)
case("divScalar 3", "divScalar", [randn(r, c)], c=3.0)
case("pow 2", "pow", [randn(r, c)], p=2.0)
case("pow 3 on negative and zero bases", "pow", [t([[-2.0, -0.5, 0.0], [1.5, -1.0, 2.0]])], p=3.0)
case("pow 0 (gradient 0 everywhere, also at 0)", "pow", [t([[-2.0, 0.0, 3.0], [0.5, -0.25, 1.0]])], p=0.0)
case("pow 1", "pow", [randn(r, c)], p=1.0)
case("pow 0.5", "pow", [positive(r, c)], p=0.5)
case("pow -1.5", "pow", [positive(r, c)], p=-1.5)
case("pow -2 on negative bases", "pow", [-positive(r, c)], p=-2.0)

# ---- unary ops
case("neg", "neg", [randn(r, c)])
case("exp", "exp", [randn(r, c)])
case("log", "log", [positive(r, c)])
case("sqrt", "sqrt", [positive(r, c)])
case("abs (with exact zeros: PyTorch's gradient there is 0)", "abs",
     [t([[-1.5, 0.0, 2.0], [0.25, -0.0, -3.0]])])
case("tanh", "tanh", [randn(r, c)])
case("tanh saturated at +-1e3", "tanh", [t([[1e3, -1e3, 20.0], [-20.0, 1e-8, -1e-8]])])
case("sigmoid", "sigmoid", [randn(r, c)])
case("sigmoid saturated at +-1e3 and +-750", "sigmoid",
     [t([[1e3, -1e3, 750.0, -750.0], [40.0, -40.0, 1e-8, 0.0]])])
case("relu (with exact zeros: PyTorch's gradient there is 0)", "relu",
     [t([[-1.5, 0.0, 2.0], [0.25, -0.0, -3.0]])])
case("relu random", "relu", [randn(r, c)])
case("leakyRelu 0.01 (at 0 PyTorch uses the slope)", "leakyRelu",
     [t([[-1.5, 0.0, 2.0], [0.25, -0.0, -3.0]])], slope=0.01)
case("leakyRelu 0.2 random", "leakyRelu", [randn(r, c)], slope=0.2)

# ---- softmax family over each row (dim=1)
case("softmax", "softmax", [randn(r, n)])
case("logSoftmax", "logSoftmax", [randn(r, n)])
EXTREME_LOGITS = t([[1e4, -1e4, 0.0, 1e4],
                    [-1e4, -1e4, -1e4 + 0.5, -1e4 - 3.0],
                    [1e4, 1e4 - 1.0, 1e4 - 2.5, -1e4],
                    [0.0, 0.0, 0.0, 0.0]])
case("softmax logits +-1e4", "softmax", [EXTREME_LOGITS])
case("logSoftmax logits +-1e4", "logSoftmax", [EXTREME_LOGITS])
MASKED = t([[-math.inf, 0.0, 1.0, -2.0], [2.0, -math.inf, -math.inf, 0.5]])
case("softmax with -inf (masked) logits", "softmax", [MASKED])
case("logSoftmax with -inf (masked) logits", "logSoftmax", [MASKED])
case("softmax single column", "softmax", [randn(r, 1)])
case("logSoftmax single column", "logSoftmax", [randn(r, 1)])

# ---- reductions (kept dimensions)
for op in ["sum", "mean"]:
    for dim in [0, 1, -1]:
        case(f"{op} dim {dim}", op, [randn(r, n)], dim=dim)

# ---- shape ops
case("transpose (4x3)", "transpose", [randn(r, c)])
case("transpose row (1x5)", "transpose", [randn(1, n)])
case("sliceColumns [1, 4) of (4x5)", "sliceColumns", [randn(r, n)], **{"from": 1, "to": 4})
case("sliceColumns [0, 1) of (4x5)", "sliceColumns", [randn(r, n)], **{"from": 0, "to": 1})
case("sliceColumns [0, 5) of (4x5)", "sliceColumns", [randn(r, n)], **{"from": 0, "to": 5})
case("concatColumns (4x2)|(4x3)", "concatColumns", [randn(r, 2), randn(r, 3)])
case("concatColumns (4x1)|(4x3)|(4x2)", "concatColumns", [randn(r, 1), randn(r, 3), randn(r, 2)])
case("concatColumns single (4x3)", "concatColumns", [randn(r, 3)])
case("reshape (4x6) -> (3x8)", "reshape", [randn(4, 6)], rows=3, cols=8)
case("reshape (4x6) -> (1x24)", "reshape", [randn(4, 6)], rows=1, cols=24)
case("reshape (4x6) -> (24x1)", "reshape", [randn(4, 6)], rows=24, cols=1)

# ---- composites
case("mulSelf x*x (one tensor, both operands)", "mulSelf", [randn(r, c)])
case("gramSelf x@x^T (one tensor, both operands of a product)", "gramSelf", [randn(r, k)])
case("concatSelf [x x] (one tensor, both blocks)", "concatSelf", [randn(r, 2)])
case("linearTanhLogSoftmax log_softmax(tanh(x W^T + b))", "linearTanhLogSoftmax",
     [randn(r, k), randn(n, k), randn(1, n)])

# ---- non-finite results: the engine must give PyTorch's NaN and infinities (anomaly mode off)
NAN, INF = float("nan"), float("inf")
case("nonFinite log of 0 and of a negative", "log", [t([[0.0, -1.0, 2.0]])])
case("nonFinite sqrt at 0 (infinite gradient) and of a negative", "sqrt", [t([[0.0, -4.0, 4.0]])])
case("nonFinite div by 0", "div", [t([[1.0, 0.0, -1.0]]), t([[0.0, 0.0, 0.0]])])
case("nonFinite pow 0.5 of a negative", "pow", [t([[-2.0, 0.0, 4.0]])], p=0.5)
case("nonFinite pow -1 at 0", "pow", [t([[0.0, 2.0]])], p=-1.0)
case("nonFinite exp overflow", "exp", [t([[1000.0, -1000.0, 0.0]])])
case("nonFinite relu of NaN propagates", "relu", [t([[NAN, -1.0, 1.0]])])
case("nonFinite leakyRelu of NaN propagates", "leakyRelu", [t([[NAN, -1.0, 1.0]])], slope=0.1)
case("nonFinite abs of NaN", "abs", [t([[NAN, -1.0, 1.0]])])
case("nonFinite sigmoid and tanh of NaN", "sigmoid", [t([[NAN, INF, -INF]])])
case("nonFinite tanh of NaN and infinities", "tanh", [t([[NAN, INF, -INF]])])


# ---- convolution and pooling: odd, non-square images, stride 2, asymmetric kernels and padding, groups.
# Appended last, with inputs from their own generator, so that adding them left every earlier case as it was.
conv_gen = torch.Generator().manual_seed(SEED + 1)


def conv_randn(r, c):
    return torch.randn(r, c, generator=conv_gen, dtype=torch.float64)


def window(c, h, w, kernel, stride, padding):
    return {"channels": c, "height": h, "width": w, "kernel": list(kernel), "stride": list(stride),
            "padding": list(padding)}


def conv(name, n, c, h, w, out, kernel, stride=(1, 1), padding=(0, 0), groups=1, bias=True):
    args = dict(window(c, h, w, kernel, stride, padding), outChannels=out, groups=groups)
    inputs = [conv_randn(n, c * h * w), conv_randn(out, c // groups * kernel[0] * kernel[1])]
    if bias:
        inputs.append(conv_randn(1, out))
    case(name, "conv2d", inputs, **args)


conv("conv2d 1->1 channel 5x5, 3x3 kernel", 2, 1, 5, 5, 1, (3, 3))
conv("conv2d 3->4 channels 7x5, kernel (3, 2), stride (2, 1), padding (1, 0)", 3, 3, 7, 5, 4, (3, 2), (2, 1), (1, 0))
conv("conv2d stride 2 leaving the last row and column unread (6x6, 3x3)", 2, 2, 6, 6, 3, (3, 3), (2, 2))
conv("conv2d 4->6 channels in 2 groups, 6x7, 3x3, stride 2, padding 1", 2, 4, 6, 7, 6, (3, 3), (2, 2), (1, 1), groups=2)
conv("conv2d depthwise 3->6 in 3 groups, 5x4, kernel (2, 3), padding (0, 1)", 2, 3, 5, 4, 6, (2, 3), (1, 1), (0, 1), groups=3)
conv("conv2d without bias, 2->3 channels 4x6, padding 2", 2, 2, 4, 6, 3, (3, 3), (1, 1), (2, 2), bias=False)
conv("conv2d 1x1 kernel, 3->2 channels 3x5", 3, 3, 3, 5, 2, (1, 1))
conv("conv2d as conv1d: (C, 1, L) = (2, 1, 9), kernel (1, 3), stride (1, 2), padding (0, 1)", 3, 2, 1, 9, 3, (1, 3), (1, 2),
     (0, 1))
conv("conv2d kernel as large as the padded input (4x3 padded by 1 is 6x5)", 2, 2, 4, 3, 2, (6, 5), (1, 1), (1, 1))


def pool(name, op, n, c, h, w, kernel, stride, padding=(0, 0), count_include_pad=True, x=None):
    args = window(c, h, w, kernel, stride, padding)
    if op == "avgPool2d":
        args["countIncludePad"] = count_include_pad
    case(name, op, [conv_randn(n, c * h * w) if x is None else x], **args)


pool("maxPool2d 2x2 stride 2 on 6x6", "maxPool2d", 2, 3, 6, 6, (2, 2), (2, 2))
pool("maxPool2d 3x3 stride 2 padding 1 on 7x5", "maxPool2d", 2, 2, 7, 5, (3, 3), (2, 2), (1, 1))
pool("maxPool2d kernel (2, 3) stride (1, 2) on 5x7 (overlapping windows)", "maxPool2d", 2, 2, 5, 7, (2, 3), (1, 2))
pool("maxPool2d 2x2 stride 2 on 5x5 (the last row and column unread)", "maxPool2d", 1, 2, 5, 5, (2, 2), (2, 2))
# ties: PyTorch gives the whole gradient to the first maximum in row-major order
pool("maxPool2d ties go to the first maximum", "maxPool2d", 1, 1, 4, 4, (2, 2), (2, 2),
     x=t([[1.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 2.0, -1.0, -1.0, 3.0, 3.0, -1.0, -1.0, 3.0, 3.0]]))
pool("avgPool2d 2x2 stride 2 on 6x6", "avgPool2d", 2, 3, 6, 6, (2, 2), (2, 2))
pool("avgPool2d 3x3 stride 2 padding 1 on 7x5, padding counted", "avgPool2d", 2, 2, 7, 5, (3, 3), (2, 2), (1, 1))
pool("avgPool2d 3x3 stride 2 padding 1 on 7x5, padding not counted", "avgPool2d", 2, 2, 7, 5, (3, 3), (2, 2), (1, 1),
     count_include_pad=False)
pool("avgPool2d kernel (3, 2) stride (2, 1) padding (1, 0) on 5x6", "avgPool2d", 2, 2, 5, 6, (3, 2), (2, 1), (1, 0),
     count_include_pad=False)

case("nonFinite maxPool2d: a NaN wins its window", "maxPool2d", [t([[1.0, NAN, 2.0, 0.5, -1.0, 3.0, 4.0, -2.0]])],
     **window(1, 2, 4, (2, 2), (2, 2), (0, 0)))


def encode(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def rows(x):
    return [[encode(float(v)) for v in row] for row in x.tolist()]


def run(name, op, inputs, args):
    xs = [x.clone().requires_grad_(True) for x in inputs]
    y = OPS[op](xs, args)
    dy = randn(*y.shape)
    y.backward(dy)
    return {
        "name": name,
        "op": op,
        "args": args,
        "inputs": [rows(x.detach()) for x in xs],
        "output": rows(y.detach()),
        "gradOutput": rows(dy),
        "gradInputs": [rows(x.grad) for x in xs],
    }


def main():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    doc = {
        "description": "PyTorch reference forward outputs and input gradients for NormGrad's ops; "
                       "generated by framework/src/test/python/make_op_fixtures.py, do not edit",
        "torch": torch.__version__,
        "seed": SEED,
        "dtype": "float64",
        "cases": [run(*c) for c in CASES],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # One line per case field keeps the file readable and its diffs small.
    lines = ["{"]
    for key in ["description", "torch", "seed", "dtype"]:
        lines.append(f" {json.dumps(key)}: {json.dumps(doc[key])},")
    lines.append(' "cases": [')
    for i, c in enumerate(doc["cases"]):
        fields = [f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}" for key, value in c.items()]
        lines.append(" {\n" + ",\n".join(fields) + "\n }" + ("," if i < len(doc["cases"]) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # the file must be valid JSON
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
