#!/usr/bin/env python3
"""A ``tqdm.auto`` progress bar (a widget) in the ick REPL against plain ``tqdm`` (text).

``tqdm.auto`` draws an ipywidgets bar whenever ipywidgets is installed beside the
kernel: every update is a comm message that ick's widget store takes and its
renderer redraws (at most ten times a second).  Plain ``tqdm`` writes ``\\r``
lines to stderr instead.  Both loops run 100,000 iterations with
``mininterval=0`` (an update per iteration) in one ick session each repeat,
interleaved; the figure is the time from Enter to the prompt back, and the
target is the widget loop within x1.2 of the text loop.

    python benchmarks/widgets.py              # 5 repeats
    python benchmarks/widgets.py --reps 3 --iterations 20000

It drives ick in the same answering pseudo-terminal as ``benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import COLS, ROWS, BenchError, Terminal, tolerant

LOOPS = {
    "text": "from tqdm import tqdm as bar",
    "widget": "from tqdm.auto import tqdm as bar",
}
LOOP = "for i in bar(range({n}), mininterval=0): pass"


def environment(tmp: Path) -> dict[str, str]:
    env = dict(
        os.environ,
        TERM="xterm-256color",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    )
    env.pop("PROMPT_TOOLKIT_NO_CPR", None)
    env.pop("NO_COLOR", None)
    return env


def one_loop(ick: str, env: dict[str, str], kind: str, n: int, timeout: float) -> float:
    """Seconds from Enter to the prompt back for one loop in a fresh session."""
    with Terminal([ick, "--kernel", "python3"], env, timeout) as term:
        term.expect(tolerant("In [1]: "), "first prompt", timeout=60)
        start = len(term.out)
        term.send(LOOPS[kind] + "\r")
        term.expect(tolerant("In [2]: "), "import", start)
        start = len(term.out)
        sent = term.send(LOOP.format(n=n) + "\r")
        term.expect(tolerant(f"{n}/{n}"), f"{kind}: the bar at its end", start, timeout)
        _, back = term.expect(tolerant("In [3]: "), f"{kind}: prompt back", start, timeout)
        term.quit()
        return back - sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="repeats of each loop (5)")
    parser.add_argument("--iterations", type=int, default=100_000, help="per loop (100000)")
    parser.add_argument("--timeout", type=float, default=300, help="s for one loop (300)")
    args = parser.parse_args()
    ick = shutil.which("ick")
    if ick is None:
        sys.exit("error: no `ick` command found (pip install -e . in this interpreter)")
    tmp = Path(tempfile.mkdtemp(prefix="ick-widgets-bench."))
    seconds: dict[str, list[float]] = {kind: [] for kind in LOOPS}
    try:
        env = environment(tmp)
        for rep in range(args.reps):
            for kind in LOOPS:
                try:
                    seconds[kind].append(one_loop(ick, env, kind, args.iterations, args.timeout))
                except BenchError as exc:
                    sys.exit(f"error: {exc}")
            latest = {kind: round(values[-1], 2) for kind, values in seconds.items()}
            print(f"[bench] {rep + 1}/{args.reps}", latest, file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text, widget = (statistics.median(seconds[kind]) for kind in ("text", "widget"))
    print(f"{args.iterations} iterations, mininterval=0, until the prompt is back (medians):")
    print(f"  tqdm (text)        {text:.2f} s")
    print(f"  tqdm.auto (widget) {widget:.2f} s   x{widget / text:.2f} of text (target <= x1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
