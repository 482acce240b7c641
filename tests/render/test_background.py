"""The terminal's background colour (OSC 11) and the theme chosen from it."""

from __future__ import annotations

import pytest

from ick.frontends.repl.theme import resolve_theme, theme_for_background, theme_from_colorfgbg
from ick.render.capabilities import supports_window_title
from ick.render.probe import parse_background_reply


@pytest.mark.parametrize(
    ("reply", "rgb"),
    [
        (b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", (1.0, 1.0, 1.0)),
        (b"\x1b]11;rgb:00/00/00\x07\x1b[?1;2c", (0.0, 0.0, 0.0)),
        (b"\x1b]11;rgb:8080/0000/ffff\x1b\\", (0x8080 / 0xFFFF, 0.0, 1.0)),
        (b"\x1b[?62;22c", None),  # the terminal answered DA1 only: no OSC 11 there
        (b"", None),
    ],
)
def test_the_reply_is_read_whatever_the_digits(reply, rgb):
    assert parse_background_reply(reply) == rgb


def test_light_and_dark_backgrounds():
    assert theme_for_background((1.0, 1.0, 0.9)) == "light"
    assert theme_for_background((0.1, 0.1, 0.15)) == "dark"
    assert theme_from_colorfgbg("0;15") == "light"
    assert theme_from_colorfgbg("15;0") == "dark"
    assert theme_from_colorfgbg("default") is None


def test_an_explicit_theme_wins_over_the_terminals_background():
    assert resolve_theme("light", {}, (0.0, 0.0, 0.0)) == "light"
    assert resolve_theme("dark", {}, (1.0, 1.0, 1.0)) == "dark"
    assert resolve_theme("auto", {}, (1.0, 1.0, 1.0)) == "light"
    assert resolve_theme("auto", {"COLORFGBG": "0;15"}, None) == "light"
    assert resolve_theme("auto", {}, None) == "dark"


def test_no_window_title_on_plain_terminals():
    assert supports_window_title({"TERM": "xterm-256color"}, stdout_is_tty=True)
    assert not supports_window_title({"TERM": "xterm-256color"}, stdout_is_tty=False)
    for term in ("dumb", "linux", ""):
        assert not supports_window_title({"TERM": term}, stdout_is_tty=True)
