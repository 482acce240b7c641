#!/usr/bin/env python3
"""ick beside a raw jupyter_client loop (and jupyter_console when installed), in one run.

Every interactive workload drives each system as a user would: in a pseudo-terminal
(40x120, TERM=xterm-256color) that answers the queries a real terminal answers (cursor
position, device attributes, cell size), with keys written as typed bytes.  Systems are
interleaved within each workload (one sample of each in turn) so that the machine's load
hits them alike; figures are medians of the repeats, and every ratio divides a system's
figure by the floor's figure *from the same run*.

Systems
  raw              The floor: a ~40-line line REPL (``RAW_REPL`` below) on a blocking
                   jupyter_client, reading lines in the terminal's cooked mode.  No UI, no
                   colour, nothing rendered but text.
  ick              ``ick --kernel python3``.
  jupyter-console  ``jupyter-console --kernel python3``, when it is installed.

Workloads (``--only`` picks some, comma-separated)
  cold      spawn -> first prompt, and spawn -> ``1+1`` typed at once shows 2.
  rtt       one tiny execution, ``print(n)``: the whole line written at once, time until the
            next prompt is back (median / p95); and, as a user types, Enter alone after the
            line was echoed.
  flood     ``print(i)`` for 100,000 lines (ipykernel batches them into a few messages):
            time until the last line and the prompt are back, and the front end's peak RSS.
  flushed   the same with ``print(i, flush=True)``: one iopub message per line, where a
            front end's cost per message shows.
  pipe      300 statements piped in: ick as 300 cells and as one cell, the raw loop as 300
            executions, ``jupyter run`` as one cell (the target compares ick to it).
  images    a 640x480 plot (drawn with Pillow in the kernel) displayed through ick's
            ``--images`` modes: sixel, kitty and character art.  Reported as not available
            when this ick has no ``--images`` option.
  echo      keystroke-to-echo latency at the prompt: idle, while a completion request is
            outstanding (an object whose ``__dir__`` takes 0.3 s), and while a background
            thread floods output above the prompt; and idle again with 10,000 entries in
            ick's history (the most it keeps), none matching what is typed.  The floor is
            the terminal's own echo of the raw REPL's cooked-mode line.
  memory    RSS of the front end before and after 10,000 tiny executions.

Run it from a checkout with the interpreter that has ick installed (``pip install -e
'.[test]'``, which brings pexpect's ptyprocess and psutil)::

    python benchmarks/run.py                      # everything, ~10 min on 2 busy cores
    python benchmarks/run.py --quick              # fewer repeats, ~2 min
    python benchmarks/run.py --only rtt,echo --rtt-n 300

It prints one table (metric, floor, each system, ratio to the floor) and writes every
sample to ``benchmarks/results/<time>-<commit>.json`` (git-ignored; ``--json`` names
another file).  ``--compare OLD.json`` adds the ratios of an earlier run beside today's.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil
from ptyprocess import PtyProcess

ROWS, COLS = 40, 120
REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"

# --------------------------------------------------------------------------------------------
# The floor: a line REPL on a blocking jupyter_client, no UI.

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
            msg = kc.get_iopub_msg(timeout=600)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                sys.stdout.write(content["text"])
            elif kind in ("execute_result", "display_data"):
                sys.stdout.write(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                sys.stdout.write("\n".join(content["traceback"]) + "\n")
            elif kind == "status" and content["execution_state"] == "idle":
                break
            sys.stdout.flush()
        while kc.get_shell_msg(timeout=600)["parent_header"].get("msg_id") != msg_id:
            pass
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
"""

# The same loop for pipes: cells separated by "# %%" lines, one execution each.
RAW_PIPE = r"""
import subprocess, sys
from jupyter_client import KernelManager

cells = sys.stdin.read().split("\n# %%\n")
km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(60)
failed = False
for cell in cells:
    msg_id = kc.execute(cell)
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            sys.stdout.write(msg["content"]["text"])
        elif kind == "execute_result":
            sys.stdout.write(msg["content"]["data"]["text/plain"] + "\n")
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    failed = failed or reply["content"]["status"] != "ok"
kc.stop_channels()
km.shutdown_kernel(now=True)
sys.exit(1 if failed else 0)
"""

# Kernel-side code of the workloads; each is one line, so no front end needs a second Enter.
FLOOD = 'exec("for i in range({n}):\\n    print(i)")'
FLUSHED = 'exec("for i in range({n}):\\n    print(i, flush=True)")'
SLOW_DIR = (
    'exec("import time\\nclass SlowDir:\\n    def __dir__(self):\\n'
    "        time.sleep(0.3)\\n        return ['alpha', 'beta']\\nslow = SlowDir()\")"
)
BACKGROUND_FLOOD = (
    'exec("import threading, time\\ndef _spew(seconds):\\n    end = time.time() + seconds\\n'
    "    i = 0\\n    while time.time() < end:\\n        print(i, flush=True)\\n        i += 1\\n"
    "        if i % 20 == 0:\\n            time.sleep(0.001)\\n"
    'threading.Thread(target=_spew, args=({seconds},)).start()")'
)
PLOT = (
    'exec("import io\\nfrom PIL import Image as _I, ImageDraw as _D\\nimport math\\n'
    "im = _I.new('RGB', (640, 480), 'white')\\nd = _D.Draw(im)\\n"
    "d.line([(40, 440), (620, 440)], fill='black', width=2)\\n"
    "d.line([(40, 20), (40, 440)], fill='black', width=2)\\n"
    "pts = [(40 + x, 230 - 180 * math.sin(x / 46) * math.exp(-x / 600)) for x in range(580)]\\n"
    "d.line(pts, fill=(31, 119, 180), width=3)\\n"
    "buf = io.BytesIO()\\nim.save(buf, 'PNG')\\n"
    'from IPython.display import Image, display\\nplot = Image(data=buf.getvalue())")'
)
# Characters typed to measure echo: UTF-8 only, so never part of an escape sequence,
# a digit of a flood or a prompt.
PROBES = "äöüøåæßðþçñéèêëïîôûŷ"

