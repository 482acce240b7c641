#!/usr/bin/env python3
"""Start-up and round-trip benchmark: ick against a raw jupyter_client loop, through a pty.

Both systems are driven the same way, as a user would: in a pseudo-terminal (40x120,
TERM=xterm-256color) opened with pexpect, with keys sent as typed text ending in ``\\r``.

Systems
  raw  A ~30-line line REPL embedded in this file and run with ``python -c``: a blocking
       jupyter_client ``KernelManager``/``BlockingKernelClient`` that waits for the kernel
       (``wait_for_ready``), prints ``>>> ``, reads a line, executes it, prints the iopub
       stream / execute_result / error text of that request until its ``idle`` status, waits
       for the shell reply and prints the prompt again.  It is the floor for any pty frontend.
  ick  ``ick --kernel python3`` (prompt ``In [n]: ``, result ``Out[n]: ...``; ick colours
       them, so the patterns tolerate escape sequences between the characters).

Workloads
  cold  Spawn -> first prompt visible, and spawn -> ``1+1`` typed at once at that prompt
        shows ``2``.  ``--reps`` timed starts per system (default 5), after ``--warmup``
        untimed ones (default 1); ick and raw starts alternate so that drift hits both.
        Each session is then left with Ctrl-D, and the time until the pty reaches EOF is
        reported too.
  rtt   One session per system: ``--rtt-warmup`` (10) then ``--n`` (100) executions of
        ``print(1)``, each timed from sending the line to the next prompt being visible;
        median and p95 in ms.  Executions whose ``1`` was not seen are counted.

Every wait has a timeout: a system that fails or hangs is reported with the tail of its
output instead of blocking the run.  Every process started (frontend and kernel) is
remembered by PID while it is still a child and killed if it outlives its session; a kernel
left behind after a clean Ctrl-D exit is reported.  History and IPython state go to a
temporary directory (XDG_DATA_HOME, IPYTHONDIR, JUPYTER_RUNTIME_DIR), removed at the end.

Run it from a checkout with the interpreter that has ick, ipykernel, pexpect and psutil::

    python benchmarks/startup_and_roundtrip.py [--reps N] [--n N] [--json out.json]

It prints a table (metric, raw, ick, ratio = ick/raw) on stdout and progress on stderr;
``--json FILE`` also writes every sample, the time, the git commit of the checkout and the
package versions, to compare commits.  The default run takes well under two minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pexpect
import psutil

ROWS, COLS = 40, 120
REPO = Path(__file__).resolve().parent.parent

# One terminal escape sequence: CSI, OSC, charset selection, or a two-byte ESC sequence.
_ESC = rb"(?:\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-~]|\x1b[=>78])"
ESC_RE = re.compile(_ESC)


def tolerant(text: str) -> re.Pattern[bytes]:
    """A pattern for ``text`` that allows escape sequences between any two characters."""
    gap = _ESC + b"*"
    return re.compile(gap.join(re.escape(ch.encode()) for ch in text))


def strip(data: bytes) -> str:
    return ESC_RE.sub(b"", data).decode("utf-8", "replace")


RAW_REPL = r"""
import subprocess, sys
from jupyter_client import KernelManager

