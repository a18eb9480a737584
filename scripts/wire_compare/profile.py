#!/usr/bin/env python3
"""The per-call table of `scripts/wire_compare.sh profile`.

Usage: profile.py <dir> <N> <op>...

Reads what the script left in <dir>, for each op (`token`, `room`):
`<op>.wrk.*` (one wrk run), and `<op>.<probe>.<n>.*` for probe `ours` and
`sdk` and n = 1 and N calls: `.client` / `.server` (`perf stat -x,` of the
client and of the server during the run), `.out` (the client's output line),
`.strace` (`strace -c -f` of a second run, `.strace.out` its output) and
`.stacks` (`perf script -F ip,sym,dso` of a `perf record --call-graph
dwarf` run).

A probe's per-call figures are (run of N - run of 1) / (N - 1): start-up
and the connection's first call are left out. wrk's are its run's totals
over its requests (it starts in microseconds).

The client's CPU per call is split by where its `perf record` samples fell
(again N minus 1): each sample goes to the first frame, from the leaf up,
that belongs to one of the owners below (so `memcpy` called by hyper's
parser counts as hyper), or to the kernel syscall it is in.
"""

import collections
import re
import sys

# Leaf-side first match wins; a frame matches when its symbol starts with
# the prefix or names it as a type (`<hyper::...`).
USER_OWNERS = [
    ("client: sign (aws-sigv4)", ("aws_sigv4::", "awsrt::client::sign", "sha2::", "hmac::", "hex::")),
    ("client: serialize, validate, parse", ("ivschat::", "aws_sdk_ivschat::protocol_serde", "aws_sdk_ivschat::serde_util", "serde_json::", "aws_smithy_json::")),
    ("transport: our glue (hyper_transport.rs)", ("awsrt::client::hyper_transport", "awsrt::client::net")),
    ("transport: body collection (transport.rs)", ("awsrt::client::transport",)),
    ("hyper: connection task (h1 encode, parse, dispatch)", (
        "hyper::proto::", "hyper::client::dispatch", "hyper::body::", "httparse::",
        "hyper::common", "hyper::rt::", "hyper_util::rt::tokio", "want::", "hyper::client::conn")),
    ("hyper-util: legacy client and pool", ("hyper_util::client::legacy", "hyper_util::common", "hyper_rustls::")),
    ("aws-smithy-*: the SDK's orchestrator and glue (ours: types)", (
        "aws_smithy_runtime::", "aws_smithy_runtime_api::", "aws_runtime::", "aws_smithy_http_client::",
        "aws_smithy_http::", "aws_smithy_async::", "aws_smithy_observability::", "aws_sdk_ivschat::",
        "aws_types::", "aws_credential_types::", "aws_smithy_types::", "aws_smithy_schema::")),
    ("tokio: timers", ("tokio::time::", "tokio::runtime::time")),
    ("tokio: I/O driver", ("tokio::runtime::io", "tokio::io::", "tokio::net::", "mio::", "tokio::runtime::driver")),
    ("tokio: scheduler, tasks, wake-ups", ("tokio::runtime::", "tokio::task::", "tokio::sync::", "tokio::park")),
    ("client: orchestrator, endpoint, other", ("awsrt::", "wire_compare_ours::", "wire_compare_sdk::")),
]
# A kernel sample goes to the first of these found anywhere in its kernel
# frames (a blocking epoll_wait's context switch counts as epoll_wait).
KERNEL_OWNERS = [
    ("kernel: writev/write (TCP send, loopback, waking the peer)", ("do_writev", "tcp_sendmsg", "sock_write_iter", "ksys_write")),
    ("kernel: recvfrom/read", ("tcp_recvmsg", "__sys_recvfrom", "ksys_read", "sock_recvmsg")),
    ("kernel: epoll_wait (incl. blocking and switching back)", ("do_epoll_wait", "ep_poll", "__x64_sys_epoll_wait", "__x64_sys_epoll_pwait")),
    ("kernel: epoll_ctl", ("do_epoll_ctl",)),
    ("kernel: futex (cross-thread wake-ups)", ("do_futex", "futex_wait", "futex_wake")),
    ("kernel: other context switches", ("finish_task_switch", "__schedule")),
    ("kernel: page faults", ("asm_exc_page_fault", "handle_mm_fault")),
]
KERNEL_OTHER = "kernel: other (interrupts, timers, syscall entry)"


