#!/usr/bin/python3
"""Reference numbers for NormGrad's normalization layers, from PyTorch (float64).

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 layers/src/test/python/make_norm_fixtures.py

writes layers/src/test/resources/fixtures/norm.json, read by NormalizationFixtureTest (the layers) and
NormalizedMlpFixtureTest (a Linear/BatchNorm/LayerNorm MLP with cross-entropy, under "mlp").

Layout: NormGrad rows are samples and each row is C channel blocks of L positions, so a PyTorch
(N, C, L) tensor is stored as its reshape to (N, C*L), an (N, C, H, W) image batch as (N, C*H*W) (L = H*W);
an (N, C) tensor as is. Parameters and
buffers are 1xK rows (LayerNorm's (C, L) weight flattened row-major); WeightNorm's weight_g keeps
its 2-D shape ((out, 1) for dim 0, (1, 1) for dim=None).

Every case is a list of steps on one layer: a few training steps (each with its own input and a
fixed random upstream gradient dL/dy; never sum(), whose gradient through a normalization is 0),
then an evaluation step. After each step: the output, dL/dx, dL/d(every parameter), gradients zeroed
between steps, and the buffers (running statistics, num_batches_tracked).

Debian's torch (1.13) has no nn.RMSNorm; its reference is PyTorch 2.4's formula
y = x / sqrt(mean(x^2) + eps) * weight, eps defaulting to torch.finfo(float64).eps, written here with
torch ops so autograd gives the gradients. Batch renormalization (Ioffe 2017) has no PyTorch layer
either; its reference is the paper's formula with r and d detached.
"""
import json
import os

import torch

torch.manual_seed(20240601)
DT = torch.float64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "norm.json")


def rows(t):
    """A tensor as a list of rows (2-D): (N, C, L) -> (N, C*L); 1-D (K,) -> one row; 0-D -> [[v]]."""
    t = t.detach()
    if t.dim() == 0:
        t = t.reshape(1, 1)
    elif t.dim() == 1:
        t = t.reshape(1, -1)
    elif t.dim() > 2:
        t = t.reshape(t.shape[0], -1)
    return [[float(v) for v in r] for r in t.tolist()]


def param_rows(p, keep_2d=False):
    """A parameter as NormGrad stores it: a 1xK row (flattened row-major), or its 2-D shape when keep_2d
    (WeightNorm's weight_g (out, 1) and weight_v (out, in))."""
    if keep_2d and p.dim() == 2:
        return rows(p)
    return [[float(v) for v in p.detach().reshape(-1).tolist()]]


def data(shape, scale=2.0, shift=3.0):
    """Inputs with a non-zero mean and non-unit scale, so centring and scaling both matter."""
    return torch.randn(*shape, dtype=DT) * scale + shift


class Torch:
    """Adapter: a callable layer (module or hand-written formula) with named parameters and buffers."""

    def __init__(self, forward, params, buffers=lambda: {}, train=None, keep_2d=False):
        self.forward, self.params, self.buffers, self.set_train = forward, params, buffers, train
        self.keep_2d = keep_2d


def run_case(name, layer, args, make, shapes, modes):
    """make() -> Torch adapter; shapes: one input shape per step; modes: 'train'/'eval' per step."""
    torch_layer = make()
    with torch.no_grad():
        for pname, p in torch_layer.params().items():
            p.copy_(p + 0.3 * torch.randn_like(p))  # away from gamma = 1, beta = 0, so dgamma/dbeta matter
    params0 = {k: param_rows(p, torch_layer.keep_2d) for k, p in torch_layer.params().items()}
    steps = []
    for shape, mode in zip(shapes, modes):
        if torch_layer.set_train:
            torch_layer.set_train(mode == "train")
        x = data(shape).requires_grad_(True)
        y = torch_layer.forward(x)
        g = torch.randn_like(y)
        for p in torch_layer.params().values():
            p.grad = None
        y.backward(g)
        step = {
            "mode": mode,
            "input": rows(x),
            "gradOutput": rows(g),
            "output": rows(y),
            "gradInput": rows(x.grad),
            "gradParameters": {k: param_rows(p.grad, torch_layer.keep_2d) for k, p in torch_layer.params().items()},
            "buffers": {k: rows(b.to(DT)) for k, b in torch_layer.buffers().items()},
        }
        steps.append(step)
    return {"name": name, "layer": layer, "args": args, "parameters": params0, "steps": steps}


def module_adapter(m, param_names, buffer_map):
    m = m.double()
    return Torch(
        forward=m,
        params=lambda: {k: getattr(m, v) for k, v in param_names.items() if getattr(m, v, None) is not None},
        buffers=lambda: {k: getattr(m, v) for k, v in buffer_map.items() if getattr(m, v, None) is not None},
        train=m.train,
    )


