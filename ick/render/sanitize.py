"""Strip terminal-controlling content from kernel-provided text.

Everything a kernel sends (streams, tracebacks, ``text/plain`` reprs, input
prompts, banners) is untrusted: a hostile or merely buggy kernel can emit
escape sequences that set the clipboard (OSC 52), retitle the window, plant
disguised hyperlinks, switch to the alternate screen, move the cursor over
our own UI, or make the terminal answer a query (``ESC[6n``, ``ESC[c``)
whose reply is then read back as if the user had typed it.  This module is
the single choke point that text passes through before reaching the
terminal, so getting it right here means the rest of the renderer never has
to think about it.

Policy: keep printable text, ``\\n``, ``\\t``, ``\\r`` and ``\\b`` and SGR
(colour/style) sequences; drop everything else that a terminal would
interpret.  Removal follows the DEC/ANSI parser model (what a real terminal
would consume as one sequence) so that hostile payloads never leak through
as stray visible text either.
"""

from __future__ import annotations

import re

__all__ = ["plain_text", "sanitize", "strip_colour"]

# Anything the slow path would change.  ``\b \t \n \r`` are kept verbatim, so
# text containing only those (plus printable characters) takes the fast path.
# Lone surrogates are included because they can arrive via JSON ``\ud800``
# escapes and would make a strict UTF-8 write to the terminal raise.
_NEEDS_WORK = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Man-page style overstrike, as R's help text comes (``_\bS`` underlined, ``S\bS`` bold):
# the character alone is what a terminal shows anyway, and what a file or pipe should get.
_OVERSTRIKE = re.compile(r"_\x08(?=[^\x08])|([^\x08])\x08(?=\1)")

# Bodies of the sequences, following the DEC/ECMA-48 parser model.  Final
# bytes are optional so that a sequence truncated at end of text is still
# removed rather than half-leaked.
_CSI_BODY = r"[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# xterm accepts BEL as OSC terminator.  ESC, CAN and SUB abort a string in
# real terminals, so stop there and let the next match judge what follows;
# with no terminator at all the rest of the text is swallowed, because a
# terminal would swallow it too.
_OSC_BODY = r"[^\x07\x18\x1a\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
# DCS, SOS, PM, APC (sixel, DECRQSS, kitty graphics, ...): only ST ends
# these; BEL is ordinary payload.
_STRING_BODY = r"[^\x18\x1a\x1b\x9c]*(?:\x1b\\|\x9c)?"

# SGR is the one sequence let through.  The narrow parameter set excludes
# private forms such as ``ESC[>4;1m`` (xterm modifyOtherKeys); the length cap
# keeps huge parameter lists away from the terminal's parser.
_SGR_AFTER_ESC = r"\[[0-9;:]{0,64}m"

_ESC_SEQUENCE = "".join(
    [
        rf"\x1b(?!{_SGR_AFTER_ESC})(?:",
        rf"\[{_CSI_BODY}",
        rf"|\]{_OSC_BODY}",
        rf"|[PX^_]{_STRING_BODY}",
        # ESC 7, ESC c, ESC =, ESC ( 0, ESC # 8, stray ST, or a lone ESC.
        r"|[\x20-\x2f]*[\x30-\x7e]?",
        ")",
    ]
)

_INTRODUCERS = {0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F}
# Every other C0 control (bar \b \t \n \r), DEL and C1 control, on its own.
_LONE_CONTROLS = [
    f"\\x{c:02x}"
    for c in [*range(0x00, 0x08), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
    if c not in _INTRODUCERS
]

# Every alternative deliberately starts with a single literal character (no
# character classes, no leading group): that lets the regex engine derive a
# first-character set and skip plain text in a tight C loop instead of
# trying every alternative at every position, which matters for megabytes
# of coloured output.  SGR is excluded by a lookahead rather than matched and
# re-inserted, so the substitution is a plain "" with no per-match callback.
_SEQUENCE = re.compile(
    "|".join(
        [
            _ESC_SEQUENCE,
            r"\x9b" + _CSI_BODY,
            r"\x9d" + _OSC_BODY,
            r"\x90" + _STRING_BODY,
            r"\x98" + _STRING_BODY,
            r"\x9e" + _STRING_BODY,
            r"\x9f" + _STRING_BODY,
            *_LONE_CONTROLS,
        ]
    )
)


def sanitize(text: str) -> str:
    """Return *text* with everything but printable text, ``\\n \\t \\r \\b``
    and SGR sequences removed.

    ``\\r\\n`` line endings (Octave) become ``\\n`` and backspace overstrike (R's
    help) becomes the plain character: a terminal would show the same, and
    files and pipes get clean text.

    Clean input is returned as the identical object, so the common case costs
    a single scan.
    """
    if _NEEDS_WORK.search(text) is not None:
        text = _SEQUENCE.sub("", text)
        if _SURROGATE.search(text) is not None:
            text = _SURROGATE.sub("\ufffd", text)
    # After the removals, which can bring a "\r" and a "\n" together.
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if "\x08" in text:
        text = _OVERSTRIKE.sub("", text)
    return text


_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def strip_colour(text: str) -> str:
    """Remove the SGR sequences :func:`sanitize` lets through, for streams that take no colour."""
    if "\x1b" not in text:
        return text
    return _SGR.sub("", text)


def plain_text(text: str) -> str:
    """Kernel text with no escapes at all: for what becomes code (completions, next input)."""
    return strip_colour(sanitize(text))