def stacks(path):
    """The samples of a perf script dump, each a list of (symbol, dso) from the leaf up."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return
    for block in text.split("\n\n"):
        frames = []
        for line in block.splitlines():
            m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
            if m:
                frames.append((m.group(1), m.group(2)))
        if frames:
            yield frames


def owner(frames):
    if "kernel" in frames[0][1]:
        kernel = [sym for sym, dso in frames if "kernel" in dso]
        for name, needles in KERNEL_OWNERS:
            if any(n in sym for sym in kernel for n in needles):
                return name
        return KERNEL_OTHER
    for sym, _ in frames:
        for name, prefixes in USER_OWNERS:
            if any(sym.startswith(p) or ("<" + p) in sym for p in prefixes):
                return name
    return "other (libc, std, unwinding cut short)"


def samples_by_owner(path):
    return collections.Counter(owner(f) for f in stacks(path))


def perf_stat(path):
    """{event: value} of a `perf stat -x,` output (task-clock in ms, times in ns)."""
    values = {}
    try:
        for line in open(path):
            fields = line.strip().split(",")
            if len(fields) > 2 and not line.startswith("#"):
                try:
                    values[fields[2]] = float(fields[0])
                except ValueError:
                    pass
    except OSError:
        pass
    return values


def syscalls(path):
    """{syscall: calls} of a `strace -c` summary."""
    counts = {}
    try:
        for line in open(path):
            fields = line.split()
            if len(fields) >= 5 and fields[0][0].isdigit() and fields[-1] != "total":
                counts[fields[-1]] = int(fields[3])
    except OSError:
        pass
    return counts


def probe_output(path):
    text = open(path).read()
    m = re.search(r"calls=(\d+) seconds=([0-9.]+)", text)
    if m:
        return int(m.group(1)), float(m.group(2))
    m = re.search(r"wrk_result requests=(\d+) errors=\d+ seconds=([0-9.]+)", text)
    return int(m.group(1)), float(m.group(2))


class Run:
    """Per-call figures of one client: totals over calls, or the difference of two runs."""

    def __init__(self, d, label, base=None):
        calls, seconds = probe_output(f"{d}/{label}.out")
        client, server = perf_stat(f"{d}/{label}.client"), perf_stat(f"{d}/{label}.server")
        sys_counts = syscalls(f"{d}/{label}.strace")
        strace_calls = calls
        try:
            strace_calls = probe_output(f"{d}/{label}.strace.out")[0]
        except (OSError, AttributeError):
            pass
        self.samples = samples_by_owner(f"{d}/{label}.stacks")
        self.wall = seconds * 1e6 / calls  # the probes time only their N calls
        self.client_ms = client.get("task-clock", 0.0)
        self.user_ms = client.get("user_time", 0.0) / 1e6
        self.sys_ms = client.get("system_time", 0.0) / 1e6
        self.server_ms = server.get("task-clock", 0.0)
        self.switches = client.get("context-switches", 0.0)
        self.sys_counts = sys_counts
        n = calls
        if base is not None:
            n = calls - base.calls
            self.client_ms -= base.client_ms
            self.user_ms -= base.user_ms
            self.sys_ms -= base.sys_ms
            self.server_ms -= base.server_ms
            self.switches -= base.switches
            self.sys_counts = {k: v - base.sys_counts.get(k, 0) for k, v in sys_counts.items()}
            self.samples = collections.Counter(
                {k: v - base.samples.get(k, 0) for k, v in self.samples.items()})
            strace_calls = n
        self.calls = calls
        self.per = {
            "wall": self.wall,
            "client": self.client_ms * 1e3 / n,
            "user": self.user_ms * 1e3 / n,
            "sys": self.sys_ms * 1e3 / n,
            "server": self.server_ms * 1e3 / n,
            "switches": self.switches / n,
        }
        self.per_syscalls = {k: v / strace_calls for k, v in self.sys_counts.items() if v / strace_calls >= 0.01}


def main():
    d, n_calls, ops = sys.argv[1], sys.argv[2], sys.argv[3:]
    for op in ops:
        name = "CreateChatToken" if op == "token" else "CreateRoom (3 tags)"
        runs = {"wrk": Run(d, f"{op}.wrk")}
        for probe in ("ours", "sdk"):
            base = Run(d, f"{op}.{probe}.1")
            runs[probe] = Run(d, f"{op}.{probe}.{n_calls}", base)
        who = ("wrk", "ours", "sdk")
        print(f"\n{name}: per call, microseconds (wrk: its run's totals / requests; "
              f"probes: (run of {n_calls} - run of 1) / {int(n_calls) - 1})")
        print(f"  {'':44}" + "".join(f"{w:>10}" for w in who))
        rows = [
            ("wall (mean latency)", "wall"),
            ("client CPU (perf stat task-clock)", "client"),
            ("  of it user", "user"),
            ("  of it kernel", "sys"),
            ("server CPU (its task-clock)", "server"),
        ]
        for label, key in rows:
            print(f"  {label:44}" + "".join(f"{runs[w].per[key]:10.1f}" for w in who))
        idle = [runs[w].per["wall"] - runs[w].per["client"] - runs[w].per["server"] for w in who]
        print(f"  {'neither runs (wake-ups, loopback)':44}" + "".join(f"{v:10.1f}" for v in idle))
        print(f"  {'client context switches':44}" + "".join(f"{runs[w].per['switches']:10.2f}" for w in who))
        names = sorted({k for w in who for k in runs[w].per_syscalls}, key=lambda k: -runs["ours"].per_syscalls.get(k, 0))
        for k in names:
            print(f"  {'syscalls: ' + k:44}" + "".join(f"{runs[w].per_syscalls.get(k, 0):10.2f}" for w in who))
        print(f"\n  {name}: the client's CPU by owner (share of perf samples x client CPU per call)")
        owners = sorted({k for p in ("ours", "sdk") for k in runs[p].samples},
                        key=lambda k: -max(runs["ours"].samples.get(k, 0), 0))
        print(f"  {'':62}{'ours':>10}{'sdk':>10}")
        totals = {p: max(sum(v for v in runs[p].samples.values() if v > 0), 1) for p in ("ours", "sdk")}
        for k in owners:
            cells = []
            for p in ("ours", "sdk"):
                share = max(runs[p].samples.get(k, 0), 0) / totals[p]
                cells.append(f"{share * runs[p].per['client']:10.1f}")
            print(f"  {k:62}" + "".join(cells))
        print(f"  {'(perf samples, N run minus 1-call run)':62}" + "".join(f"{totals[p]:10d}" for p in ("ours", "sdk")))


if __name__ == "__main__":
    main()