AFFINE = {"weight": "weight", "bias": "bias"}
RUNNING = {"runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"}

cases = []
TRAIN3_EVAL = ["train", "train", "train", "eval"]


def bn(name, n, c, l, eps=1e-5, momentum=0.1, affine=True, track=True, modes=TRAIN3_EVAL):
    shape = (n, c) if l is None else (n, c, l)
    cases.append(run_case(name, "BatchNorm1d",
                          {"numFeatures": c, "eps": eps, "momentum": momentum, "affine": affine, "trackRunningStats": track},
                          lambda: module_adapter(torch.nn.BatchNorm1d(c, eps, momentum, affine, track), AFFINE, RUNNING),
                          [shape] * len(modes), modes))


bn("batchNorm1d_NC", 6, 4, None)
bn("batchNorm1d_NCL", 4, 3, 5)
bn("batchNorm1d_NCL_batch1", 1, 3, 4)  # one sample, but L > 1: more than one value per channel
bn("batchNorm1d_affineFalse", 5, 3, 2, affine=False)
bn("batchNorm1d_trackRunningStatsFalse", 5, 4, None, track=False)
bn("batchNorm1d_trackRunningStatsFalse_NCL", 3, 2, 4, track=False, affine=False)
bn("batchNorm1d_momentumNone", 5, 3, None, momentum=None, modes=["train"] * 4 + ["eval"])
bn("batchNorm1d_momentum03_eps1e-3", 4, 3, 2, eps=1e-3, momentum=0.3)


def ln(name, shape, normalized, eps=1e-5, affine=True):
    cases.append(run_case(name, "LayerNorm", {"normalizedShape": list(normalized), "eps": eps, "elementwiseAffine": affine},
                          lambda: module_adapter(torch.nn.LayerNorm(list(normalized), eps, affine), AFFINE, {}),
                          [shape, shape], ["train", "eval"]))


ln("layerNorm_features", (5, 6), (6,))
ln("layerNorm_CL", (4, 3, 5), (3, 5))
ln("layerNorm_lastDimOfNCL", (3, 4, 5), (5,))
ln("layerNorm_noAffine", (4, 7), (7,), affine=False)
ln("layerNorm_eps1e-3", (4, 3, 2), (3, 2), eps=1e-3)


def gn(name, g, c, shape, eps=1e-5, affine=True):
    cases.append(run_case(name, "GroupNorm", {"numGroups": g, "numChannels": c, "eps": eps, "affine": affine},
                          lambda: module_adapter(torch.nn.GroupNorm(g, c, eps, affine), AFFINE, {}),
                          [shape, shape], ["train", "eval"]))


gn("groupNorm_2of6_NCL", 2, 6, (4, 6, 3))
gn("groupNorm_3of6_NC", 3, 6, (5, 6))
gn("groupNorm_1of4_NCL", 1, 4, (3, 4, 2))
gn("groupNorm_4of4_NCL", 4, 4, (3, 4, 3))
gn("groupNorm_noAffine", 2, 4, (3, 4, 5), affine=False)


def inorm(name, c, shape, eps=1e-5, momentum=0.1, affine=False, track=False, modes=("train", "eval")):
    cases.append(run_case(name, "InstanceNorm1d",
                          {"numFeatures": c, "eps": eps, "momentum": momentum, "affine": affine, "trackRunningStats": track},
                          lambda: module_adapter(torch.nn.InstanceNorm1d(c, eps, momentum, affine, track), AFFINE, RUNNING),
                          [shape] * len(modes), list(modes)))


inorm("instanceNorm1d_default", 4, (3, 4, 5))
inorm("instanceNorm1d_affine", 3, (4, 3, 6), affine=True)
inorm("instanceNorm1d_trackRunningStats", 3, (4, 3, 5), affine=True, track=True, modes=TRAIN3_EVAL)
inorm("instanceNorm1d_trackRunningStats_momentum02", 2, (3, 2, 4), momentum=0.2, track=True, modes=TRAIN3_EVAL)


class RMSNormRef(torch.nn.Module):
    """PyTorch 2.4's nn.RMSNorm, written out: y = x / sqrt(mean(x^2 over normalized dims) + eps) * weight."""

    def __init__(self, normalized, eps=None, affine=True):
        super().__init__()
        self.normalized = tuple(normalized)
        self.eps = torch.finfo(DT).eps if eps is None else eps
        self.weight = torch.nn.Parameter(torch.ones(self.normalized, dtype=DT)) if affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.normalized), 0))
        y = x * torch.rsqrt(x.pow(2).mean(dim=dims, keepdim=True) + self.eps)
        return y * self.weight if self.weight is not None else y


