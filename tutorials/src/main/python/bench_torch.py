#!/usr/bin/python3
"""The reference workloads in PyTorch, printed as the same JSON lines as `./normgrad bench`.

Run (Debian's python3 with python3-torch; nothing else to install):

    /usr/bin/python3 tutorials/src/main/python/bench_torch.py > torch.jsonl
    ./normgrad bench > normgrad.jsonl
    /usr/bin/python3 tutorials/src/main/python/bench_torch.py --compare normgrad.jsonl torch.jsonl

The last command prints, per workload, NormGrad's time, PyTorch's and their ratio (the issue's
targets are ratios). Run the two benchmarks one after the other on an otherwise idle machine.

On a machine shared with other jobs, wall-clock times follow the share of the cores each run got;
compare CPU times instead, one thread on both sides:

    OPENBLAS_NUM_THREADS=1 ./normgrad bench cpu > normgrad-cpu.jsonl
    /usr/bin/python3 tutorials/src/main/python/bench_torch.py --cpu-time > torch-cpu.jsonl
    /usr/bin/python3 tutorials/src/main/python/bench_torch.py --compare normgrad-cpu.jsonl torch-cpu.jsonl

Settings, as in the issue: float64, torch.set_num_threads(2) (--threads to change), and
OMP_WAIT_POLICY=PASSIVE, set here before torch is imported: with the default, idle OpenMP threads
spin against OpenBLAS's threads on a 2-core machine and PyTorch runs 2-4x slower and noisily. A
value already in the environment is kept. PyTorch's BLAS is the system's libblas.so.3 (Debian:
update-alternatives; `apt install libopenblas0-pthread` for OpenBLAS); the "blas" field names the
library the process mapped.

Workloads (../shared/DESIGN.md "Reference workloads"; GEMM shapes as in GemmShape.java):
  GEMM-m x k x n-OP  c = op(a)·op(b), op(a) m×k, op(b) k×n, NT = a·bᵀ, TN = aᵀ·b; torch.mm(..., out=c)
  W1  784 → Linear 256 → BatchNorm1d → ReLU → Linear 256 → BatchNorm1d → ReLU → Linear 10,
      cross-entropy, batch 128, one SGD step (lr 0.01): zero_grad, forward, backward, step
  W2  RNNCell(32, 128, tanh) unrolled 50 steps, batch 32, LayerNorm(128) on the hidden state each
      step, MSE on the last hidden state; zero grads, forward and backward
  W3  gradcheck of LayerNorm(8) → Linear(8, 8) on a 4×8 input, checking the input and every
      parameter (eps 1e-6, atol 1e-5, rtol 1e-3): W3-full per entry, W3-fast fast_mode=True
  W4  the course's small CNN on 8×8 images (1 channel): (Conv2d 3×3 padding 1 → BatchNorm2d → ReLU →
      MaxPool2d 2) with 8 then 16 channels, Flatten, Linear 64 → 10, cross-entropy, batch 64, one SGD
      step (lr 0.01): zero_grad, forward, backward, step
Each time is the median over 7 timed rounds (~0.15 s each) of the mean time per call, after a
0.5 s warm-up per workload (and 1 s of products at the start).
Output keys: workload, engine_ms (PyTorch's time), raw_ms and overhead (null: no hand-written
baseline on this side), blas, plus engine, threads, and gflops for a GEMM.
"""
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
if "--cpu-time" in sys.argv:
    # One thread everywhere, so that the process's CPU time is the work of the one computing thread.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

GEMM_SHAPES = [
    "128x784x256-NN", "128x784x256-NT", "256x128x784-TN", "128x256x256-NN",
    "32x128x128-NT", "32x128x128-NN", "128x32x128-TN",
    "16x72x1024-NN", "16x1024x72-NT", "72x16x1024-TN",
]


def blas_library():
    """The BLAS this process mapped, named like NetlibGemm.library(): openblas, mkl, blis, reference..."""
    paths = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if "/" in line else ""
                name = os.path.basename(path).lower()
                if ("blas" in name and ".so" in name) or name.startswith("libmkl"):
                    paths.add(path.lower())
    except OSError:
        return "unknown"
    for known in ("openblas", "mkl", "blis", "atlas"):
        if any(known in p for p in paths):
            return known
    if any("/blas/libblas.so" in p for p in paths):
        return "reference"
    return os.path.basename(sorted(paths)[0]) if paths else "unknown"


CLOCK = time.perf_counter  # --cpu-time: time.process_time


def time_ms(fn, warmup_s=0.5, round_s=0.15, rounds=7):
    """Median over `rounds` timed rounds of the mean milliseconds per call of fn(), on CLOCK."""
    end = time.perf_counter() + warmup_s
    calls = 0
    while time.perf_counter() < end:
        fn()
        calls += 1
    per_round = max(1, int(calls * round_s / warmup_s))
    times = []
    for _ in range(rounds):
        start = CLOCK()
        for _ in range(per_round):
            fn()
        times.append((CLOCK() - start) * 1000 / per_round)
    return statistics.median(times)


def parse_shape(text):
    dims, op = text.split("-")
    m, k, n = (int(v) for v in dims.split("x"))
    return m, k, n, op[0] == "T", op[1] == "T"


def gemm(shape, gen):
    m, k, n, trans_a, trans_b = parse_shape(shape)
    a = torch.randn((k, m) if trans_a else (m, k), generator=gen)
    b = torch.randn((n, k) if trans_b else (k, n), generator=gen)
    a_op = a.t() if trans_a else a
    b_op = b.t() if trans_b else b
    c = torch.empty(m, n)
    return lambda: torch.mm(a_op, b_op, out=c), 2.0 * m * k * n


