"""README's picture is regenerable: scripts/screenshot records a real session into an SVG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "screenshot"


@pytest.mark.slow
def test_the_screenshot_script_records_a_real_session(tmp_path: Path):
    out = tmp_path / "session.svg"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=110,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    # The DataFrame, the Markdown, the plot as character art, the traceback, and the status
    # line under the last prompt.
    for shown in ("Quito", "Rainiest", "▀", "ZeroDivisionError", "idle"):
        assert shown in svg, f"{shown!r} is not in the picture"
