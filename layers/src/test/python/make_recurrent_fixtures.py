#!/usr/bin/python3
"""Reference numbers for NormGrad's recurrent layers, computed by PyTorch in float64.

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 layers/src/test/python/make_recurrent_fixtures.py

writes layers/src/test/resources/fixtures/recurrent.json, read by RecurrentFixtureTest (which
compares at 1e-10 relative). Conventions of the JSON: a matrix is a list of rows; a sequence is a
list of N×F matrices, one per step; a bias is a 1×k row; parameter names are NormGrad's
(l0.weightIh for PyTorch's weight_ih_l0, weightIh for a cell's weight_ih).

Cases:
  layers  nn.RNN (tanh, relu), nn.LSTM, nn.GRU with 2 stacked layers over several steps, from a
          random initial state, loss = sum(output * G) + sum(h_n * Gh) (+ sum(c_n * Gc)) with fixed
          random upstream gradients G, Gh, Gc: outputs, final states, the gradients of every
          parameter, every input step and the initial state.
  cells   nn.RNNCell (tanh, relu), nn.LSTMCell, nn.GRUCell stepped by hand, loss on the last state
          only: sum(h_T * G) (+ sum(c_T * Gc)).
  normalized  layer-normalized (Ba et al. 2016) and per-step batch-normalized (Cooijmans et al.
          2016) RNN (tanh), LSTM and GRU cells written out with F.layer_norm / F.batch_norm, one
          layer, LN/BN on W_ih x and W_hh h (and on c_t for the LSTM), random norm weights: a
          training pass (outputs, all gradients of sum(output * G), running statistics per step,
          maxSteps 2 so that steps 2.. share row 1), then an evaluation pass on the same input.
  profiles  ||dL/dh_t|| for t = 0..29 of a tanh RNNCell (retain_grad on every h_t), loss
          sum(h_29 * G), with W_hh = s * Q (Q orthogonal): s = 0.5 (vanishing) and s = 3 (exploding).
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "recurrent.json")


def mat(t):
    t = t.detach()
    if t.dim() == 1:
        t = t.unsqueeze(0)
    return t.tolist()


def seq(t):
    return [mat(t[i]) for i in range(t.shape[0])]


def layer_case(name, module, T, N, F, H, lstm):
    L = module.num_layers
    x = torch.randn(T, N, F, requires_grad=True)
    h0 = torch.randn(L, N, H, requires_grad=True)
    c0 = torch.randn(L, N, H, requires_grad=True) if lstm else None
    if lstm:
        out, (hn, cn) = module(x, (h0, c0))
    else:
        out, hn = module(x, h0)
        cn = None
    G = torch.randn_like(out)
    Gh = torch.randn_like(hn)
    loss = (out * G).sum() + (hn * Gh).sum()
    Gc = None
    if lstm:
        Gc = torch.randn_like(cn)
        loss = loss + (cn * Gc).sum()
    loss.backward()
    case = {
        "name": name, "kind": type(module).__name__, "nonlinearity": getattr(module, "nonlinearity", None),
        "steps": T, "batch": N, "inputSize": F, "hiddenSize": H, "numLayers": L,
        "x": seq(x), "h0": seq(h0), "output": seq(out), "hn": seq(hn),
        "G": seq(G), "Gh": seq(Gh), "loss": loss.item(),
        "gradX": seq(x.grad), "gradH0": seq(h0.grad),
        "parameters": {}, "grads": {},
    }
    if lstm:
        case.update({"c0": seq(c0), "cn": seq(cn), "Gc": seq(Gc), "gradC0": seq(c0.grad)})
    for l in range(L):
        for torch_name, ours in [("weight_ih", "weightIh"), ("weight_hh", "weightHh"),
                                 ("bias_ih", "biasIh"), ("bias_hh", "biasHh")]:
            p = getattr(module, f"{torch_name}_l{l}")
            case["parameters"][f"l{l}.{ours}"] = mat(p)
            case["grads"][f"l{l}.{ours}"] = mat(p.grad)
    return case


def cell_case(name, cell, T, N, F, H, lstm):
    x = torch.randn(T, N, F, requires_grad=True)
    h0 = torch.randn(N, H, requires_grad=True)
    c0 = torch.randn(N, H, requires_grad=True) if lstm else None
    h, c = h0, c0
    for t in range(T):
        if lstm:
            h, c = cell(x[t], (h, c))
        else:
            h = cell(x[t], h)
    G = torch.randn_like(h)
    loss = (h * G).sum()
    case = {"name": name, "kind": type(cell).__name__, "nonlinearity": getattr(cell, "nonlinearity", None),
            "steps": T, "batch": N, "inputSize": F, "hiddenSize": H,
            "x": seq(x), "h0": mat(h0), "hT": mat(h), "G": mat(G)}
    if lstm:
        Gc = torch.randn_like(c)
        loss = loss + (c * Gc).sum()
        case.update({"c0": mat(c0), "cT": mat(c), "Gc": mat(Gc)})
    loss.backward()
    case.update({"loss": loss.item(), "gradX": seq(x.grad), "gradH0": mat(h0.grad), "parameters": {}, "grads": {}})
    if lstm:
        case["gradC0"] = mat(c0.grad)
    for torch_name, ours in [("weight_ih", "weightIh"), ("weight_hh", "weightHh"),
                             ("bias_ih", "biasIh"), ("bias_hh", "biasHh")]:
        p = getattr(cell, torch_name)
        case["parameters"][ours] = mat(p)
        case["grads"][ours] = mat(p.grad)
    return case


GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def normalized_case(kind, norm, T=4, N=4, F=3, H=4, max_steps=2):
    import torch.nn.functional as Fn
    G4 = GATES[kind] * H
    k = 1 / H ** 0.5
    params = {"weightIh": torch.empty(G4, F).uniform_(-k, k), "weightHh": torch.empty(G4, H).uniform_(-k, k),
              "biasIh": torch.empty(1, G4).uniform_(-k, k), "biasHh": torch.empty(1, G4).uniform_(-k, k)}
    sites = [("normIh", G4), ("normHh", G4)] + ([("normC", H)] if kind == "LSTM" else [])
    for site, width in sites:
        params[site + ".weight"] = 1 + 0.3 * torch.randn(1, width) if norm == "layerNorm" else 0.1 + 0.3 * torch.randn(1, width)
        params[site + ".bias"] = 0.2 * torch.randn(1, width)
    for p in params.values():
        p.requires_grad_(True)
    running = {site: (torch.zeros(max_steps, width), torch.ones(max_steps, width)) for site, width in sites}

    def normalize(site, v, t, training):
        w, b = params[site + ".weight"][0], params[site + ".bias"][0]
        if norm == "layerNorm":
            return Fn.layer_norm(v, (v.shape[1],), w, b, eps=1e-5)
        rm, rv = running[site]
        row = min(t, max_steps - 1)
        return Fn.batch_norm(v, rm[row], rv[row], w, b, training=training, momentum=0.1, eps=1e-5)

    def run(x, training):
        h = torch.zeros(N, H)
        c = torch.zeros(N, H)
        outs = []
        for t in range(T):
            a = normalize("normIh", x[t] @ params["weightIh"].T, t, training) + params["biasIh"]
            b = normalize("normHh", h @ params["weightHh"].T, t, training) + params["biasHh"]
            if kind == "RNN":
                h = torch.tanh(a + b)
            elif kind == "LSTM":
                i, f, g, o = (a + b).chunk(4, 1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(normalize("normC", c, t, training))
            else:
                ar, az, an = a.chunk(3, 1)
                br, bz, bn = b.chunk(3, 1)
                r = torch.sigmoid(ar + br)
                z = torch.sigmoid(az + bz)
                n = torch.tanh(an + r * bn)
                h = (1 - z) * n + z * h
            outs.append(h)
        return torch.stack(outs), c

    x = torch.randn(T, N, F, requires_grad=True)
    out, _ = run(x, True)
    G = torch.randn_like(out)
    loss = (out * G).sum()
    loss.backward()
    with torch.no_grad():
        eval_out, _ = run(x, False)
    case = {"name": f"{norm}_{kind.lower()}", "kind": kind, "normalization": norm, "maxSteps": max_steps,
            "steps": T, "batch": N, "inputSize": F, "hiddenSize": H,
            "x": seq(x), "output": seq(out), "G": seq(G), "loss": loss.item(), "gradX": seq(x.grad),
            "evalOutput": seq(eval_out),
            "parameters": {"l0." + n: mat(p) for n, p in params.items()},
            "grads": {"l0." + n: mat(p.grad) for n, p in params.items()}}
    if norm == "recurrentBatchNorm":
        case["runningMean"] = {"l0." + s: mat(running[s][0]) for s, _ in sites}
        case["runningVar"] = {"l0." + s: mat(running[s][1]) for s, _ in sites}
    return case


def profile_case(name, scale, T=30, N=4, F=3, H=16):
    cell = torch.nn.RNNCell(F, H)
    q, _ = torch.linalg.qr(torch.randn(H, H))
    with torch.no_grad():
        cell.weight_hh.copy_(scale * q)
    x = 0.5 * torch.randn(T, N, F)
    h = torch.zeros(N, H)
    hs = []
    for t in range(T):
        h = cell(x[t], h)
        h.retain_grad()
        hs.append(h)
    G = torch.randn(N, H)
    (hs[-1] * G).sum().backward()
    return {"name": name, "scale": scale, "steps": T, "batch": N, "inputSize": F, "hiddenSize": H,
            "x": seq(x), "G": mat(G),
            "parameters": {ours: mat(getattr(cell, tn)) for tn, ours in
                           [("weight_ih", "weightIh"), ("weight_hh", "weightHh"),
                            ("bias_ih", "biasIh"), ("bias_hh", "biasHh")]},
            "gradNorms": [hh.grad.norm().item() for hh in hs]}


def main():
    torch.manual_seed(20240611)
    T, N, F, H = 5, 3, 4, 5
    layers = [
        layer_case("rnn_tanh_2layers", torch.nn.RNN(F, H, num_layers=2, nonlinearity="tanh"), T, N, F, H, False),
        layer_case("rnn_relu_2layers", torch.nn.RNN(F, H, num_layers=2, nonlinearity="relu"), T, N, F, H, False),
        layer_case("lstm_2layers", torch.nn.LSTM(F, H, num_layers=2), T, N, F, H, True),
        layer_case("gru_2layers", torch.nn.GRU(F, H, num_layers=2), T, N, F, H, False),
    ]
    cells = [
        cell_case("rnncell_tanh", torch.nn.RNNCell(F, H, nonlinearity="tanh"), 4, N, F, H, False),
        cell_case("rnncell_relu", torch.nn.RNNCell(F, H, nonlinearity="relu"), 4, N, F, H, False),
        cell_case("lstmcell", torch.nn.LSTMCell(F, H), 4, N, F, H, True),
        cell_case("grucell", torch.nn.GRUCell(F, H), 4, N, F, H, False),
    ]
    normalized = [normalized_case(kind, norm) for norm in ["layerNorm", "recurrentBatchNorm"]
                  for kind in ["RNN", "LSTM", "GRU"]]
    profiles = [profile_case("vanishing", 0.5), profile_case("exploding", 3.0)]
    doc = {"generator": "layers/src/test/python/make_recurrent_fixtures.py",
           "torch": torch.__version__, "dtype": "float64",
           "layers": layers, "cells": cells, "normalized": normalized, "profiles": profiles}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=None)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
