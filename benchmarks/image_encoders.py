#!/usr/bin/env python3
"""Image encoder benchmark: a 640x480 plot PNG encoded to each protocol ick draws with.

The plot is made with matplotlib when it is installed (a line plot with a grid,
title and legend, saved at 100 dpi as 640x480 PNG, as a notebook would send
it), otherwise drawn with Pillow to look alike: axes, grid, two anti-aliased
curves and text on white.  Each protocol is timed from the PNG's bytes to the
string written to the terminal, as ick does it when the image fits the screen:

  kitty   the PNG as it is, base64 in 4096-byte APC chunks
  iterm   the PNG as it is, base64 in one OSC 1337
  sixel   Pillow decode + quantise to <= 256 colours + sixel encode
  blocks  Pillow decode + half-block character art rendered by rich (80 columns)

The decode is included for sixel and blocks (it is part of what the user waits
for) and excluded for kitty and iterm, which need none.  Times are CPU time
(``process_time``), min and median of ``--reps`` runs, so that a loaded
machine moves them less.

``--baseline DIR`` measures the sixel encoder of another ick source tree (a
worktree of an earlier commit, say) beside this one, the two taking turns rep
by rep so that the machine's drift hits both alike, and prints before/after
bytes and times.  Only sixel is compared: kitty and iTerm2 send the kernel's
PNG as it is, and character art is drawn by rich.

    python benchmarks/image_encoders.py [--reps 20] [--png plot.png] [--json out.json]
    python benchmarks/image_encoders.py --baseline ../ick-before
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageDraw
from rich.console import Console

from ick.render.images.blocks import HalfBlockImage
from ick.render.images.decode import open_image
from ick.render.images.geometry import DEFAULT_CELL_SIZE
from ick.render.images.iterm import iterm_sequence
from ick.render.images.kitty import kitty_sequence
from ick.render.images.sixel import sixel_sequence

SIZE = (640, 480)


def matplotlib_plot() -> bytes | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    figure, axes = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    xs = [i / 50 for i in range(501)]
    axes.plot(xs, [math.sin(x) for x in xs], label="sin")
    axes.plot(xs, [math.cos(x) * 0.8 for x in xs], label="0.8 cos")
    axes.set_title("a 640x480 plot")
    axes.grid(True)
    axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def pillow_plot() -> bytes:
    """A plot-like image: drawn at twice the size and reduced, for anti-aliased edges."""
    scale = 2
    image = Image.new("RGB", (SIZE[0] * scale, SIZE[1] * scale), "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 80 * scale, 60 * scale, 580 * scale, 420 * scale
    for step in range(11):
        x = left + (right - left) * step // 10
        y = top + (bottom - top) * step // 10
        draw.line([(x, top), (x, bottom)], fill=(176, 176, 176), width=scale)
        draw.line([(left, y), (right, y)], fill=(176, 176, 176), width=scale)
        draw.text((x - 8, bottom + 10), f"{step}", fill="black")
    draw.rectangle([left, top, right, bottom], outline="black", width=2 * scale)
    for colour, phase in (((31, 119, 180), 0.0), ((255, 127, 14), math.pi / 2)):
        points = [
            (
                left + (right - left) * i / 500,
                (top + bottom) / 2 - (bottom - top) * 0.4 * math.sin(i / 50 + phase),
            )
            for i in range(501)
        ]
        draw.line(points, fill=colour, width=3 * scale, joint="curve")
    draw.text((SIZE[0] * scale // 2 - 60, 20 * scale), "a 640x480 plot", fill="black")
    buffer = io.BytesIO()
    image.resize(SIZE, Image.Resampling.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def blocks(png: bytes) -> str:
    console = Console(
        file=io.StringIO(), width=80, height=40, color_system="truecolor", force_terminal=True
    )
    with console.capture() as capture:
        console.print(HalfBlockImage(open_image(png), {}, DEFAULT_CELL_SIZE))
    return capture.get()


def measure(encode: Callable[[bytes], str], png: bytes, reps: int) -> dict[str, float | int]:
    encode(png)  # warm-up: imports, tables
    samples = []
    size = 0
    for _ in range(reps):
        started = time.process_time()
        size = len(encode(png))
        samples.append(time.process_time() - started)
    return {
        "min_ms": min(samples) * 1000,
        "median_ms": statistics.median(samples) * 1000,
        "bytes": size,
    }


def sixel_module_of(tree: Path) -> ModuleType:
    """The sixel encoder of another ick source tree, loaded beside this one's."""
    path = tree / "ick" / "render" / "images" / "sixel.py"
    spec = importlib.util.spec_from_file_location("baseline_sixel", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise SystemExit(f"image_encoders: no sixel encoder at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare_sixel(png: bytes, baseline: ModuleType, reps: int) -> dict[str, dict[str, float | int]]:
    """This tree's sixel encoder and the baseline's on the same PNG, taking turns rep by rep."""
    encoders: dict[str, Callable[[bytes], str]] = {
        "before": lambda data: baseline.sixel_sequence(open_image(data)),
        "after": lambda data: sixel_sequence(open_image(data)),
    }
    samples: dict[str, list[float]] = {name: [] for name in encoders}
    sizes = {name: len(encode(png)) for name, encode in encoders.items()}  # warm-up too
    for _ in range(reps):
        for name, encode in encoders.items():
            started = time.process_time()
            encode(png)
            samples[name].append(time.process_time() - started)
    return {
        name: {
            "min_ms": min(samples[name]) * 1000,
            "median_ms": statistics.median(samples[name]) * 1000,
            "bytes": sizes[name],
        }
        for name in encoders
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--png", type=Path, help="encode this PNG instead of a made-up plot")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="another ick source tree whose sixel encoder is measured beside this one's",
    )
    args = parser.parse_args()

    if args.png:
        png, source = args.png.read_bytes(), str(args.png)
    else:
        made = matplotlib_plot()
        png, source = (made, "matplotlib") if made else (pillow_plot(), "Pillow drawing")
    image = open_image(png)
    print(f"image: {image.width}x{image.height} {image.mode}, {len(png)} bytes PNG ({source})")

    encoders: dict[str, Callable[[bytes], str]] = {
        "kitty": kitty_sequence,
        "iterm": iterm_sequence,
        "sixel": lambda data: sixel_sequence(open_image(data)),
        "blocks": blocks,
    }
    results = {name: measure(encode, png, args.reps) for name, encode in encoders.items()}
    print(f"{'protocol':<8} {'min ms':>8} {'median ms':>10} {'output bytes':>13}")
    for name, result in results.items():
        print(
            f"{name:<8} {result['min_ms']:>8.1f} {result['median_ms']:>10.1f} "
            f"{result['bytes']:>13,}"
        )
    figures: dict[str, object] = {"source": source, "results": results}
    if args.baseline:
        compared = compare_sixel(png, sixel_module_of(args.baseline), args.reps)
        before, after = compared["before"], compared["after"]
        print(f"\nsixel, before ({args.baseline}) and after, taking turns:")
        print(f"{'':<8} {'min ms':>8} {'median ms':>10} {'output bytes':>13}")
        for name, result in compared.items():
            print(
                f"{name:<8} {result['min_ms']:>8.1f} {result['median_ms']:>10.1f} "
                f"{result['bytes']:>13,}"
            )
        print(
            f"{'after/before':<8} {after['min_ms'] / before['min_ms']:>8.2f} "
            f"{after['median_ms'] / before['median_ms']:>10.2f} "
            f"{after['bytes'] / before['bytes']:>13.3f}"
        )
        figures["sixel_compared"] = {"baseline": str(args.baseline), **compared}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