def rms(name, shape, normalized, eps=None, affine=True):
    args = {"normalizedShape": list(normalized), "eps": torch.finfo(DT).eps if eps is None else eps, "elementwiseAffine": affine}
    cases.append(run_case(name, "RMSNorm", args,
                          lambda: module_adapter(RMSNormRef(normalized, eps, affine), {"weight": "weight"}, {}),
                          [shape, shape], ["train", "eval"]))


rms("rmsNorm_features", (5, 6), (6,))
rms("rmsNorm_CL", (4, 3, 5), (3, 5))
rms("rmsNorm_lastDimOfNCL", (3, 4, 5), (5,))
rms("rmsNorm_noAffine_eps1e-6", (4, 7), (7,), eps=1e-6, affine=False)


class BatchRenormRef(torch.nn.Module):
    """Ioffe 2017, with BatchNorm's running statistics (unbiased variance into running_var, PyTorch's momentum):
    train: y = w * ((x - mu_B) / sigma_B * r + d) + b, r = clip(sigma_B / sigma, 1/rmax, rmax),
    d = clip((mu_B - mu) / sigma, -dmax, dmax), sigma = sqrt(running_var + eps), r and d detached,
    computed before the running update; eval: BatchNorm's."""

    def __init__(self, c, eps=1e-5, momentum=0.1, affine=True, rmax=3.0, dmax=5.0):
        super().__init__()
        self.eps, self.momentum, self.rmax, self.dmax = eps, momentum, rmax, dmax
        self.weight = torch.nn.Parameter(torch.ones(c, dtype=DT)) if affine else None
        self.bias = torch.nn.Parameter(torch.zeros(c, dtype=DT)) if affine else None
        self.register_buffer("running_mean", torch.zeros(c, dtype=DT))
        self.register_buffer("running_var", torch.ones(c, dtype=DT))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        x3 = x if x.dim() == 3 else x.unsqueeze(2)
        shape = (1, -1, 1)
        if self.training:
            n = x3.shape[0] * x3.shape[2]
            mu = x3.mean(dim=(0, 2))
            var = x3.var(dim=(0, 2), unbiased=False)
            sigma_b = torch.sqrt(var + self.eps)
            sigma = torch.sqrt(self.running_var + self.eps)
            r = (sigma_b / sigma).detach().clamp(1 / self.rmax, self.rmax)
            d = ((mu - self.running_mean) / sigma).detach().clamp(-self.dmax, self.dmax)
            xhat = (x3 - mu.view(shape)) / sigma_b.view(shape) * r.view(shape) + d.view(shape)
            with torch.no_grad():
                self.num_batches_tracked += 1
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mu)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            xhat = (x3 - self.running_mean.view(shape)) / torch.sqrt(self.running_var.view(shape) + self.eps)
        y = xhat * self.weight.view(shape) + self.bias.view(shape) if self.weight is not None else xhat
        return y if x.dim() == 3 else y.squeeze(2)


def renorm(name, n, c, l, rmax=3.0, dmax=5.0, affine=True, scale=None):
    shape = (n, c) if l is None else (n, c, l)
    cases.append(run_case(name, "BatchRenorm1d",
                          {"numFeatures": c, "eps": 1e-5, "momentum": 0.1, "affine": affine, "rmax": rmax, "dmax": dmax},
                          lambda: module_adapter(BatchRenormRef(c, 1e-5, 0.1, affine, rmax, dmax), AFFINE, RUNNING),
                          [shape] * 4, TRAIN3_EVAL))


# data(): std 2 and mean 3 against running (0, 1): r = 2 clipped by rmax 1.5, d = 3 clipped by dmax 0.5 at first
renorm("batchRenorm1d_clipped_NC", 6, 4, None, rmax=1.5, dmax=0.5)
renorm("batchRenorm1d_default_NCL", 4, 3, 5)
renorm("batchRenorm1d_noAffine", 5, 3, None, rmax=1.2, dmax=1.0, affine=False)


def weight_norm(name, fin, fout, dim):
    def make():
        lin = torch.nn.Linear(fin, fout).double()
        wn = torch.nn.utils.weight_norm(lin, dim=dim)
        return Torch(forward=wn, params=lambda: {"bias": wn.bias, "weightG": wn.weight_g, "weightV": wn.weight_v},
                     train=wn.train, keep_2d=True)

    cases.append(run_case(name, "WeightNorm", {"inFeatures": fin, "outFeatures": fout, "dim": -1 if dim is None else dim},
                          make, [(4, fin), (3, fin)], ["train", "eval"]))


