"""Terminal capabilities: decided once from the environment and the streams."""

from __future__ import annotations

import io

from ick.render.capabilities import TerminalCapabilities


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def detect(env: dict[str, str], tty: bool = True, color: str = "auto") -> TerminalCapabilities:
    stream = FakeTty() if tty else io.StringIO()
    return TerminalCapabilities.detect(
        env=env, stdin=stream, stdout=stream, stderr=stream, color=color
    )


def test_colour_depth_follows_the_environment():
    assert detect({"TERM": "xterm"}).color_system == "standard"
    assert detect({"TERM": "xterm-256color"}).color_system == "256"
    assert detect({"TERM": "xterm", "COLORTERM": "truecolor"}).color_system == "truecolor"


def test_no_colour_when_not_a_terminal_or_asked_not_to():
    assert detect({"TERM": "xterm-256color"}, tty=False).color_system is None
    assert detect({"TERM": "xterm-256color", "NO_COLOR": "1"}).color_system is None
    assert detect({"TERM": "dumb"}).color_system is None


def test_interactive_needs_both_streams_on_a_terminal():
    assert detect({}).interactive
    assert not detect({}, tty=False).interactive


def test_color_option_overrides_detection():
    assert detect({"TERM": "xterm"}, tty=False, color="always").color_system == "standard"
    assert detect({"TERM": "xterm"}, tty=False, color="always").stderr_color
    assert detect({"TERM": "xterm"}, color="never").color_system is None
    assert not detect({"TERM": "xterm"}, color="never").stderr_color


def test_stderr_colour_is_decided_on_its_own():
    caps = TerminalCapabilities.detect(
        env={"TERM": "xterm"}, stdin=FakeTty(), stdout=io.StringIO(), stderr=FakeTty()
    )
    assert caps.color_system is None and caps.stderr_color
