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
    profiles = [profile_case("vanishing", 0.5), profile_case("exploding", 3.0)]
    doc = {"generator": "layers/src/test/python/make_recurrent_fixtures.py",
           "torch": torch.__version__, "dtype": "float64",
           "layers": layers, "cells": cells, "profiles": profiles}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=None)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
