"""Piped scripts: ick against a raw jupyter_client loop and ``jupyter run``.

Workloads, each timed from process spawn to exit (kernel start included) and
repeated, medians reported:

- **cells**: 300 small statements, each its own cell (``# %%`` markers), piped
  into ``ick``; the floor is a raw jupyter_client loop (no UI) executing the
  same 300 statements one request each.
- **one cell**: the same 300 statements without markers, piped into ``ick``
  and into ``jupyter run`` (which always runs a whole input as one cell).

Every run's output is checked, so a fast wrong answer does not count.

    python benchmarks/pipe_statements.py [--reps 5] [--statements 300] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAW_LOOP = r"""
import sys
from jupyter_client import KernelManager

cells = sys.stdin.read().split("\n# %%\n")
km = KernelManager(kernel_name="python3")
km.start_kernel(stderr=open("/dev/null", "w"))
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
    reply = kc.get_shell_msg(timeout=60)
    failed = failed or reply["content"]["status"] != "ok"
kc.stop_channels()
km.shutdown_kernel(now=True)
sys.exit(1 if failed else 0)
"""


def statements(count: int) -> list[str]:
    return [f"x{i} = {i} * 2" if i % 10 else f"print({i})" for i in range(count)]


def expected_output(count: int) -> str:
    return "".join(f"{i}\n" for i in range(0, count, 10))


def time_command(command: list[str], script: str, expected: str, timeout: float) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, input=script, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or result.stdout != expected:
        raise SystemExit(
            f"{command[0]} failed (status {result.returncode}):\n"
            f"{result.stdout[-500:]}{result.stderr[-500:]}"
        )
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--statements", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    ick = str(bin_dir / "ick") if (bin_dir / "ick").exists() else shutil.which("ick")
    jupyter_run = shutil.which("jupyter-run", path=str(bin_dir)) or shutil.which("jupyter-run")
    if ick is None:
        raise SystemExit("ick is not installed")
    lines = statements(args.statements)
    as_cells = "\n# %%\n".join(lines) + "\n"
    as_one = "\n".join(lines) + "\n"
    expected = expected_output(args.statements)

    systems: dict[str, tuple[list[str], str]] = {
        "raw loop, 300 executions": ([sys.executable, "-c", RAW_LOOP], as_cells),
        "ick, 300 cells": ([ick], as_cells),
        "ick, one cell": ([ick], as_one),
    }
    if jupyter_run:
        systems["jupyter run, one cell"] = ([jupyter_run, "--kernel", "python3"], as_one)
    samples: dict[str, list[float]] = {name: [] for name in systems}
    for rep in range(args.reps + 1):  # the first round warms caches and is not counted
        for name, (command, script) in systems.items():
            elapsed = time_command(command, script, expected, args.timeout)
            if rep:
                samples[name].append(elapsed)
        print(f"[bench] round {rep}/{args.reps} done", file=sys.stderr)

    medians = {name: statistics.median(values) for name, values in samples.items()}
    floor = medians["raw loop, 300 executions"]
    one_cell_floor = medians.get("jupyter run, one cell")
    print(f"{'system':<28} {'wall (s)':>9} {'vs raw loop':>12} {'vs jupyter run':>15}")
    for name, value in medians.items():
        vs_run = f"x{value / one_cell_floor:.2f}" if one_cell_floor else "-"
        print(f"{name:<28} {value:>9.3f} {f'x{value / floor:.2f}':>12} {vs_run:>15}")
    if args.json:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        args.json.write_text(
            json.dumps(
                {"commit": commit, "time": time.time(), "medians": medians, "samples": samples},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
