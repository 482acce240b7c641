"""The real ``ick`` command in a pseudo-terminal, read as text a user sees.

:class:`Terminal` matches regular expressions against what the user would read: the pty
output with escape sequences removed.  The REPL's prompt pattern is defined here, once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import psutil

#: The REPL's input prompt for execution count ``n``: ``PROMPT.format(3)`` (the count may be a
#: pattern: ``PROMPT.format(r"\d+")``).  prompt_toolkit redraws the prompt it accepts, so a
#: prompt alone also matches the input just run: WAITING_PROMPT is one that is the last thing
#: on screen, waiting for input.
PROMPT = r"In \[{}\]: "
ANY_PROMPT = PROMPT.format(r"\d+")
WAITING_PROMPT = ANY_PROMPT.rstrip() + r"\s*\Z"
CONTINUATION = r"\.\.\.:\s*\Z"

# The ick installed beside this interpreter, so that tests never pick up another installation.
_SCRIPT = Path(sys.executable).parent / "ick"
ICK = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "ick"]

# The kernels scripts/setup-dev installs for this checkout (see README), found by the ick the
# tests spawn because its environment puts them on JUPYTER_PATH.
PROJECT_KERNELS = Path(__file__).resolve().parents[2] / ".kernels" / "share" / "jupyter"

# CSI, OSC, DCS/APC strings (ick's terminal probe, images) and two-character escapes,
# as prompt_toolkit, rich and ick emit them.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P_][^\x1b]*\x1b\\"
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


def visible(raw: str) -> str:
    """What a user reads of raw terminal output, roughly: no escapes, no carriage returns."""
    return _ESCAPES.sub("", raw).replace("\r", "")


class Terminal:
    """A running ``ick`` in a pty, read as text a user sees."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.raw = ""
        self.text = ""
        self._pos = 0
        self._cpr_answered = 0

    def _read(self, timeout: float) -> None:
        try:
            chunk = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        self.raw += chunk
        self.text = visible(self.raw)

    def expect(self, pattern: str, timeout: float = 20.0) -> re.Match[str]:
        """Wait for ``pattern`` in the visible output after the previous match."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = compiled.search(self.text, self._pos)
            if match:
                self._pos = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = self.text[-1500:]
                raise AssertionError(f"{pattern!r} not seen in {timeout:g} s; screen ends:\n{tail}")
            try:
                self._read(min(remaining, 0.5))
            except pexpect.EOF:
                match = compiled.search(self.text, self._pos)
                if match:
                    self._pos = match.end()
                    return match
                raise AssertionError(
                    f"ick exited before {pattern!r}; output:\n{self.text[-1500:]}"
                ) from None

    def drain(self, pattern: str, timeout: float = 60.0, keep: int = 65536) -> int:
        """Read a flood of output until ``pattern`` shows in its tail; return the bytes read.

        Only the last ``keep`` characters are kept (and searched), so that
        megabytes of output cost linear time; :meth:`expect` goes on from there
        (and ``raw`` holds only that tail).
        """
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        total = 0
        tail = self.text[self._pos :]
        while not compiled.search(visible(tail)):
            if time.monotonic() > deadline:
                shown = visible(tail)[-1500:]
                raise AssertionError(f"{pattern!r} not seen in {timeout:g} s:\n{shown}")
            try:
                chunk = self.child.read_nonblocking(1 << 20, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            total += len(chunk)
            tail = (tail + chunk)[-keep:]
        self.raw, self.text, self._pos = tail, visible(tail), 0
        return total

    def read_available(self, timeout: float = 0.5) -> str:
        """What is shown after the previous match, once what arrives within ``timeout`` is in."""
        self._read(timeout)
        return self.text[self._pos :]

    def forget(self) -> None:
        """Drop what was read so far, so that the next checks look only at new output."""
        self.raw, self.text, self._pos = "", "", 0

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def wait_until_prompt_gone(self, timeout: float = 5.0) -> None:
        """Wait until no prompt owns the keyboard: the terminal is back in cooked mode.

        ick sends an execution before its prompt has tidied itself away, so a
        kernel can have the request while Ctrl-C would still be read as a key.
        The master side of a pty reports the line discipline's settings.
        """
        deadline = time.monotonic() + timeout
        while not termios.tcgetattr(self.child.child_fd)[3] & termios.ISIG:
            assert time.monotonic() < deadline, "the prompt still owns the keyboard"
            self._read(0.01)

    def read_until(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        """Raw output from now on, read until ``predicate(raw)`` holds (for what the visible
        text cannot show: colours, a suggestion drawn in grey)."""
        mark = len(self.raw)
        deadline = time.monotonic() + timeout
        while not predicate(self.raw[mark:]):
            assert time.monotonic() < deadline, f"not seen; raw output:\n{self.raw[mark:]!r}"
            self._read(0.2)
        return self.raw[mark:]

    def expect_answering_cpr(self, pattern: str, timeout: float = 20.0) -> None:
        """:meth:`expect`, answering cursor position requests as a terminal would.

        prompt_toolkit draws a bottom toolbar only once it knows the rows below
        the cursor, which it learns from the answer to ``CSI 6 n``.
        """
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while not (match := compiled.search(self.text, self._pos)):
            shown = self.text[-1500:]
            assert time.monotonic() < deadline, f"{pattern!r} not seen; screen:\n{shown}"
            self._read(0.2)
            asked = self.raw.count("\x1b[6n")
            for _ in range(asked - self._cpr_answered):
                self.send("\x1b[1;1R")
            self._cpr_answered = asked
        self._pos = match.end()

    def enter(self, line: str) -> None:
        """Type ``line`` and press Enter (a carriage return, as a terminal sends it)."""
        self.child.send(line + "\r")

    def wait_exit(self, timeout: float = 20.0) -> int:
        """Read until ick closes the terminal; return its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self._read(0.2)
            except pexpect.EOF:
                break
        else:
            raise AssertionError(f"ick did not exit in {timeout:g} s:\n{self.text[-1500:]}")
        self.child.wait()
        status = self.child.exitstatus
        assert status is not None, f"ick was killed by signal {self.child.signalstatus}"
        return status

    def kernel_processes(self) -> list[psutil.Process]:
        """The ick process's children: the kernels it started."""
        return psutil.Process(self.child.pid).children(recursive=True)


