#!/usr/bin/python3
"""The reference workloads in PyTorch, printed as the same JSON lines as `./normgrad bench`.

Run (Debian's python3 with python3-torch; nothing else to install), on an otherwise idle machine,
NormGrad's launches and PyTorch's taking turns (a virtual machine's speed drifts by tens of percent
over minutes, and a series that ran first against one that ran later would compare the drift):

    for k in 1 2 3 4 5 6 7 8 9 10; do
      ./normgrad bench w1 w2 w3 w4 --launches 1 >> normgrad.jsonl
      /usr/bin/python3 tutorials/src/main/python/bench_torch.py --launches 1 >> torch.jsonl
    done
    /usr/bin/python3 tutorials/src/main/python/bench_torch.py --compare normgrad.jsonl torch.jsonl

--launches N times every workload in N fresh Python processes at every thread setting from 1 to the
number of cores, and reports per workload min, median and max over the launches of the fastest
setting (the lowest median): the comparison that counts is against PyTorch at its best. --compare
pools every launch line in each file (runs appended one after another count as one series) and
prints the README's performance table from the two files: NormGrad's min / median / max, engine ÷ raw,
NormGrad ÷ PyTorch in the median and in NormGrad's worst launch, and each target met or missed.
Without --launches, one process times everything once (GEMM shapes included) at --threads.

On a machine shared with other jobs, wall-clock times follow the share of the cores each run got;
the NormGrad lines also carry thread CPU times (engine_cpu_ms, raw_cpu_ms), and --cpu-time times
PyTorch by process CPU time with one thread; --compare then compares CPU times
(OPENBLAS_NUM_THREADS=1 on the NormGrad side, so that its CPU times hold all of its work).

Settings: float64; OMP_WAIT_POLICY=PASSIVE, set here before torch is imported: with the default,
idle OpenMP threads spin against OpenBLAS's threads on a 2-core machine and PyTorch runs 2-4x slower
and noisily. A value already in the environment is kept. PyTorch's BLAS is the system's
libblas.so.3 (Debian: update-alternatives; `apt install libopenblas0-pthread` for OpenBLAS); the
"blas" field names the library the process mapped, and for OpenBLAS the kernels it runs.

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
baseline on this side), blas, plus engine, threads, and gflops for a GEMM; with --launches, also
launch (per launch) and, in one summary line per workload, launches and {min, median, max} values.
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
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

GEMM_SHAPES = [
    "128x784x256-NN", "128x784x256-NT", "128x256x256-NT", "128x256x10-NT", "128x10x256-NN", "10x128x256-TN",
    "128x256x256-NN", "256x128x256-TN", "256x128x784-TN",
    "32x32x128-NT", "32x128x128-NT", "32x128x128-NN", "128x32x128-TN", "128x32x32-TN",
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
                    paths.add(path)
    except OSError:
        return "unknown"
    lower = {p.lower(): p for p in paths}
    for known in ("openblas", "mkl", "blis", "atlas"):
        if any(known in p for p in lower):
            return known + openblas_core(sorted(lower[p] for p in lower if "openblas" in p)) if known == "openblas" else known
    if any("/blas/libblas.so" in p for p in lower):
        return "reference"
    return os.path.basename(sorted(paths)[0]) if paths else "unknown"


def openblas_core(paths):
    """"(Haswell)", "(SkylakeX)"...: the kernels the loaded OpenBLAS runs, as it names them; "" if it cannot say."""
    import ctypes
    for path in paths:
        try:
            name = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        name.restype = ctypes.c_char_p
        return "(" + name().decode() + ")"
    return ""


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


# The workloads --only and --launches select, each a list of (name, builder); a new workload is one more entry.
WORKLOADS = {
    "w1": [("W1", w1)],
    "w2": [("W2", w2)],
    "w3": [("W3-full", lambda gen: w3(gen, False)), ("W3-fast", lambda gen: w3(gen, True))],
    "w4": [("W4", w4)],
}

# The project's targets, per workload: (measure, which launch, bound). "overhead" is NormGrad's engine ÷ its
# hand-written step; "vs_pytorch" NormGrad ÷ PyTorch at its best thread setting (PyTorch's median in both
# cases: "worst" takes NormGrad's slowest launch).
TARGETS = {
    "W1": [("overhead", "median", 1.10), ("vs_pytorch", "median", 1.0)],
    "W2": [("overhead", "worst", 1.15), ("vs_pytorch", "worst", 0.6), ("vs_pytorch", "median", 0.5)],
    "W3-full": [("vs_pytorch", "median", 1.0)],
    "W3-fast": [("vs_pytorch", "median", 1.0)],
    "W4": [("vs_pytorch", "median", 1.0)],
}
# The auto GEMM path, at every shape the workloads use: within this factor of the fastest path.
GEMM_AUTO_TARGET = 1.10


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


def cpu_model():
    """The CPU's model name (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for text in f:
                if text.startswith("model name"):
                    return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def spread(values):
    """min, median and max, rounded as the bench prints times."""
    return {"min": significant(min(values)), "median": significant(statistics.median(values)),
            "max": significant(max(values))}


