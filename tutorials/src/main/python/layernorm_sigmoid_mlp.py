#!/usr/bin/python3
"""The demo's three networks in PyTorch: does a deep sigmoid MLP with LayerNorm stay at chance there too?

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 tutorials/src/main/python/layernorm_sigmoid_mlp.py

The networks of ./normgrad demo (DemoStory): 10 hidden layers of 32 units, Linear (no bias when a
normalization follows) -> [BatchNorm1d | LayerNorm] -> Sigmoid, then Linear(32, 10); every Linear
Xavier-uniform, biases 0; plain SGD at lr 0.5, 400 steps of 64 shuffled training images (the last,
smaller batch of an epoch dropped); the bundled digits, a stratified 80/20 split, features standardised
with the training set's statistics. Three seeds each. Also printed, per normalized layer at
initialisation: the share of the variance of its input that differs between examples
(between-example variance over total variance of the N x 32 matrix). Writes the results to
tutorials/src/test/resources/fixtures/pytorch-demo-networks.json, which chapter 05-layer-norm-family
reads and prints beside NormGrad's own run of the same networks.
"""
import json
import gzip
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
OUT = os.path.join(ROOT, "tutorials", "src", "test", "resources", "fixtures", "pytorch-demo-networks.json")
DIGITS = os.path.join(ROOT, "layers", "src", "main", "resources", "dev", "normgrad", "data", "digits.csv.gz")
torch.set_default_dtype(torch.float64)


def load(seed):
    rows = [list(map(float, line.split(","))) for line in gzip.open(DIGITS, "rt") if line.strip()]
    data = torch.tensor(rows)
    x, y = data[:, :64], data[:, 64].long()
    g = torch.Generator().manual_seed(seed)
    train_idx, test_idx = [], []
    for c in range(10):   # stratified 80/20
        idx = (y == c).nonzero().flatten()
        idx = idx[torch.randperm(len(idx), generator=g)]
        k = round(0.2 * len(idx))
        test_idx += idx[:k].tolist()
        train_idx += idx[k:].tolist()
    xtr, ytr, xte, yte = x[train_idx], y[train_idx], x[test_idx], y[test_idx]
    mean, std = xtr.mean(0), xtr.std(0)
    std[std == 0] = 1
    return (xtr - mean) / std, ytr, (xte - mean) / std, yte


def mlp(norm, seed):
    torch.manual_seed(seed)
    layers, width = [], 64
    for _ in range(10):
        lin = torch.nn.Linear(width, 32, bias=norm is None)
        torch.nn.init.xavier_uniform_(lin.weight)
        if lin.bias is not None:
            torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if norm == "BatchNorm1d":
            layers.append(torch.nn.BatchNorm1d(32))
        elif norm == "LayerNorm":
            layers.append(torch.nn.LayerNorm(32))
        layers.append(torch.nn.Sigmoid())
        width = 32
    head = torch.nn.Linear(32, 10)
    torch.nn.init.xavier_uniform_(head.weight)
    torch.nn.init.zeros_(head.bias)
    return torch.nn.Sequential(*layers, head)


def between_example_share(model, x):
    """Per normalization layer, at initialisation: the variance over examples of each unit of its input,
    averaged over the units, divided by the variance of all the input's entries. Near 0, every example
    reaches the layer as the same pattern over the units."""
    shares, h = [], x
    with torch.no_grad():
        for m in model:
            if isinstance(m, (torch.nn.LayerNorm, torch.nn.BatchNorm1d)):
                shares.append(float(h.var(0, unbiased=False).mean() / h.var(unbiased=False)))
            h = m(h)
    return shares


def run(norm, seed):
    xtr, ytr, xte, yte = load(seed)
    model = mlp(norm, seed)
    share = between_example_share(model, xtr[:256]) if norm else []
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    g = torch.Generator().manual_seed(seed + 1)
    step, perm, pos = 0, torch.randperm(len(xtr), generator=g), 0
    while step < 400:
        if pos + 64 > len(xtr):
            perm, pos = torch.randperm(len(xtr), generator=g), 0
        idx = perm[pos:pos + 64]
        pos += 64
        model.train()
        loss = torch.nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).double().mean().item()
    return acc, share


if __name__ == "__main__":
    print("torch", torch.__version__)
    results = []
    for norm in (None, "BatchNorm1d", "LayerNorm"):
        for seed in (1, 2, 3):
            acc, share = run(norm, seed)
            s = ", ".join(f"{v:.3f}" for v in share[:10])
            print(f"{norm or 'no normalization':16s} seed {seed}: test accuracy {acc:.3f}"
                  + (f"; per-example share of each normalized layer's input variance at init: {s}" if share else ""))
            results.append({"normalization": norm or "none", "seed": seed, "testAccuracy": acc, "perExampleShare": share})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "tutorials/src/main/python/layernorm_sigmoid_mlp.py", "torch": torch.__version__,
                   "networks": "10 x 32 sigmoid MLP, Xavier uniform, SGD lr 0.5, 400 steps of 64, digits 80/20",
                   "runs": results}, f, indent=1)
        f.write("\n")