km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    while True:
        sys.stdout.write(">>> ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        msg_id = kc.execute(line.rstrip("\n"))
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                sys.stdout.write(content["text"])
            elif kind == "execute_result":
                sys.stdout.write(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                sys.stdout.write("\n".join(content["traceback"]) + "\n")
            elif kind == "status" and content["execution_state"] == "idle":
                break
        while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
            pass
finally:
    kc.stop_channels()
    km.shutdown_kernel()
"""


@dataclass
class System:
    """A REPL to drive: its command line and what its prompts and first result look like."""

    name: str
    argv: list[str]
    prompt: Callable[[int], re.Pattern[bytes]]  # the n-th input prompt (n = 1, 2, ...)
    two: re.Pattern[bytes]  # ``1+1`` at the first prompt has shown 2


class BenchError(Exception):
    """A system failed or hung; the message says where and shows its last output."""


class Session:
    """One process on a pty, with every descendant remembered by PID."""

    def __init__(self, system: System, env: dict[str, str], step_timeout: float) -> None:
        self.system = system
        self.step_timeout = step_timeout
        self.t_spawn = time.monotonic()
        self.child = pexpect.spawn(
            system.argv[0], system.argv[1:], env=env, dimensions=(ROWS, COLS), maxread=65536
        )
        # pexpect sleeps 50 ms before every send() by default: that would dwarf a round trip.
        self.child.delaybeforesend = None
        self.child.delayafterread = None
        self.tree: dict[int, psutil.Process] = {}
        self.remember()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def remember(self) -> None:
        """Record the process tree now: a kernel is re-parented once its frontend is gone."""
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.child.pid)
            for proc in [root, *root.children(recursive=True)]:
                self.tree.setdefault(proc.pid, proc)

    def alive(self) -> list[psutil.Process]:
        procs = []
        for proc in self.tree.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    procs.append(proc)
        return procs

    def send(self, text: str) -> float:
        t = time.monotonic()
        self.child.send(text.encode())
        return t

    def expect(self, pattern: re.Pattern[bytes], what: str, timeout: float | None = None) -> float:
        """Wait for ``pattern``; return the time it was read.  Raise BenchError otherwise."""
        timeout = timeout or self.step_timeout
        try:
            self.child.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            raise BenchError(f"{what}: not seen within {timeout:g}s{self.tail()}") from None
        except pexpect.EOF:
            raise BenchError(f"{what}: the process exited first{self.tail()}") from None
        return time.monotonic()

    def tail(self, n: int = 300) -> str:
        # after a TIMEOUT or EOF, pexpect puts everything unmatched in ``before``
        data = self.child.before if isinstance(self.child.before, bytes) else b""
        return f"; last output: {strip(data)[-n:]!r}"

    def quit(self) -> tuple[float, list[str]]:
        """Ctrl-D at the prompt, wait for EOF.  Returns (seconds to EOF, processes left)."""
        self.remember()
        t0 = self.send("\x04")
        try:
            self.child.expect(pexpect.EOF, timeout=self.step_timeout)
        except pexpect.TIMEOUT:
            raise BenchError(
                f"Ctrl-D: no exit within {self.step_timeout:g}s{self.tail()}"
            ) from None
        t_eof = time.monotonic() - t0
        self.child.close()
        _, alive = psutil.wait_procs(self.alive(), timeout=3)
        left = []
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                left.append(f"{proc.pid} {' '.join(proc.cmdline())[:80]}")
        self.kill()
        return t_eof, left

    def kill(self) -> None:
        """Terminate, then kill, whatever is left of this session's process tree."""
        self.remember()
        procs = self.alive()
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        _, alive = psutil.wait_procs(procs, timeout=3)
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        with contextlib.suppress(Exception):
            self.child.close(force=True)


@dataclass
class Results:
    cold: list[dict[str, float]] = field(default_factory=list)
    rtt_ms: list[float] = field(default_factory=list)
    rtt_missing_output: int = 0
    left_behind: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        bindir = os.path.dirname(sys.executable)
        self.env = dict(os.environ)
        self.env.update(
            TERM="xterm-256color",
            PROMPT_TOOLKIT_NO_CPR="1",
            XDG_DATA_HOME=str(tmp / "data"),
            IPYTHONDIR=str(tmp / "ipython"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            # this interpreter's bin/ first: no version-manager shims on the way to ick/kernel
            PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
        )
        ick = args.ick or shutil.which("ick", path=self.env["PATH"])
        if not ick:
            sys.exit("error: no `ick` command found on PATH (pip install -e . ?)")
        self.systems = {
            "raw": System(
                "raw",
                [sys.executable, "-c", RAW_REPL, args.kernel],
                prompt=lambda n: re.compile(rb">>> "),
                two=re.compile(rb"\n2\r?\n"),
            ),
            "ick": System(
                "ick",
                [ick, "--kernel", args.kernel],
                prompt=lambda n: tolerant(f"In [{n}]: "),
                two=tolerant("Out[1]: 2"),
            ),
        }
        self.results = {name: Results() for name in self.systems}

    def log(self, *parts: object) -> None:
        print("[bench]", *parts, file=sys.stderr, flush=True)

    def session(self, system: System) -> Session:
        return Session(system, self.env, self.args.step_timeout)

    # -- workload 1: cold start --------------------------------------------------------------
    def cold_once(self, system: System) -> tuple[dict[str, float], list[str]]:
        with self.session(system) as s:
            t_prompt = s.expect(system.prompt(1), "first prompt", self.args.start_timeout)
            s.remember()
            s.send("1+1\r")
            t_two = s.expect(system.two, "1+1 typed at the first prompt showing 2")
            s.expect(system.prompt(2), "second prompt")
            exit_s, left = s.quit()
        sample = {"prompt_s": t_prompt - s.t_spawn, "two_s": t_two - s.t_spawn, "exit_s": exit_s}
        return sample, left

    def cold(self) -> None:
        a = self.args
        for i in range(a.warmup + a.reps):
            for system in self.systems.values():
                res = self.results[system.name]
                label = "warm-up" if i < a.warmup else f"rep {i - a.warmup + 1}/{a.reps}"
                try:
                    sample, left = self.cold_once(system)
                except BenchError as e:
                    res.errors.append(f"cold start ({label}): {e}")
                    self.log(system.name, "cold", label, "FAILED:", e)
                    continue
                if left:
                    res.left_behind += left
                    self.log(system.name, "cold", label, "left processes behind:", left)
                if i >= a.warmup:
                    res.cold.append(sample)
                self.log(system.name, "cold", label, {k: round(v, 3) for k, v in sample.items()})

    # -- workload 2: round trip ------------------------------------------------------------
    def rtt(self, system: System) -> None:
        a = self.args
        res = self.results[system.name]
        output = re.compile(r"(?m)^1\r?$")
        try:
            with self.session(system) as s:
                s.expect(system.prompt(1), "first prompt", a.start_timeout)
                s.remember()
                for i in range(a.rtt_warmup + a.n):
                    t0 = s.send("print(1)\r")
                    t1 = s.expect(system.prompt(i + 2), f"prompt after execution {i + 1}")
                    if i >= a.rtt_warmup:
                        res.rtt_ms.append((t1 - t0) * 1e3)
                        res.rtt_missing_output += not output.search(strip(s.child.before))
                _, left = s.quit()
                res.left_behind += left
        except BenchError as e:
            res.errors.append(f"rtt: {e}")
            self.log(system.name, "rtt FAILED:", e)
            return
        median_ms = statistics.median(res.rtt_ms) if res.rtt_ms else float("nan")
        self.log(system.name, "rtt", f"{len(res.rtt_ms)} executions, median {median_ms:.1f} ms")


def quantile(values: list[float], q: float) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summary(res: Results) -> dict[str, Any]:
    return {
        "cold_prompt_s": median([c["prompt_s"] for c in res.cold]),
        "cold_two_s": median([c["two_s"] for c in res.cold]),
        "exit_s": median([c["exit_s"] for c in res.cold]),
        "rtt_median_ms": median(res.rtt_ms),
        "rtt_p95_ms": quantile(res.rtt_ms, 0.95),
    }


TABLE = [
    ("cold: spawn -> first prompt (s)", "cold_prompt_s", "{:.3f}"),
    ("cold: spawn -> 1+1 shows 2 (s)", "cold_two_s", "{:.3f}"),
    ("exit: Ctrl-D -> EOF (s)", "exit_s", "{:.3f}"),
    ("rtt median (ms)", "rtt_median_ms", "{:.1f}"),
    ("rtt p95 (ms)", "rtt_p95_ms", "{:.1f}"),
]


def table(summaries: dict[str, dict[str, Any]]) -> str:
    raw, ick = summaries["raw"], summaries["ick"]
    rows = [("metric", "raw", "ick", "ratio (ick/raw)")]
    for label, key, fmt in TABLE:
        r, i = raw.get(key), ick.get(key)
        ratio = f"x{i / r:.2f}" if r and i is not None else "-"
        rows.append(
            (label, "-" if r is None else fmt.format(r), "-" if i is None else fmt.format(i), ratio)
        )
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = [
        "  ".join(
            cell.ljust(w) if c == 0 else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for dist in ("ick-repl", "ipykernel", "jupyter_client", "pyzmq", "prompt_toolkit", "pexpect"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--reps", type=int, default=5, help="timed cold starts per system (5)")
    p.add_argument("--warmup", type=int, default=1, help="untimed cold starts first (1)")
    p.add_argument("--n", type=int, default=100, help="timed executions in the rtt session (100)")
    p.add_argument("--rtt-warmup", type=int, default=10, help="untimed executions first (10)")
    p.add_argument("--kernel", default="python3", help="kernelspec for both systems (python3)")
    p.add_argument("--ick", metavar="PATH", help="ick executable (default: `ick` on PATH)")
    p.add_argument("--start-timeout", type=float, default=60, help="s to the first prompt (60)")
    p.add_argument("--step-timeout", type=float, default=15, help="s for any other step (15)")
    p.add_argument("--json", metavar="FILE", help="also write all results and samples there")
    args = p.parse_args(argv)
    if args.reps < 1 or args.n < 1 or args.warmup < 0 or args.rtt_warmup < 0:
        p.error("--reps and --n must be >= 1, the warm-ups >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="ick-bench."))
    try:
        bench = Bench(args, tmp)
        bench.log(f"cold starts: {args.warmup} warm-up + {args.reps} timed per system")
        bench.cold()
        for system in bench.systems.values():
            bench.log(f"round trips: {system.name}, {args.rtt_warmup} warm-up + {args.n} timed")
            bench.rtt(system)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    wall = time.monotonic() - t0
    summaries = {name: summary(res) for name, res in bench.results.items()}

    print(table(summaries))
    notes = []
    for name, res in bench.results.items():
        notes += [f"{name}: {e}" for e in res.errors]
        if res.rtt_missing_output:
            notes.append(f"{name}: print(1) output not seen in {res.rtt_missing_output} rtt runs")
        notes += [f"{name}: left running after Ctrl-D (killed): {p}" for p in res.left_behind]
    if notes:
        print("\nproblems:\n" + "\n".join(f"- {n}" for n in notes))
    print(f"\n(wall {wall:.0f}s; cold: median of {args.reps}; rtt: {args.n} executions)")

    if args.json:
        doc = {
            "timestamp": started.isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "versions": versions(),
            "config": vars(args),
            "wall_s": wall,
            "summary": summaries,
            "ratio_ick_over_raw": {
                key: (i / r if r and i is not None else None)
                for key in summaries["raw"]
                for r, i in [(summaries["raw"][key], summaries["ick"][key])]
            },
            "samples": {
                name: {
                    "cold": res.cold,
                    "rtt_ms": res.rtt_ms,
                    "rtt_missing_output": res.rtt_missing_output,
                    "left_behind": res.left_behind,
                    "errors": res.errors,
                }
                for name, res in bench.results.items()
            },
        }
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    failed = any(not res.cold or not res.rtt_ms for res in bench.results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