def w1(gen):
    model = nn.Sequential(
        nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(128, 784, generator=gen)
    y = torch.randint(0, 10, (128,), generator=gen)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def w2(gen):
    cell = nn.RNNCell(32, 128, nonlinearity="tanh")
    norm = nn.LayerNorm(128)
    params = list(cell.parameters()) + list(norm.parameters())
    xs = [torch.randn(32, 32, generator=gen) for _ in range(50)]
    h0 = torch.zeros(32, 128)
    target = torch.randn(32, 128, generator=gen)

    def step():
        for p in params:
            p.grad = None
        h = h0
        for x in xs:
            h = norm(cell(x, h))
        F.mse_loss(h, target).backward()
    return step


def w4(gen, batch_norm=True):
    """The course's small CNN on 8x8 digits (Nets.digitsCnn): (conv 3x3 pad 1 -> BatchNorm2d -> ReLU -> max pool 2) x 2,
    8 then 16 channels, flatten, Linear 64 -> 10; cross-entropy, batch 64, one SGD step (lr 0.01)."""
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, 1, 1), nn.BatchNorm2d(c_out) if batch_norm else nn.Identity(), nn.ReLU(),
                nn.MaxPool2d(2)]
    model = nn.Sequential(*block(1, 8), *block(8, 16), nn.Flatten(), nn.Linear(64, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(64, 1, 8, 8, generator=gen)
    y = torch.randint(0, 10, (64,), generator=gen)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def w3(gen, fast):
    x = torch.randn(4, 8, generator=gen).requires_grad_()
    gamma = torch.ones(8).requires_grad_()
    beta = torch.zeros(8).requires_grad_()
    weight = (torch.rand(8, 8, generator=gen) * 2 - 1).div_(8 ** 0.5).requires_grad_()
    bias = (torch.rand(8, generator=gen) * 2 - 1).div_(8 ** 0.5).requires_grad_()

    def model(x, gamma, beta, weight, bias):
        return F.linear(F.layer_norm(x, (8,), gamma, beta, 1e-5), weight, bias)

    inputs = (x, gamma, beta, weight, bias)
    return lambda: torch.autograd.gradcheck(model, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, fast_mode=fast)


def significant(v, digits=4):
    """v rounded to four significant digits, as BenchMain.round does."""
    return float(f"{v:.{digits - 1}e}")


def line(workload, ms, blas, threads, flops=None):
    out = {"workload": workload, "engine_ms": significant(ms), "raw_ms": None, "overhead": None,
           "blas": blas, "engine": "pytorch " + torch.__version__, "threads": threads}
    if flops is not None:
        out["gflops"] = significant(flops / ms / 1e6)
    if CLOCK is time.process_time:
        out["timing"] = "process-cpu"
    return json.dumps(out, separators=(",", ":"))


def compare(normgrad_file, torch_file):
    """Prints NormGrad ÷ PyTorch per workload (GEMM: the auto path)."""
    def load(path):
        rows = {}
        with open(path) as f:
            for text in f:
                text = text.strip()
                if text.startswith("{"):
                    row = json.loads(text)
                    if row.get("path", "auto") == "auto":
                        rows[row["workload"]] = row
        return rows
    ours, theirs = load(normgrad_file), load(torch_file)

    def cell(v, width, digits=3):
        return f"{v:{width}.{digits}f}" if v is not None else f"{'-':>{width}}"
    print(f"{'workload':22} {'normgrad ms':>12} {'raw ms':>10} {'pytorch ms':>11} {'normgrad/pytorch':>17} {'raw/pytorch':>12}")
    for workload, t in theirs.items():
        o = ours.get(workload, {})
        engine, raw, torch_ms = o.get("engine_ms"), o.get("raw_ms"), t["engine_ms"]
        print(f"{workload:22} {cell(engine, 12)} {cell(raw, 10)} {cell(torch_ms, 11)} "
              f"{cell(engine / torch_ms if engine else None, 17, 2)} {cell(raw / torch_ms if raw else None, 12, 2)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cpu-time", action="store_true",
                        help="one thread, timed by process CPU time (for a busy machine; compare with "
                             "OPENBLAS_NUM_THREADS=1 ./normgrad bench cpu); adds \"timing\":\"process-cpu\"")
    parser.add_argument("--only", choices=["gemm", "w1", "w2", "w3", "w4"], help="one group of workloads")
    parser.add_argument("--compare", nargs=2, metavar=("NORMGRAD_JSONL", "TORCH_JSONL"),
                        help="print the ratios of two earlier runs instead of measuring")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    global CLOCK
    if args.cpu_time:
        args.threads = 1
        CLOCK = time.process_time
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS before it is named
    warm, _ = gemm(GEMM_SHAPES[0], gen)  # one second of products: thread pools up, clocks settled
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        warm()
    blas = "torch:" + blas_library()
    print(f"bench_torch: PyTorch {torch.__version__}, {args.threads} threads, float64, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, BLAS {blas}", file=sys.stderr)
    if args.only in (None, "gemm"):
        for shape in GEMM_SHAPES:
            fn, flops = gemm(shape, gen)
            print(line("GEMM-" + shape, time_ms(fn), blas, args.threads, flops), flush=True)
    if args.only in (None, "w1"):
        print(line("W1", time_ms(w1(gen)), blas, args.threads), flush=True)
    if args.only in (None, "w2"):
        print(line("W2", time_ms(w2(gen)), blas, args.threads), flush=True)
    if args.only in (None, "w3"):
        print(line("W3-full", time_ms(w3(gen, False)), blas, args.threads), flush=True)
        print(line("W3-fast", time_ms(w3(gen, True)), blas, args.threads), flush=True)
    if args.only in (None, "w4"):
        print(line("W4", time_ms(w4(gen)), blas, args.threads), flush=True)


if __name__ == "__main__":
    main()