# Replies a terminal gives to queries a front end may send (first match answers).
TERMINAL_REPLIES: list[tuple[re.Pattern[bytes], Callable[[re.Match[bytes]], bytes]]] = [
    (re.compile(rb"\x1b\[6n"), lambda m: b"\x1b[1;1R"),  # cursor position
    (re.compile(rb"\x1b\[0?c"), lambda m: b"\x1b[?62;4;22c"),  # DA1: VT220, sixel, colour
    (re.compile(rb"\x1b\[14t"), lambda m: b"\x1b[4;800;1200t"),  # window size in pixels
    (re.compile(rb"\x1b\[16t"), lambda m: b"\x1b[6;20;10t"),  # cell size in pixels
    (re.compile(rb"\x1b\[18t"), lambda m: b"\x1b[8;40;120t"),  # size in cells
    (re.compile(rb"\x1b\[>0?q"), lambda m: b"\x1bP>|xterm(390)\x1b\\"),  # XTVERSION
    (  # kitty graphics query: answer OK for the id asked about
        re.compile(rb"\x1b_Gi=(\d+)[^\x1b]*;[^\x1b]*\x1b\\"),
        lambda m: b"\x1b_Gi=" + m.group(1) + b";OK\x1b\\",
    ),
]
QUERY_START = re.compile(rb"\x1b[\[_]")
CONFIRM_EXIT = re.compile(rb"really want to exit")

# One terminal escape sequence: CSI, OSC, APC/DCS strings, charset selection, two-byte ESC.
_ESC = (
    rb"(?:\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[P_^][^\x1b]*\x1b\\|\x1b[()][0-~]|\x1b[=>78])"
)
ESC_RE = re.compile(_ESC)


def tolerant(text: str) -> re.Pattern[bytes]:
    """A pattern for ``text`` that allows escape sequences between its characters."""
    gap = _ESC + b"*"
    return re.compile(gap.join(re.escape(ch.encode()) for ch in text))


def strip(data: bytes) -> str:
    return ESC_RE.sub(b"", data).decode("utf-8", "replace")


class BenchError(Exception):
    """A system failed or hung; the message says where and shows its last output."""


# --------------------------------------------------------------------------------------------
# A process on a pseudo-terminal that behaves like a terminal.