def launches(n, selection, thread_settings, extra=()):
    """Times every selected workload in n fresh processes per thread setting; prints each launch's line,
    then one summary line per workload for its best thread setting (the lowest median). extra: more
    arguments for every launch (--cpu-time)."""
    rows = {}  # workload -> its launch lines
    for k in range(1, n + 1):
        for threads in thread_settings:
            for only in selection:
                command = [sys.executable, os.path.abspath(__file__), "--threads", str(threads), "--only", only, *extra]
                done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
                if done.returncode != 0:
                    sys.exit(f"bench_torch: launch {k} of {only} with {threads} threads failed (status {done.returncode})")
                for text in done.stdout.splitlines():
                    if not text.startswith("{"):
                        continue
                    row = json.loads(text)
                    row["launch"] = k
                    print(json.dumps(row, separators=(",", ":")), flush=True)
                    rows.setdefault(row["workload"], []).append(row)
                    print(f"bench_torch: {row['workload']} launch {k}/{n}, {threads} threads: {row['engine_ms']} ms",
                          file=sys.stderr)
    for workload, launch_rows in rows.items():
        summary = pooled(launch_rows)
        print(json.dumps(summary, separators=(",", ":")), flush=True)
        print(f"{workload} over {summary['launches']} launches: fastest with {summary['threads']} threads, "
              + ", ".join(f"{t} threads {v['min']}/{v['median']}/{v['max']} ms" for t, v in summary["by_threads"].items())
              + " (min/median/max)", file=sys.stderr)


def load(path):
    """The lines of a bench output file: {workload: line}, one summary per workload, GEMM lines as
    {workload/path: line}. Where the file holds the per-launch lines of a workload (the "launch" key),
    its summary is pooled from all of them, so that several runs appended to one file (NormGrad's and
    PyTorch's launches taking turns, see pooled) count as one series."""
    rows, summaries, launched = {}, {}, {}
    with open(path) as f:
        for text in f:
            text = text.strip()
            if not text.startswith("{"):
                continue
            row = json.loads(text)
            if "launches" in row:
                summaries[row["workload"]] = row
            elif "launch" in row:
                launched.setdefault(row["workload"], []).append(row)
            else:
                key = row["workload"] + ("/" + row["path"] if "path" in row else "")
                rows[key] = row
    for workload, launch_rows in launched.items():
        summaries[workload] = {**summaries.get(workload, {}), **pooled(launch_rows)}   # a summary's Java, JVM options
    return rows, summaries


# The timings a summary gives as {min, median, max}.
TIMINGS = ("engine_ms", "raw_ms", "overhead", "engine_cpu_ms", "raw_cpu_ms", "overhead_cpu", "alloc_mb", "page_faults",
           "gc_ms")


