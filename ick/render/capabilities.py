"""What the terminal can do, detected once and consulted by everything else.

Like httpie's ``Environment``: one object says whether the streams are
terminals, how many colours they take and how images are drawn, so that no
renderer probes the terminal on its own.

Images: an explicit choice (``--images``, ``ICK_IMAGES``) wins; no graphics
ever go to something that is not a terminal; then the environment, when it
names the terminal for sure; then the terminal's own answers to the start-up
probe (:mod:`ick.render.probe`); then the environment's weaker hints.  Inside
tmux or screen, pixels vanish on the multiplexer's next redraw, so character
art is drawn unless the multiplexer itself draws sixel or the user asks for a
protocol (then it is wrapped for passthrough).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, get_args

from ick.render.images.geometry import DEFAULT_CELL_SIZE, CellSize
from ick.render.probe import TerminalReplies, window_size

ColorSystem = Literal["standard", "256", "truecolor"]
ColorChoice = Literal["auto", "always", "never"]
Graphics = Literal["kitty", "iterm", "sixel", "blocks", "none"]
"""How images are drawn: a pixel protocol, half-block character art, or not at all."""
ImagesChoice = Literal["auto", "kitty", "iterm", "sixel", "blocks", "none"]
IMAGES_CHOICES: tuple[str, ...] = get_args(ImagesChoice)
Multiplexer = Literal["tmux", "screen"]
PIXEL_PROTOCOLS: tuple[Graphics, ...] = ("kitty", "iterm", "sixel")


@dataclass(frozen=True)
class TerminalCapabilities:
    stdin_is_tty: bool
    stdout_is_tty: bool
    color_system: ColorSystem | None
    """Colour on stdout; ``None`` means none (not a terminal, ``NO_COLOR``, ``TERM=dumb``)."""
    stderr_color: bool = False
    """Whether stderr takes colour: it can be a terminal while stdout is a pipe, or not."""
    graphics: Graphics = "none"
    images: ImagesChoice = "auto"
    """What the user asked for; ``graphics`` is what was decided."""
    multiplexer: Multiplexer | None = None
    passthrough: Multiplexer | None = None
    """Set when graphics must be wrapped to pass through tmux or screen (the user opted in)."""
    decided_by_environment: bool = False
    probed_cell_size: CellSize | None = None
    """The terminal's answer to ``CSI 16 t`` (or 14t), for ttys that report no pixel size."""
    typeahead: str = ""
    """What the user typed while the probe read the terminal, for the first prompt."""
    background: tuple[float, float, float] | None = None
    """The terminal's background colour, as it answered the probe (for the REPL's theme)."""
    window_fd: int | None = None
    """The terminal's descriptor, asked for the window's size in pixels when images are drawn."""

    @property
    def draws_images(self) -> bool:
        return self.graphics != "none"

    def cell_size(self) -> CellSize:
        """A cell's pixel size: the tty's (current, so resizes count), the probe's, or 10x20."""
        size = window_size(self.window_fd) if self.window_fd is not None else None
        if size is not None:
            rows, columns, pixel_width, pixel_height = size
            if rows and columns and pixel_width >= columns and pixel_height >= rows:
                return CellSize(pixel_width // columns, pixel_height // rows)
        return self.probed_cell_size or DEFAULT_CELL_SIZE

    def wants_probe(self, *, background: bool = False) -> bool:
        """Whether the start-up probe can tell more than the environment did;
        ``background``: the front end wants the background colour (the REPL's theme)."""
        if not self.interactive:
            return False
        if background and self.multiplexer is None:
            return True
        if self.images == "none" or self.graphics == "none":
            return False
        if self.images == "auto" and not self.decided_by_environment:
            return True
        # A protocol is known; the probe can still give the cell size the tty does not.
        return self.graphics in PIXEL_PROTOCOLS and self.cell_size() == DEFAULT_CELL_SIZE

    def with_replies(
        self, replies: TerminalReplies, env: Mapping[str, str]
    ) -> TerminalCapabilities:
        """These capabilities, decided again with the terminal's own answers."""
        graphics, passthrough, _ = choose_graphics(
            self.images, env, self.stdout_is_tty, self.color_system, replies
        )
        return replace(
            self,
            graphics=graphics,
            passthrough=passthrough,
            probed_cell_size=replies.cell_size,
            typeahead=replies.typeahead,
            background=replies.background,
        )

    @property
    def interactive(self) -> bool:
        return self.stdin_is_tty and self.stdout_is_tty

    @staticmethod
    def width(default: int = 80) -> int:
        """The current width: it changes when the window is resized, so it is never cached."""
        return shutil.get_terminal_size((default, 24)).columns

    @classmethod
    def detect(
        cls,
        *,
        variables: Mapping[str, str],
        stdin_is_tty: bool,
        stdout_is_tty: bool,
        stderr_is_tty: bool,
        window_fd: int | None = None,
        color: ColorChoice = "auto",
        images: ImagesChoice = "auto",
    ) -> TerminalCapabilities:
        """Read the capabilities from the environment; ``color`` is ``--color``'s choice,
        ``images`` that of ``--images``.  The terminal's own say comes from the start-up
        probe (:meth:`with_replies`)."""
        env = variables
        term = env.get("TERM", "")
        refused = "NO_COLOR" in env or term == "dumb"
        if color == "always":
            stdout_color, stderr_color = True, True
        elif color == "never":
            stdout_color, stderr_color = False, False
        else:
            stdout_color = stdout_is_tty and not refused
            stderr_color = stderr_is_tty and not refused
        color_system: ColorSystem | None
        if not stdout_color:
            color_system = None
        elif env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
            color_system = "truecolor"
        elif "256" in term:
            color_system = "256"
        else:
            color_system = "standard"
        graphics, passthrough, by_environment = choose_graphics(
            images, env, stdout_is_tty, color_system, None
        )
        return cls(
            stdin_is_tty,
            stdout_is_tty,
            color_system,
            stderr_color,
            graphics=graphics,
            images=images,
            multiplexer=multiplexer_of(env),
            passthrough=passthrough,
            decided_by_environment=by_environment,
            window_fd=window_fd if stdout_is_tty else None,
        )


def multiplexer_of(env: Mapping[str, str]) -> Multiplexer | None:
    term = env.get("TERM", "")
    if env.get("TMUX") or term.startswith("tmux"):
        return "tmux"
    if env.get("STY") or term.startswith("screen"):
        return "screen"
    return None


def terminal_named_by(env: Mapping[str, str]) -> Graphics | None:
    """The protocol of a terminal that names itself in variables it sets (and ssh keeps)."""
    if env.get("TERM") == "xterm-kitty" or env.get("TERM_PROGRAM", "").lower() == "ghostty":
        return "kitty"
    if env.get("TERM_PROGRAM") in ("iTerm.app", "WezTerm") or env.get("LC_TERMINAL") == "iTerm2":
        return "iterm"
    return None


def terminal_hinted_by(env: Mapping[str, str]) -> Graphics:
    """A guess from weaker hints, when the terminal did not answer the probe."""
    if env.get("KITTY_WINDOW_ID"):
        return "kitty"
    if env.get("WEZTERM_EXECUTABLE"):
        return "iterm"
    if env.get("TERM", "").startswith(("mlterm", "foot")):
        return "sixel"
    return "blocks"


def terminal_answered(replies: TerminalReplies, env: Mapping[str, str]) -> Graphics:
    """The protocol a terminal's replies show, best first."""
    name = replies.version.lower()
    # WezTerm and Konsole answer kitty's query but draw its protocol only in part.
    if replies.kitty_graphics and not any(n in name for n in ("wezterm", "konsole")):
        return "kitty"
    if any(n in name for n in ("iterm2", "wezterm")) or terminal_named_by(env) == "iterm":
        return "iterm"
    if replies.sixel:
        return "sixel"
    if any(n in name for n in ("mlterm", "konsole")):
        return "iterm"
    return "blocks"


def choose_graphics(
    images: ImagesChoice,
    env: Mapping[str, str],
    stdout_is_tty: bool,
    color_system: ColorSystem | None,
    replies: TerminalReplies | None,
) -> tuple[Graphics, Multiplexer | None, bool]:
    """How images are drawn, whether they pass through a multiplexer, and whether the
    environment alone decided it (so that no probe is needed)."""
    if not stdout_is_tty or images == "none":
        return "none", None, True
    multiplexer = multiplexer_of(env)
    if images in PIXEL_PROTOCOLS:
        # Opting in inside a multiplexer means passthrough, unless it draws sixel itself.
        native = images == "sixel" and replies is not None and replies.sixel
        return images, None if native else multiplexer, True
    if images == "blocks":
        return "blocks", None, True
    if env.get("TERM", "") in ("dumb", "linux") or color_system is None:
        return "none", None, True
    if multiplexer is not None:
        # Its own DA1 says whether it keeps sixel images in its grid (tmux >= 3.4 built so).
        return ("sixel" if replies is not None and replies.sixel else "blocks"), None, False
    named = terminal_named_by(env)
    if named is not None:
        return named, None, True
    if replies is not None and replies.answered:
        return terminal_answered(replies, env), None, False
    return terminal_hinted_by(env), None, False


#: TERM values of terminals that take no OSC/XTWINOPS sequences at all.
_PLAIN_TERMS = frozenset({"", "dumb", "linux"})


def supports_window_title(env: Mapping[str, str], *, stdout_is_tty: bool) -> bool:
    """Whether setting (and pushing/popping) the window title is safe: a real, capable terminal."""
    return env.get("TERM", "") not in _PLAIN_TERMS and stdout_is_tty
