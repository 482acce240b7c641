"""Terminal capabilities: decided once from the environment and the streams."""

from __future__ import annotations

import io

from ick.render.capabilities import TerminalCapabilities, choose_graphics
from ick.render.environment import Environment
from ick.render.probe import TerminalReplies


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def detect(env: dict[str, str], tty: bool = True, color: str = "auto") -> TerminalCapabilities:
    stream = FakeTty() if tty else io.StringIO()
    return Environment.of(
        variables=env,
        stdin=stream,
        stdout=stream,
        stderr=stream,
        color=color,  # type: ignore[arg-type]
    ).capabilities


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
    caps = Environment.of(
        variables={"TERM": "xterm"}, stdin=FakeTty(), stdout=io.StringIO(), stderr=FakeTty()
    ).capabilities
    assert caps.color_system is None and caps.stderr_color


# -- images --------------------------------------------------------------------------------

KITTY = TerminalReplies(True, True, "kitty(0.26.5)", (62,))
XTERM_VT340 = TerminalReplies(True, False, "XTerm(379)", (63, 1, 2, 4, 6, 9, 15, 16, 22, 28))
XTERM_VT420 = TerminalReplies(True, False, "XTerm(379)", (64, 1, 2, 6, 9, 15, 16, 17, 18, 21))
MLTERM = TerminalReplies(True, False, "", (63, 1, 2, 3, 4, 6, 7, 15, 18, 22, 29))
TMUX_33 = TerminalReplies(True, False, "tmux 3.3a", (1, 2))
TMUX_SIXEL = TerminalReplies(True, False, "tmux 3.4", (62, 4))
SILENT = TerminalReplies()


def graphics(env: dict[str, str], replies: TerminalReplies | None = None, images="auto"):
    return choose_graphics(images, env, True, "truecolor", replies)[0]


def test_the_terminal_s_answers_decide():
    env = {"TERM": "xterm-256color"}
    assert graphics(env, KITTY) == "kitty"
    assert graphics(env, XTERM_VT340) == "sixel"
    assert graphics(env, XTERM_VT420) == "blocks"
    assert graphics(env, MLTERM) == "sixel"
    assert graphics(env, TerminalReplies(True, False, "mlterm(3.9.0)", (62,))) == "iterm"
    assert graphics(env, TerminalReplies(True, True, "WezTerm 20240203", (65, 4))) == "iterm"


def test_the_environment_decides_when_the_terminal_names_itself_or_is_silent():
    assert graphics({"TERM": "xterm-kitty"}) == "kitty"
    assert graphics({"TERM_PROGRAM": "iTerm.app"}) == "iterm"
    assert graphics({"LC_TERMINAL": "iTerm2"}) == "iterm"
    assert graphics({"TERM": "xterm", "KITTY_WINDOW_ID": "1"}, SILENT) == "kitty"
    assert graphics({"TERM": "mlterm"}, SILENT) == "sixel"
    assert graphics({"TERM": "xterm-256color"}, SILENT) == "blocks"


def test_multiplexers_get_character_art_unless_they_draw_sixel_or_the_user_opts_in():
    tmux = {"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "1"}
    assert graphics(tmux, TMUX_33) == "blocks"
    assert graphics(tmux, TMUX_SIXEL) == "sixel"
    assert choose_graphics("auto", tmux, True, "truecolor", TMUX_SIXEL)[1] is None
    assert choose_graphics("kitty", tmux, True, "truecolor", TMUX_33)[:2] == ("kitty", "tmux")
    screen = {"TERM": "screen", "STY": "1.pts-0"}
    assert graphics(screen, SILENT) == "blocks"
    assert choose_graphics("sixel", screen, True, "truecolor", SILENT)[:2] == ("sixel", "screen")


def test_an_explicit_choice_wins_but_never_draws_into_a_pipe():
    env = {"TERM": "xterm-kitty"}
    assert graphics(env, KITTY, images="sixel") == "sixel"
    assert graphics(env, KITTY, images="blocks") == "blocks"
    assert graphics(env, KITTY, images="none") == "none"
    assert choose_graphics("kitty", env, False, None, KITTY)[0] == "none"
    assert choose_graphics("auto", {"TERM": "dumb"}, True, None, None)[0] == "none"
    assert choose_graphics("auto", {"TERM": "xterm"}, True, None, XTERM_VT340)[0] == "none"


def test_detect_takes_the_images_option_and_probes_only_when_it_helps():
    tty = FakeTty()
    caps = Environment.of(
        variables={"TERM": "xterm-kitty"}, stdin=tty, stdout=tty, stderr=tty, images="auto"
    ).capabilities
    assert caps.graphics == "kitty" and caps.decided_by_environment
    caps = Environment.of(
        variables={"TERM": "xterm-256color"}, stdin=tty, stdout=tty, stderr=tty, images="auto"
    ).capabilities
    assert caps.wants_probe()
    assert caps.with_replies(XTERM_VT340, env={"TERM": "xterm-256color"}).graphics == "sixel"
    forced = Environment.of(
        variables={}, stdin=tty, stdout=tty, stderr=tty, images="none"
    ).capabilities
    assert forced.graphics == "none" and not forced.wants_probe()
