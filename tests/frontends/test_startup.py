"""Start-up: the kernel's process is started before ick loads what the session needs.

Booting a kernel takes longer than anything ick does, so everything ick can do
while it boots is taken off the user's wait: asyncio, ZeroMQ, jupyter_client,
prompt_toolkit and rich are imported after the kernel process has started (the
start-up figures themselves are measured by benchmarks/, not here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pexpect

from tests.support.terminal import PROMPT, Terminal, kill_terminal

# Runs ick's real entry point, writing down which of these were loaded when the kernel was spawned.
RECORDING_ICK = """
import json, subprocess, sys
LOADED_LATER = ("asyncio", "zmq", "jupyter_client", "prompt_toolkit", "rich", "IPython")
record, sys.argv[1:] = sys.argv[1], sys.argv[2:]
popen_init = subprocess.Popen.__init__

def recording_init(self, args, *rest, **options):
    if "ipykernel_launcher" in " ".join(map(str, args)):
        with open(record, "a") as file:
            file.write(json.dumps([m for m in LOADED_LATER if m in sys.modules]) + "\\n")
    popen_init(self, args, *rest, **options)

subprocess.Popen.__init__ = recording_init
from ick.cli import main
raise SystemExit(main())
"""


def recorded(record: Path) -> list[list[str]]:
    return [json.loads(line) for line in record.read_text().splitlines()]


def test_the_repls_kernel_starts_before_ick_loads_its_session(tmp_path, ick_env):
    script, record = tmp_path / "recording_ick.py", tmp_path / "loaded.jsonl"
    script.write_text(RECORDING_ICK)
    child = pexpect.spawn(
        sys.executable,
        [str(script), str(record)],
        env=ick_env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(40, 120),
    )
    term = Terminal(child)
    try:
        term.expect(PROMPT.format(1))
        term.enter("1 + 1")
        term.expect(r"Out\[1\]: 2")
        term.expect(PROMPT.format(2))
        child.sendeof()
        assert term.wait_exit() == 0
    finally:
        kill_terminal(term)
    assert recorded(record) == [[]]


def test_a_scripts_kernel_starts_before_ick_loads_its_runner(tmp_path, ick_env):
    script, record = tmp_path / "recording_ick.py", tmp_path / "loaded.jsonl"
    script.write_text(RECORDING_ICK)
    result = subprocess.run(
        [sys.executable, str(script), str(record), "-c", "print(6 * 7)"],
        capture_output=True,
        text=True,
        env=ick_env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (0, "42\n"), result.stderr
    assert recorded(record) == [[]]