weight_norm("weightNorm_linear_dim0", 5, 3, 0)
weight_norm("weightNorm_linear_dimNone", 4, 2, None)



def mlp_case():
    """The normalized MLP of the layers issue: Linear -> BatchNorm1d -> ReLU -> Linear -> LayerNorm -> Tanh -> Linear,
    softmax cross-entropy (mean over the batch) on integer labels; three training steps, then evaluation.
    Names are NormGrad's dotted paths (1.runningMean for PyTorch's 1.running_mean)."""
    net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(), torch.nn.Linear(16, 12),
                              torch.nn.LayerNorm(12), torch.nn.Tanh(), torch.nn.Linear(12, 4)).double()
    with torch.no_grad():
        for i in (1, 4):
            net[i].weight.add_(0.3 * torch.randn_like(net[i].weight))
            net[i].bias.add_(0.3 * torch.randn_like(net[i].bias))

    def ours(name):
        return name.replace("running_mean", "runningMean").replace("running_var", "runningVar") \
            .replace("num_batches_tracked", "numBatchesTracked")

    params0 = {n: param_rows(p, True) for n, p in net.named_parameters()}
    steps = []
    for mode in TRAIN3_EVAL:
        net.train(mode == "train")
        x = data((10, 8)).requires_grad_(True)
        labels = torch.randint(0, 4, (10,))
        net.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), labels)
        loss.backward()
        steps.append({"mode": mode, "input": rows(x), "labels": labels.tolist(), "loss": float(loss),
                      "gradInput": rows(x.grad),
                      "gradParameters": {n: param_rows(p.grad, True) for n, p in net.named_parameters()},
                      "buffers": {ours(n): rows(b.to(DT)) for n, b in net.named_buffers()}})
    return {"name": "mlp_linear_batchnorm_relu_linear_layernorm_tanh_linear_crossentropy", "parameters": params0,
            "steps": steps}


mlp = mlp_case()


# ---- images: rows of C*H*W values, (C, H, W) row-major (PyTorch's (N, C, H, W) reshaped to (N, C*H*W)); odd,
# non-square sizes. Appended after the cases above so that their random draws are unchanged.

def bn2d(name, n, c, h, w, eps=1e-5, momentum=0.1, affine=True, track=True, modes=TRAIN3_EVAL):
    cases.append(run_case(name, "BatchNorm2d",
                          {"numFeatures": c, "eps": eps, "momentum": momentum, "affine": affine, "trackRunningStats": track},
                          lambda: module_adapter(torch.nn.BatchNorm2d(c, eps, momentum, affine, track), AFFINE, RUNNING),
                          [(n, c, h, w)] * len(modes), modes))


bn2d("batchNorm2d_3ch_5x7", 4, 3, 5, 7)
bn2d("batchNorm2d_batch1_3x2", 1, 2, 3, 2)  # one image: H*W values per channel are enough
bn2d("batchNorm2d_affineFalse_momentum03", 3, 4, 3, 3, momentum=0.3, affine=False)
bn2d("batchNorm2d_trackRunningStatsFalse", 3, 2, 4, 5, track=False)
bn2d("batchNorm2d_momentumNone", 2, 3, 2, 3, momentum=None, modes=["train"] * 4 + ["eval"])


def in2d(name, c, shape, eps=1e-5, momentum=0.1, affine=False, track=False, modes=("train", "eval")):
    cases.append(run_case(name, "InstanceNorm2d",
                          {"numFeatures": c, "eps": eps, "momentum": momentum, "affine": affine, "trackRunningStats": track},
                          lambda: module_adapter(torch.nn.InstanceNorm2d(c, eps, momentum, affine, track), AFFINE, RUNNING),
                          [shape] * len(modes), list(modes)))


in2d("instanceNorm2d_default_3x5", 3, (4, 3, 3, 5))
in2d("instanceNorm2d_affine_trackRunningStats", 2, (3, 2, 4, 3), affine=True, track=True, modes=TRAIN3_EVAL)

gn("groupNorm_2of6_images_3x5", 2, 6, (3, 6, 3, 5))
gn("groupNorm_1of4_images_2x3", 1, 4, (2, 4, 2, 3))
gn("groupNorm_4of4_images_3x2", 4, 4, (3, 4, 3, 2), affine=False)
ln("layerNorm_CHW_3x5x4", (3, 3, 5, 4), (3, 5, 4))
ln("layerNorm_HW_of_images", (2, 3, 4, 3), (4, 3))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "layers/src/test/python/make_norm_fixtures.py", "torch": torch.__version__,
               "dtype": "float64", "cases": cases, "mlp": mlp}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", len(cases), "cases to", os.path.normpath(OUT))