class Terminal:
    """One front end on a pty: keys in, bytes out with the time each read arrived."""

    def __init__(self, argv: list[str], env: dict[str, str], step_timeout: float) -> None:
        self.step_timeout = step_timeout
        self.t_spawn = time.monotonic()
        self.proc = PtyProcess.spawn(argv, env=env, dimensions=(ROWS, COLS))
        self.out = bytearray()
        self._answered_up_to = 0
        self.tree: dict[int, psutil.Process] = {}
        self.remember()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    # -- processes --------------------------------------------------------------------------
    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def remember(self) -> None:
        """Record the process tree now: a kernel is re-parented once its front end is gone."""
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.pid)
            for proc in [root, *root.children(recursive=True)]:
                self.tree.setdefault(proc.pid, proc)

    def memory_mib(self) -> dict[str, float]:
        """The front end's resident memory now and at its peak (VmRSS, VmHWM)."""
        fields = {}
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0]) / 1024
        return {"rss_mib": fields.get("VmRSS", 0.0), "peak_rss_mib": fields.get("VmHWM", 0.0)}

    def kill(self) -> list[str]:
        """Kill whatever of the tree is still running; return what was (for reports)."""
        self.remember()
        left = []
        for proc in self.tree.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    if proc.pid != self.pid:
                        left.append(" ".join(proc.cmdline()[:3]))
                    proc.kill()
        with contextlib.suppress(Exception):
            self.proc.close(force=True)
        return left

    # -- bytes ----------------------------------------------------------------------------
    def send(self, keys: str) -> float:
        t = time.monotonic()
        os.write(self.proc.fd, keys.encode())
        return t

    def pump(self, timeout: float) -> float | None:
        """Read what is there (waiting up to ``timeout``); return the time it arrived."""
        ready, _, _ = select.select([self.proc.fd], [], [], max(timeout, 0))
        if not ready:
            return None
        try:
            data = os.read(self.proc.fd, 1 << 16)
        except OSError:  # EIO: the other side is gone
            data = b""
        t = time.monotonic()
        if not data:
            raise EOFError
        self.out += data
        self._answer_queries()
        return t

    def _answer_queries(self) -> None:
        start = self._answered_up_to
        while True:
            found = QUERY_START.search(self.out, start)
            if found is None:
                self._answered_up_to = max(start, len(self.out) - 1)
                return
            for pattern, reply in TERMINAL_REPLIES:
                match = pattern.match(self.out, found.start())
                if match is not None:
                    os.write(self.proc.fd, reply(match))
                    start = match.end()
                    break
            else:
                if (
                    len(self.out) - found.start() < 64
                    and b"\x1b\\" not in self.out[found.start() :]
                ):
                    self._answered_up_to = found.start()  # maybe incomplete: look again later
                    return
                start = found.start() + 1

    def expect(
        self, pattern: re.Pattern[bytes], what: str, start: int = 0, timeout: float | None = None
    ) -> tuple[re.Match[bytes], float]:
        """Wait for ``pattern`` in the output from ``start``; return it and when it was read."""
        timeout = timeout or self.step_timeout
        deadline = time.monotonic() + timeout
        searched = start
        t = time.monotonic()
        while True:
            # Only the new bytes (and a margin for a match spanning two reads) are searched.
            match = pattern.search(self.out, max(start, searched - 4096))
            if match is not None:
                return match, t
            searched = len(self.out)
            try:
                got = self.pump(deadline - time.monotonic())
            except EOFError:
                raise BenchError(f"{what}: the process exited first{self.tail()}") from None
            if got is None:
                if time.monotonic() >= deadline:
                    raise BenchError(f"{what}: not seen within {timeout:g}s{self.tail()}")
                continue
            t = got

    def drain(self, quiet: float = 0.15, limit: float = 5.0) -> None:
        """Read until the terminal has been quiet for ``quiet`` seconds."""
        end = time.monotonic() + limit
        with contextlib.suppress(EOFError):
            while time.monotonic() < end and self.pump(quiet) is not None:
                pass

    def forget_output(self) -> None:
        """Drop what was read so far (long sessions keep their memory flat)."""
        self.out.clear()
        self._answered_up_to = 0

    def tail(self, n: int = 300) -> str:
        return f"; last output: {strip(bytes(self.out[-4 * n :]))[-n:]!r}"

    def quit(self) -> float:
        """Ctrl-D (Ctrl-U first: the line must be empty); seconds until the pty closes."""
        self.remember()
        start = len(self.out)
        t0 = self.send("\x15\x04")
        deadline = t0 + self.step_timeout
        confirmed = False
        with contextlib.suppress(EOFError):
            while time.monotonic() < deadline:
                self.pump(deadline - time.monotonic())
                if not confirmed and CONFIRM_EXIT.search(self.out, start):
                    confirmed = bool(self.send("y\r"))  # jupyter_console asks first
            raise BenchError(f"Ctrl-D: no exit within {self.step_timeout:g}s{self.tail()}")
        return time.monotonic() - t0


@dataclass
class System:
    """A REPL to drive: its command line and what its prompts look like."""

    name: str
    argv: list[str]
    prompt: Callable[[int], re.Pattern[bytes]]  # the n-th input prompt (n = 1, 2, ...)
    numbered: bool  # whether prompts count executions (raw's ">>> " does not)
    result_two: re.Pattern[bytes]  # ``1+1`` at the first prompt has shown 2
    images: str | None = None  # how to run it with an --images mode (ick only)


class Session:
    """A started REPL with its prompt counter."""

    def __init__(self, bench: Bench, system: System, extra_args: list[str] | None = None) -> None:
        self.system = system
        self.term = Terminal(system.argv + (extra_args or []), bench.env, bench.args.step_timeout)
        self.count = 1
        try:
            self.term.expect(system.prompt(1), "first prompt", timeout=bench.args.start_timeout)
        except BaseException:
            self.term.kill()
            raise
        self.term.remember()

    def run(self, line: str, what: str, timeout: float | None = None) -> tuple[float, float]:
        """Type ``line`` and Enter at once; return (sent, prompt back) times."""
        start = len(self.term.out)
        t0 = self.term.send(line + "\r")
        t1 = self.wait_prompt(start, what, timeout)
        return t0, t1

    def wait_prompt(self, start: int, what: str, timeout: float | None = None) -> float:
        self.count += 1
        if self.system.numbered:
            _, t = self.term.expect(self.system.prompt(self.count), what, start, timeout)
            return t
        # ">>> " also appears in what was typed only if the user typed it: skip the echo line.
        newline = self.term.expect(re.compile(rb"\n"), what, start, timeout)[0]
        _, t = self.term.expect(self.system.prompt(self.count), what, newline.end(), timeout)
        return t

    def close(self) -> list[str]:
        with contextlib.suppress(BenchError):
            self.term.quit()
        return self.term.kill()


