#!/usr/bin/env bash
# Starts the notebooks' Java kernel N times and checks that it comes up every time:
#
#   notebooks/check-kernel-startup.sh [N] [KERNEL_NAME]      (defaults: 5, normgrad-java)
#
# A start counts only if the kernel answers the first kernel_info_request (the Notebook server asks only
# once, and waits 60 s when that request is dropped), answers a kernel_info_request on the control socket
# on that socket (the server's check of a browser's connection asks on shell and control at once), echoes
# on the heartbeat, and answers a shutdown_request on the control socket and ends: its shell, control and
# heartbeat loops all run and reply where they are asked.
# Prints "started K of N" and exits 1 unless K = N. Logs of failed starts: notebooks/target/kernel-startup/.
# STARTUP_TIMEOUT (seconds, default 30) bounds the wait for each start; a normal start takes ~2 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
n="${1:-5}"
kernel="${2:-normgrad-java}"
export STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"

# Debian's python3 and its jupyter_client (another python3 may come first on PATH).
exec /usr/bin/python3 - "$n" "$kernel" <<'PY'
import os
import sys
import time

import zmq
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager

n, kernel = int(sys.argv[1]), sys.argv[2]
timeout = float(os.environ["STARTUP_TIMEOUT"])


def heartbeat(km, deadline):
    """True if the heartbeat loop echoes a ping before the deadline."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.REQ)
    sock.linger = 0
    sock.connect("%s://%s:%d" % (km.transport, km.ip, km.hb_port))
    try:
        sock.send(b"ping")
        return sock.poll(max(1, int((deadline - time.monotonic()) * 1000))) != 0 and sock.recv() == b"ping"
    finally:
        sock.close()


def reply(get_msg, msg_ids, deadline):
    """The first reply to one of msg_ids from get_msg (a client's get_shell_msg), or None at the deadline."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            msg = get_msg(timeout=left)
        except Exception:  # queue.Empty
            return None
        if msg.get("parent_header", {}).get("msg_id") in msg_ids:
            return msg


def one_start(log):
    """Starts the kernel once; returns (which checks passed, seconds to the first kernel_info_reply)."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    km.start_kernel(stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    deadline = t0 + timeout
    ok = {"shell": False, "first request": False, "control": False, "heartbeat": False, "shutdown": False}
    ready, sent = None, []
    try:
        # Ask again every second, like jupyter_client's wait_for_ready, to tell a dropped request
        # (answered on a later try) from a dead shell loop (never answered).
        while ready is None and time.monotonic() < deadline and km.is_alive():
            sent.append(kc.kernel_info())
            msg = reply(kc.get_shell_msg, sent, min(deadline, time.monotonic() + 1))
            if msg is not None and msg["header"]["msg_type"] == "kernel_info_reply":
                ok["shell"] = True
                ok["first request"] = msg["parent_header"]["msg_id"] == sent[0]
                ready = time.monotonic() - t0
        end = max(deadline, time.monotonic() + 10)
        if ok["shell"]:
            # kernel_info on control, answered on control (3.0.1 answered every request on the shell socket)
            msg = kc.session.msg("kernel_info_request")
            kc.control_channel.send(msg)
            answer = reply(kc.get_control_msg, [msg["header"]["msg_id"]], end)
            ok["control"] = answer is not None and answer["header"]["msg_type"] == "kernel_info_reply"
        ok["heartbeat"] = km.is_alive() and heartbeat(km, max(deadline, time.monotonic() + 5))
        # A shutdown_request on control: its reply on control, then the process ends by itself.
        msg = kc.session.msg("shutdown_request", {"restart": False})
        kc.control_channel.send(msg)
        answer = reply(kc.get_control_msg, [msg["header"]["msg_id"]], max(deadline, time.monotonic() + 10))
        end = max(deadline, time.monotonic() + 10)
        while km.is_alive() and time.monotonic() < end:
            time.sleep(0.05)
        ok["shutdown"] = answer is not None and answer["header"]["msg_type"] == "shutdown_reply" and not km.is_alive()
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        km.cleanup_resources()
    return ok, ready


logs = os.path.join(os.getcwd(), "target", "kernel-startup")
os.makedirs(logs, exist_ok=True)
started, times = 0, []
failures = {"shell": 0, "first request": 0, "control": 0, "heartbeat": 0, "shutdown": 0}
for i in range(n):
    path = os.path.join(logs, "start-%d.log" % (i + 1))
    with open(path, "w") as log:
        ok, ready = one_start(log)
    if all(ok.values()):
        started += 1
        times.append(ready)
        os.remove(path)
    else:
        failed = [k for k, v in ok.items() if not v]
        for k in failed:
            failures[k] += 1
        what = ["the %s loop is silent" % k for k in failed if k in ("shell", "heartbeat")]
        if ok["shell"] and not ok["first request"]:
            what.append("the first kernel_info_request was dropped (a later one was answered)")
        if ok["shell"] and not ok["control"]:
            what.append("no kernel_info_reply on the control socket")
        if not ok["shutdown"]:
            what.append("no shutdown_reply on control, or the process did not end")
        print("start %d: %s (kernel log: %s)" % (i + 1, "; ".join(what), path), flush=True)

detail = ""
if times:
    times.sort()
    detail = "; kernel_info_reply after %.1f s (median), %.1f s (max)" % (times[len(times) // 2], times[-1])
if started < n:
    detail += "; failed: " + ", ".join("%s %d" % kv for kv in failures.items() if kv[1])
print("started %d of %d (kernel %s)%s" % (started, n, kernel, detail))
sys.exit(0 if started == n else 1)
PY