def make_env(folder: Path) -> dict[str, str]:
    """An environment with private data/config folders under ``folder`` and no CPR wait."""
    env = dict(os.environ)
    env.update(
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        TERM="xterm-256color",
        PROMPT_TOOLKIT_NO_CPR="1",
        PYTHONUNBUFFERED="1",
        # Long documentation is paged: cat shows it on the terminal, where a test reads it.
        PAGER="cat",
        JUPYTER_PATH=os.pathsep.join(
            path for path in (str(PROJECT_KERNELS), os.environ.get("JUPYTER_PATH")) if path
        ),
    )
    env.pop("NO_COLOR", None)
    return env


def write_config(env: dict[str, str], text: str) -> Path:
    """ick's config file in ``env``'s private config folder (see :func:`make_env`)."""
    path = Path(env["XDG_CONFIG_HOME"]) / "ick" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_ick(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """ick run to the end without a controlling terminal, as a CI job or a cron script would;
    ``stdin`` is what it reads, else nothing."""
    return subprocess.run(
        [*ICK, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
        env=env,
    )


def spawn_terminal(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Terminal:
    """Start ``ick ARGS`` in a 40×120 pty."""
    child = pexpect.spawn(
        ICK[0],
        [*ICK[1:], *args],
        env=env,
        cwd=cwd,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(40, 120),
    )
    child.delaybeforesend = None
    return Terminal(child)


def kill_terminal(term: Terminal) -> None:
    """End an ick session and the kernels it started, whatever state it is in."""
    if term.child.isalive():
        kernels = term.kernel_processes()
        term.child.terminate(force=True)
        for proc in kernels:
            if proc.is_running():
                proc.kill()