# --------------------------------------------------------------------------------------------
# Statistics and reporting.


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@dataclass
class Metric:
    """One row of the table: a figure per system, and which system is its floor."""

    label: str
    unit: str
    values: dict[str, float | None] = field(default_factory=dict)
    floor: str = "raw"
    target: str = ""

    def ratio(self, system: str) -> float | None:
        value, floor = self.values.get(system), self.values.get(self.floor)
        if value is None or not floor:
            return None
        return value / floor


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        bindir = str(Path(sys.executable).parent)
        self.env = dict(
            os.environ,
            TERM="xterm-256color",
            COLUMNS=str(COLS),
            LINES=str(ROWS),
            XDG_DATA_HOME=str(tmp / "data"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            IPYTHONDIR=str(tmp / "ipython"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
            # This interpreter's bin/ first: the same kernel for every system.
            PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
        )
        # Real terminals answer cursor-position requests, and so does this one.
        self.env.pop("PROMPT_TOOLKIT_NO_CPR", None)
        self.env.pop("NO_COLOR", None)
        ick = args.ick or shutil.which("ick", path=self.env["PATH"])
        if not ick:
            sys.exit("error: no `ick` command found (pip install -e . in this interpreter)")
        self.ick = ick
        kernel = args.kernel
        self.systems: dict[str, System] = {
            "raw": System(
                "raw",
                [sys.executable, "-c", RAW_REPL, kernel],
                prompt=lambda n: re.compile(rb">>> "),
                numbered=False,
                result_two=re.compile(rb"\n2\r?\n"),
            ),
            "ick": System(
                "ick",
                [ick, "--kernel", kernel],
                prompt=lambda n: tolerant(f"In [{n}]: "),
                numbered=True,
                result_two=tolerant("Out[1]: 2"),
            ),
        }
        for name, path in args.also_ick:
            # Another build of ick in the same run: A/B comparisons the machine's drift spares.
            argv = [path, "--kernel", kernel]
            self.systems[name] = dataclasses.replace(self.systems["ick"], name=name, argv=argv)
        console = shutil.which("jupyter-console", path=self.env["PATH"])
        if console and not args.no_jupyter_console:
            self.systems["jupyter-console"] = System(
                "jupyter-console",
                [console, "--kernel", kernel],
                prompt=lambda n: tolerant(f"In [{n}]: "),
                numbered=True,
                result_two=tolerant("Out[1]: 2"),
            )
        self.metrics: list[Metric] = []
        self.samples: dict[str, Any] = {}
        self.problems: list[str] = []
        self.unavailable: dict[str, str] = {}

    def log(self, *parts: object) -> None:
        print("[bench]", *parts, file=sys.stderr, flush=True)

    def metric(self, label: str, unit: str, target: str = "", floor: str = "raw") -> Metric:
        row = Metric(label, unit, floor=floor, target=target)
        self.metrics.append(row)
        return row

    @contextlib.contextmanager
    def sessions(self, only: tuple[str, ...] | None = None) -> Iterator[dict[str, Session]]:
        """One started session per system, all closed (and their kernels killed) at the end."""
        opened: dict[str, Session] = {}
        try:
            for name, system in self.systems.items():
                if only is not None and name not in only:
                    continue
                try:
                    opened[name] = Session(self, system)
                except BenchError as exc:
                    self.problem(name, f"start: {exc}")
            yield opened
        finally:
            for name, session in opened.items():
                left = session.close()
                if left:
                    self.problem(name, f"left running after Ctrl-D (killed): {left}")

    def problem(self, system: str, text: str) -> None:
        self.problems.append(f"{system}: {text}")
        self.log(system, "PROBLEM:", text)

    # -- cold start ---------------------------------------------------------------------------
    def cold(self) -> None:
        a = self.args
        prompt_s: dict[str, list[float]] = {name: [] for name in self.systems}
        two_s: dict[str, list[float]] = {name: [] for name in self.systems}
        exit_s: dict[str, list[float]] = {name: [] for name in self.systems}
        for rep in range(a.warmup + a.reps):
            for name, system in self.systems.items():
                with Terminal(system.argv, self.env, a.step_timeout) as term:
                    try:
                        _, t_prompt = term.expect(
                            system.prompt(1), "first prompt", timeout=a.start_timeout
                        )
                        term.remember()
                        term.send("1+1\r")
                        _, t_two = term.expect(system.result_two, "1+1 shows 2")
                        term.expect(system.prompt(2), "second prompt")
                        quit_s = term.quit()
                    except BenchError as exc:
                        self.problem(name, f"cold start {rep}: {exc}")
                        continue
                    left = term.kill()
                if left:
                    self.problem(name, f"left running after Ctrl-D (killed): {left}")
                if rep >= a.warmup:
                    prompt_s[name].append(t_prompt - term.t_spawn)
                    two_s[name].append(t_two - term.t_spawn)
                    exit_s[name].append(quit_s)
            self.log(f"cold {rep + 1}/{a.warmup + a.reps}")
        rows = [
            (self.metric("cold: spawn -> first prompt", "s"), prompt_s),
            (self.metric("cold: spawn -> 1+1 shows 2", "s", "<= floor + 0.15 s"), two_s),
            (self.metric("exit: Ctrl-D -> pty closed", "s"), exit_s),
        ]
        for row, values in rows:
            row.values = {name: median(v) for name, v in values.items()}
        self.samples["cold"] = {"prompt_s": prompt_s, "two_s": two_s, "exit_s": exit_s}

    # -- round trips --------------------------------------------------------------------------
    def rtt(self) -> None:
        a = self.args
        line_ms: dict[str, list[float]] = {name: [] for name in self.systems}
        enter_ms: dict[str, list[float]] = {name: [] for name in self.systems}
        with self.sessions() as sessions:
            order = list(sessions.items())
            for i in range(a.rtt_warmup + a.rtt_n):
                # Each system goes first in turn: the one that follows another's execution
                # was measured up to 1.3 ms slower or faster than an identical build.
                order = order[1:] + order[:1]
                for name, s in order:
                    try:
                        t0, t1 = s.run(f"print({i})", f"rtt {i}")
                        # As typed: the line first, echoed, then Enter alone.
                        start = len(s.term.out)
                        s.term.send(f"print({i + 1000000})")
                        s.term.expect(tolerant(f"{i + 1000000})"), f"echo {i}", start)
                        start = len(s.term.out)
                        t2 = s.term.send("\r")
                        t3 = s.wait_prompt(start, f"rtt enter {i}")
                    except BenchError as exc:
                        self.problem(name, f"rtt: {exc}")
                        continue
                    if i >= a.rtt_warmup:
                        line_ms[name].append((t1 - t0) * 1e3)
                        enter_ms[name].append((t3 - t2) * 1e3)
                    if i % 50 == 0:
                        s.term.forget_output()
        row = self.metric("rtt: line sent at once -> prompt back, median", "ms", "<= 1.10x")
        row.values = {name: median(v) for name, v in line_ms.items()}
        row = self.metric("rtt: line sent at once -> prompt back, p95", "ms", "<= 1.25x")
        row.values = {name: p95(v) for name, v in line_ms.items()}
        row = self.metric("rtt: Enter after the echoed line -> prompt back, median", "ms")
        row.values = {name: median(v) for name, v in enter_ms.items()}
        row = self.metric("rtt: Enter after the echoed line -> prompt back, p95", "ms")
        row.values = {name: p95(v) for name, v in enter_ms.items()}
        self.samples["rtt"] = {"line_ms": line_ms, "enter_ms": enter_ms}

    # -- floods -------------------------------------------------------------------------------
    def flood(self, key: str, code: str, lines: int, reps: int, label: str) -> None:
        a = self.args
        seconds: dict[str, list[float]] = {name: [] for name in self.systems}
        peaks: dict[str, list[float]] = {name: [] for name in self.systems}
        last = re.compile(rb"(?<!\d)%d(?!\d)" % (lines - 1))
        for rep in range(reps):
            with self.sessions() as sessions:
                for name, s in sessions.items():
                    start = len(s.term.out)
                    t0 = s.term.send(code.format(n=lines) + "\r")
                    try:
                        match, _ = s.term.expect(last, f"{key}: last line", start, a.flood_timeout)
                        t1 = s.wait_prompt(match.end(), f"{key}: prompt back")
                    except BenchError as exc:
                        self.problem(name, f"{key} {rep}: {exc}")
                        continue
                    seconds[name].append(t1 - t0)
                    peaks[name].append(s.term.memory_mib()["peak_rss_mib"])
                    s.term.forget_output()
            self.log(
                f"{key} {rep + 1}/{reps}", {n: round(v[-1], 2) for n, v in seconds.items() if v}
            )
        row = self.metric(f"{label}: until the prompt is back", "s", "<= 1.10x")
        row.values = {name: median(v) for name, v in seconds.items()}
        row = self.metric(f"{label}: front end peak RSS", "MiB", "< 80 MiB")
        row.values = {name: median(v) for name, v in peaks.items()}
        self.samples[key] = {"seconds": seconds, "peak_rss_mib": peaks}

    # -- pipes --------------------------------------------------------------------------------
    def pipe(self) -> None:
        a = self.args
        statements = [f"x{i} = {i} * 2" if i % 10 else f"print({i})" for i in range(a.pipe_n)]
        as_cells = "\n# %%\n".join(statements) + "\n"
        as_one = "\n".join(statements) + "\n"
        expected = "".join(f"{i}\n" for i in range(0, a.pipe_n, 10))
        commands: dict[str, tuple[list[str], str]] = {
            "raw": ([sys.executable, "-c", RAW_PIPE, a.kernel], as_cells),
            "ick": ([self.ick, "--kernel", a.kernel], as_cells),
            "ick, one cell": ([self.ick, "--kernel", a.kernel], as_one),
        }
        jupyter_run = shutil.which("jupyter-run", path=self.env["PATH"])
        if jupyter_run:
            commands["jupyter run"] = ([jupyter_run, "--kernel", a.kernel], as_one)
        else:
            self.unavailable["jupyter run"] = "jupyter-run is not installed"
        walls: dict[str, list[float]] = {name: [] for name in commands}
        for rep in range(a.pipe_reps + 1):  # the first round warms caches and is not counted
            for name, (argv, script) in commands.items():
                t0 = time.monotonic()
                try:
                    done = subprocess.run(
                        argv, input=script, capture_output=True, text=True, env=self.env,
                        timeout=a.flood_timeout,
                    )  # fmt: skip
                except subprocess.TimeoutExpired:
                    self.problem(name, f"pipe {rep}: hung (no exit in {a.flood_timeout:g}s)")
                    continue
                wall = time.monotonic() - t0
                if done.returncode != 0 or done.stdout != expected:
                    self.problem(
                        name, f"pipe {rep}: status {done.returncode}, {done.stderr[-300:]!r}"
                    )
                    continue
                if rep:
                    walls[name].append(wall)
            self.log(f"pipe {rep}/{a.pipe_reps}")
        row = self.metric(f"pipe: {a.pipe_n} statements as {a.pipe_n} cells", "s")
        row.values = {"raw": median(walls["raw"]), "ick": median(walls["ick"])}
        if jupyter_run:
            row = self.metric(
                f"pipe: {a.pipe_n} statements as one cell", "s", "<= 1.10x", floor="jupyter run"
            )
            row.values = {
                "jupyter run": median(walls["jupyter run"]),
                "ick": median(walls["ick, one cell"]),
            }
        self.samples["pipe"] = walls

    # -- images -------------------------------------------------------------------------------
    def image_modes(self) -> dict[str, str] | None:
        """sixel / kitty / character-art values of ick's ``--images``, if it has one."""
        done = subprocess.run(
            [self.ick, "--help"], capture_output=True, text=True, env=self.env, timeout=60
        )
        found = re.search(r"--images\s*\{([^}]*)\}", done.stdout)
        if found is None:
            if "--images" in done.stdout:
                found = re.search(r"--images\s+([A-Za-z|,]+)", done.stdout)
            if found is None:
                return None
        choices = [c.strip() for c in re.split(r"[,|]", found.group(1)) if c.strip()]
        modes = {}
        for wanted, names in (
            ("sixel", ("sixel",)),
            ("kitty", ("kitty",)),
            ("character art", ("blocks", "halfblocks", "unicode", "chars", "text", "ascii")),
        ):
            for name in names:
                if name in choices:
                    modes[wanted] = name
                    break
        return modes

    def images(self) -> None:
        a = self.args
        modes = self.image_modes()
        if modes is None:
            self.unavailable["images"] = (
                "not available: this ick has no --images option yet (the encoders in "
                "ick/render/images/ bring it); no figure is reported"
            )
            self.log("images:", self.unavailable["images"])
            return
        for wanted in ("sixel", "kitty", "character art"):
            if wanted not in modes:
                self.unavailable[f"images: {wanted}"] = "not available: no such --images mode"
        seconds: dict[str, dict[str, list[float]]] = {}
        pty_bytes: dict[str, dict[str, list[float]]] = {}
        floor: list[float] = []
        raw = self.systems["raw"]
        for wanted, mode in modes.items():
            plain = self.systems["ick"]
            ick = System(
                "ick", [*plain.argv, "--images", mode], plain.prompt, True, plain.result_two
            )
            seconds[wanted], pty_bytes[wanted] = {"ick": []}, {"ick": []}
            for system in (raw, ick):
                try:
                    s = Session(self, system)
                except BenchError as exc:
                    self.problem(system.name, f"images ({mode}): {exc}")
                    continue
                try:
                    s.run(PLOT, "plot set-up", timeout=60)
                    for rep in range(a.warmup + a.reps):
                        start = len(s.term.out)
                        t0, t1 = s.run("display(plot)", f"images {mode} {rep}", timeout=60)
                        if rep < a.warmup:
                            continue
                        if system is raw:
                            floor.append(t1 - t0)
                        else:
                            seconds[wanted]["ick"].append(t1 - t0)
                            pty_bytes[wanted]["ick"].append(len(s.term.out) - start)
                except BenchError as exc:
                    self.problem(system.name, f"images ({mode}): {exc}")
                finally:
                    left = s.close()
                    if left:
                        self.problem(system.name, f"left running (killed): {left}")
        for wanted in modes:
            row = self.metric(f"image 640x480 as {wanted}: display -> prompt back", "s")
            row.values = {"raw": median(floor), "ick": median(seconds[wanted]["ick"])}
            row = self.metric(f"image 640x480 as {wanted}: bytes to the terminal", "KiB", floor="")
            row.values = {"ick": (median(pty_bytes[wanted]["ick"]) or 0) / 1024}
        self.samples["images"] = {"floor_s": floor, "seconds": seconds, "pty_bytes": pty_bytes}

    # -- keystroke echo -----------------------------------------------------------------------
    def echo(self) -> None:
        a = self.args
        idle: dict[str, list[float]] = {name: [] for name in self.systems}
        completing: dict[str, list[float]] = {name: [] for name in self.systems}
        flooding: dict[str, list[float]] = {name: [] for name in self.systems}
        with self.sessions() as sessions:
            for name, s in sessions.items():
                try:
                    s.run(SLOW_DIR, "echo set-up")
                    idle[name] = self._idle_echoes(s)
                    for rep in range(a.echo_n):
                        start = len(s.term.out)
                        s.term.send("slow.")
                        s.term.expect(tolerant("slow."), "echo of slow.", start)
                        s.term.send("\t")  # asks the kernel; its __dir__ takes 0.3 s
                        time.sleep(0.03)
                        probe = PROBES[rep % len(PROBES)]
                        completing[name].append(self._echo_once(s, probe))
                        time.sleep(0.4)  # the completion ends (and is dropped: text changed)
                        s.term.send("\x15")
                        s.term.drain(0.1)
                    start = len(s.term.out)
                    s.term.send(BACKGROUND_FLOOD.format(seconds=a.echo_flood_s) + "\r")
                    s.wait_prompt(start, "background flood started")
                    t_end = time.monotonic() + a.echo_flood_s
                    rep = 0
                    while time.monotonic() < t_end - 0.2:
                        flooding[name].append(self._echo_once(s, PROBES[rep % len(PROBES)]))
                        rep += 1
                        time.sleep(0.05)
                    time.sleep(max(0.0, t_end - time.monotonic()) + 0.3)
                    s.term.send("\x15")
                    s.term.drain(0.2, limit=30)
                    s.term.forget_output()
                except BenchError as exc:
                    self.problem(name, f"echo: {exc}")
        row = self.metric("echo: keystroke at an idle prompt, median", "ms")
        row.values = {name: median(v) for name, v in idle.items()}
        # A user's history is full after a while (ick keeps 10,000 entries), and every
        # keystroke looks in it for an auto-suggestion: the probes match no entry.
        full_history: dict[str, list[float]] = {name: [] for name in self.systems}
        with self.seeded_history(10_000), self.sessions() as sessions:
            for name, s in sessions.items():
                try:
                    full_history[name] = self._idle_echoes(s)
                except BenchError as exc:
                    self.problem(name, f"echo with a full history: {exc}")
        row = self.metric("echo: idle prompt, 10,000 entries in ick's history, median", "ms")
        row.values = {name: median(v) for name, v in full_history.items()}
        row = self.metric("echo: while a completion request is outstanding, median", "ms")
        row.values = {name: median(v) for name, v in completing.items()}
        row = self.metric("echo: while background output floods the screen, median", "ms")
        row.values = {name: median(v) for name, v in flooding.items()}
        row = self.metric("echo: while background output floods the screen, p95", "ms")
        row.values = {name: p95(v) for name, v in flooding.items()}
        self.samples["echo"] = {
            "idle": idle,
            "completing": completing,
            "flooding": flooding,
            "full_history": full_history,
        }

    @contextlib.contextmanager
    def seeded_history(self, entries: int) -> Iterator[None]:
        """ick's Python history holds ``entries`` distinct lines of code, for a while."""
        path = Path(self.env["XDG_DATA_HOME"]) / "ick" / "history" / "python"
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = path.read_bytes() if path.exists() else None
        lines = (f"result_{n} = compute({n}, option={n % 7})" for n in range(entries))
        path.write_text("".join(f"\n# 2026-01-01 00:00:00\n+{line}\n" for line in lines))
        try:
            yield
        finally:
            if kept is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(kept)

    def _idle_echoes(self, s: Session) -> list[float]:
        """Echo latencies of single keys at an empty prompt, each line cleared again."""
        latencies = []
        for rep in range(self.args.echo_n):
            latencies.append(self._echo_once(s, PROBES[rep % len(PROBES)]))
            s.term.send("\x15")  # Ctrl-U: an empty line again
            s.term.drain(0.05)
        return latencies

    def _echo_once(self, s: Session, probe: str) -> float:
        start = len(s.term.out)
        t0 = s.term.send(probe)
        _, t1 = s.term.expect(re.compile(re.escape(probe.encode())), f"echo of {probe}", start)
        return (t1 - t0) * 1e3

    # -- memory over many executions ------------------------------------------------------------
    def memory(self) -> None:
        a = self.args
        before: dict[str, float | None] = {}
        after: dict[str, float | None] = {}
        # jupyter_console's 50 ms per execution would make this the longest workload by far.
        with self.sessions(only=("raw", "ick")) as sessions:
            for i in range(100 + a.memory_n):
                for name, s in sessions.items():
                    try:
                        s.run("pass", f"memory {i}")
                    except BenchError as exc:
                        self.problem(name, f"memory: {exc}")
                        return
                    if i == 99:
                        before[name] = s.term.memory_mib()["rss_mib"]
                    if i % 100 == 0:
                        s.term.forget_output()
                if i % 1000 == 999:
                    self.log(f"memory {i + 1}/{100 + a.memory_n}")
            for name, s in sessions.items():
                after[name] = s.term.memory_mib()["rss_mib"]
        row = self.metric("memory: RSS after 100 executions", "MiB", floor="")
        row.values = dict(before)
        row = self.metric(f"memory: RSS after {100 + a.memory_n} executions", "MiB", floor="")
        row.values = dict(after)
        self.samples["memory"] = {"before_mib": before, "after_mib": after}


# --------------------------------------------------------------------------------------------
# Output.


def render_table(bench: Bench, compare: dict[str, Any] | None) -> str:
    systems = list(bench.systems)
    extra = sorted({s for m in bench.metrics for s in m.values} - set(systems))
    columns = systems + extra
    head = ["metric", "unit", *columns, "ick / floor", "target"]
    if compare:
        head.append("before")
    old = {row["label"]: row.get("ick_ratio") for row in (compare or {}).get("table", [])}
    rows = [head]
    for m in bench.metrics:
        cells = [m.label, m.unit]
        for name in columns:
            value = m.values.get(name)
            cells.append(
                "-" if value is None else f"{value:.3g}" if value < 100 else f"{value:.0f}"
            )
        ratio = m.ratio("ick")
        cells.append(f"x{ratio:.2f}" if ratio is not None else "-")
        cells.append(m.target)
        if compare:
            before = old.get(m.label)
            cells.append(f"x{before:.2f}" if before is not None else "-")
        rows.append(cells)
    widths = [max(len(r[c]) for r in rows) for c in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if c in (0, 1) else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def git_commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"], cwd=REPO, capture_output=True,
            text=True, timeout=10,
        )  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if out.returncode == 0:
            return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    return None


def versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for dist in ("ick-repl", "ipykernel", "jupyter_client", "jupyter_console", "pyzmq",
                 "prompt_toolkit", "rich"):  # fmt: skip
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found


WORKLOADS = ("cold", "rtt", "flood", "flushed", "pipe", "images", "echo", "memory")


def _name_and_path(text: str) -> tuple[str, str]:
    name, equals, path = text.partition("=")
    if not (name and equals and path):
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {text!r}")
    return name, path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--only", default=",".join(WORKLOADS), help="workloads, comma-separated")
    p.add_argument("--quick", action="store_true", help="fewer repeats everywhere (~2 min)")
    p.add_argument("--reps", type=int, default=5, help="cold starts / image displays (5)")
    p.add_argument("--warmup", type=int, default=1, help="untimed repeats first (1)")
    p.add_argument("--rtt-n", type=int, default=200, help="timed tiny executions (200)")
    p.add_argument("--rtt-warmup", type=int, default=20, help="untimed executions first (20)")
    p.add_argument("--flood-lines", type=int, default=100_000, help="lines per flood (100000)")
    p.add_argument("--flood-reps", type=int, default=3, help="floods per system (3)")
    p.add_argument("--flushed-lines", type=int, default=100_000, help="flushed prints (100000)")
    p.add_argument("--flushed-reps", type=int, default=1, help="flushed floods per system (1)")
    p.add_argument("--pipe-n", type=int, default=300, help="statements piped in (300)")
    p.add_argument("--pipe-reps", type=int, default=5, help="timed pipe runs per system (5)")
    p.add_argument("--echo-n", type=int, default=15, help="echo probes per condition (15)")
    p.add_argument("--echo-flood-s", type=float, default=2.0, help="background flood, s (2)")
    p.add_argument("--memory-n", type=int, default=10_000, help="executions for memory (10000)")
    p.add_argument("--kernel", default="python3", help="kernelspec for every system")
    p.add_argument("--ick", metavar="PATH", help="ick executable (default: `ick` on PATH)")
    p.add_argument(
        "--also-ick",
        metavar="NAME=PATH",
        action="append",
        default=[],
        type=_name_and_path,
        help="another ick executable run beside the first (rtt, echo, floods; repeatable)",
    )
    p.add_argument("--no-jupyter-console", action="store_true", help="leave jupyter_console out")
    p.add_argument("--start-timeout", type=float, default=60, help="s to the first prompt (60)")
    p.add_argument("--step-timeout", type=float, default=20, help="s for other steps (20)")
    p.add_argument("--flood-timeout", type=float, default=300, help="s for a flood/pipe (300)")
    p.add_argument("--json", metavar="FILE", type=Path, help="where to write the results")
    p.add_argument("--compare", metavar="OLD.json", type=Path, help="show an earlier run's ratios")
    args = p.parse_args(argv)
    args.only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(args.only) - set(WORKLOADS)
    if unknown:
        p.error(f"unknown workloads: {', '.join(sorted(unknown))} (choose from {WORKLOADS})")
    if args.quick:
        args.reps, args.rtt_n, args.flood_reps, args.flushed_reps = 3, 60, 1, 1
        args.pipe_reps, args.echo_n, args.memory_n = 2, 8, 1000
        args.flushed_lines = min(args.flushed_lines, 20_000)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    compare = json.loads(args.compare.read_text()) if args.compare else None
    started = datetime.now(timezone.utc)
    commit = git_commit()  # before the run: the checkout may change while it goes on
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="ick-bench."))
    # A benchmark killed half-way must not leave kernels behind: SIGTERM ends it cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench = Bench(args, tmp)
        bench.log("systems:", ", ".join(bench.systems), "| workloads:", ", ".join(args.only))
        steps: dict[str, Callable[[], None]] = {
            "cold": bench.cold,
            "rtt": bench.rtt,
            "flood": lambda: bench.flood(
                "flood",
                FLOOD,
                args.flood_lines,
                args.flood_reps,
                f"flood: {args.flood_lines} lines",
            ),
            "flushed": lambda: bench.flood(
                "flushed",
                FLUSHED,
                args.flushed_lines,
                args.flushed_reps,
                f"flood: {args.flushed_lines} flushed prints",
            ),
            "pipe": bench.pipe,
            "images": bench.images,
            "echo": bench.echo,
            "memory": bench.memory,
        }
        for name in WORKLOADS:
            if name in args.only:
                bench.log(f"-- {name}")
                steps[name]()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    wall = time.monotonic() - t0

    print(render_table(bench, compare))
    for what, why in bench.unavailable.items():
        print(f"{what}: {why}")
    if bench.problems:
        print("\nproblems:\n" + "\n".join(f"- {p}" for p in bench.problems))
    print(f"\n(wall {wall:.0f} s; medians; ratios are ick / floor from this run)")

    path = args.json or RESULTS / f"{started:%Y%m%dT%H%M%SZ}-{commit or 'nogit'}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "timestamp": started.isoformat(timespec="seconds"),
        "git_commit": commit,
        "versions": versions(),
        "load_average": os.getloadavg(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "wall_s": wall,
        "table": [
            {
                "label": m.label,
                "unit": m.unit,
                "floor": m.floor,
                "target": m.target,
                "values": m.values,
                "ick_ratio": m.ratio("ick"),
            }
            for m in bench.metrics
        ],
        "unavailable": bench.unavailable,
        "problems": bench.problems,
        "samples": bench.samples,
    }
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"results: {path}")
    return 1 if bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