def pooled(launch_rows):
    """One workload's summary from its per-launch lines: min, median and max of every timing over the
    launches, at the thread setting with the lowest median (PyTorch's lines name their threads;
    NormGrad's have one setting)."""
    by_threads = {}
    for row in launch_rows:
        by_threads.setdefault(row.get("threads"), []).append(row)
    best = min(by_threads, key=lambda t: statistics.median(r["engine_ms"] for r in by_threads[t]))
    chosen = by_threads[best]
    summary = {k: v for k, v in chosen[-1].items() if k != "launch"}
    summary["launches"] = len(chosen)
    for key in TIMINGS:
        values = [r[key] for r in chosen if isinstance(r.get(key), (int, float))]
        if values:
            summary[key] = spread(values)
    if best is not None:
        summary["by_threads"] = {str(t): spread([r["engine_ms"] for r in rs]) for t, rs in sorted(by_threads.items())}
    return summary


def value(row, key, which):
    """A summary's {min, median, max} entry, or a single line's value; None when absent."""
    v = row.get(key) if row else None
    if isinstance(v, dict):
        return v[which]
    return v


def compare(normgrad_file, torch_file):
    """Prints the comparison as a Markdown table (the README's), then the GEMM path check."""
    ours_rows, ours = load(normgrad_file)
    theirs_rows, theirs = load(torch_file)
    cpu = any(r.get("timing") == "process-cpu" for r in list(theirs_rows.values()) + list(theirs.values()))
    engine_key, raw_key = ("engine_cpu_ms", "raw_cpu_ms") if cpu else ("engine_ms", "raw_ms")

    def fmt(v, digits=3):
        return "–" if v is None else f"{v:.{digits}g}" if v >= 1000 else f"{v:.{digits}f}".rstrip("0").rstrip(".")

    some = next(iter(ours.values()), None) or next(iter(ours_rows.values()), {})
    torch_some = next(iter(theirs.values()), None) or next(iter(theirs_rows.values()), {})
    n_ours = some.get("launches", 1)
    n_theirs = torch_some.get("launches", 1)
    print(f"NormGrad: Java {some.get('java', '?')}, {some.get('blas', '?')}, JVM options: "
          f"{some.get('jvm_args') or 'none'}; {n_ours} launches. PyTorch: {torch_some.get('engine', '?')}, "
          f"{torch_some.get('blas', '?')}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}; {n_theirs} launches per "
          f"thread setting. {cpu_model()}, {os.cpu_count()} cores. "
          + ("Times: CPU time of the computing thread(s)." if cpu else "Times: wall clock."))
    print()
    print("| workload | NormGrad ms, min / median / max | hand-written ms, median | engine ÷ raw, median / worst "
          "| PyTorch ms, median (threads) | NormGrad ÷ PyTorch, median / worst | targets |")
    print("|---|---|---|---|---|---|---|")
    for workload in list(theirs) or list(theirs_rows):
        o = ours.get(workload) or ours_rows.get(workload)
        t = theirs.get(workload) or theirs_rows.get(workload)
        if o is None or t is None:
            continue
        torch_ms = value(t, "engine_ms", "median")
        e_min, e_med, e_max = (value(o, engine_key, w) for w in ("min", "median", "max"))
        raw_med = value(o, raw_key, "median")
        overhead_key = "overhead_cpu" if cpu and value(o, "overhead_cpu", "median") is not None else "overhead"
        ovh_med, ovh_max = value(o, overhead_key, "median"), value(o, overhead_key, "max")
        measured = {("overhead", "median"): ovh_med, ("overhead", "worst"): ovh_max,
                    ("vs_pytorch", "median"): e_med / torch_ms if e_med else None,
                    ("vs_pytorch", "worst"): e_max / torch_ms if e_max else None}
        verdicts = []
        for measure, which, bound in TARGETS.get(workload, []):
            got = measured[(measure, which)]
            name = "engine ÷ raw" if measure == "overhead" else "÷ PyTorch"
            verdicts.append(f"{name} {which} ≤ {bound:.2f}: " + ("–" if got is None else "met" if got <= bound else "missed"))
        spread_text = fmt(e_med) if e_min == e_max else f"{fmt(e_min)} / {fmt(e_med)} / {fmt(e_max)}"
        print(f"| {workload} | {spread_text} | {fmt(raw_med)} | {fmt(ovh_med, 2)} / {fmt(ovh_max, 2)} | "
              f"{fmt(torch_ms)} ({t.get('threads', '?')}) | {fmt(measured[('vs_pytorch', 'median')], 2)} / "
              f"{fmt(measured[('vs_pytorch', 'worst')], 2)} | {'; '.join(verdicts) or '–'} |")
    gemm = sorted({k.split("/")[0] for k in ours_rows if k.startswith("GEMM-") and "/" in k})
    if gemm:
        print()
        # auto's choice is judged by the path it runs at the shape ("runs"): where that is the fastest path,
        # auto makes the very call the fastest trial timed, and two trials of one call differ only by noise.
        print("| GEMM | auto ms (the path it runs) | fastest path, ms | auto's path ÷ fastest | PyTorch ms |")
        print("|---|---|---|---|---|")
        for shape in gemm:
            paths = {k.split("/")[1]: r["engine_ms"] for k, r in ours_rows.items() if k.startswith(shape + "/")}
            fastest = min((p for p in paths if p != "auto"), key=paths.get, default="auto")
            runs = ours_rows.get(shape + "/auto", {}).get("runs")
            chosen = runs if runs in paths else "auto"
            ratio = paths[chosen] / paths[fastest] if "auto" in paths else None
            t = theirs_rows.get(shape)
            print(f"| {shape[5:]} | {fmt(paths.get('auto'))} ({runs or '?'}) | {fastest} {fmt(paths[fastest])} | "
                  f"{fmt(ratio, 2)} ({'met' if ratio is not None and ratio <= GEMM_AUTO_TARGET else 'missed'}) | "
                  f"{fmt(t['engine_ms']) if t else '–'} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads (default: 2 for one run; --launches tries 1 to the number of cores)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="one thread, timed by process CPU time (for a busy machine; compare with "
                             "OPENBLAS_NUM_THREADS=1 ./normgrad bench cpu); adds \"timing\":\"process-cpu\"")
    parser.add_argument("--only", choices=["gemm"] + list(WORKLOADS), help="one group of workloads")
    parser.add_argument("--launches", type=int, metavar="N",
                        help="time each workload in N fresh processes per thread setting; report min/median/max "
                             "of the fastest setting")
    parser.add_argument("--compare", nargs=2, metavar=("NORMGRAD_JSONL", "TORCH_JSONL"),
                        help="print the comparison table of two earlier runs instead of measuring")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if args.launches is not None:
        if args.launches < 1:
            parser.error("--launches takes a number of launches >= 1")
        if args.only == "gemm":
            parser.error("--launches times the workloads (" + ", ".join(WORKLOADS) + "), not gemm")
        settings = [1] if args.cpu_time else [args.threads] if args.threads else list(range(1, (os.cpu_count() or 1) + 1))
        launches(args.launches, [args.only] if args.only else list(WORKLOADS), settings,
                 ["--cpu-time"] if args.cpu_time else [])
        return
    global CLOCK
    threads = args.threads or 2
    if args.cpu_time:
        threads = 1
        CLOCK = time.process_time
    torch.set_num_threads(threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS before it is named
    warm, _ = gemm(GEMM_SHAPES[0], gen)  # one second of products: thread pools up, clocks settled
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        warm()
    blas = "torch:" + blas_library()
    print(f"bench_torch: PyTorch {torch.__version__}, {threads} threads, float64, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, BLAS {blas}", file=sys.stderr)
    if args.only in (None, "gemm"):
        for shape in GEMM_SHAPES:
            fn, flops = gemm(shape, gen)
            print(line("GEMM-" + shape, time_ms(fn), blas, threads, flops), flush=True)
    for selection, workloads in WORKLOADS.items():
        if args.only in (None, selection):
            for name, build in workloads:
                print(line(name, time_ms(build(gen)), blas, threads), flush=True)
    "16x72x1024-NN", "16x1024x72-NT", "72x16x1024-TN",


if __name__ == "__main__":
    main()
