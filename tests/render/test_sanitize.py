"""Tests for ick.render.sanitize: kernel output must never drive the terminal."""

from __future__ import annotations

import random
import re

import pytest

from ick.render.sanitize import sanitize

ESC = "\x1b"
ST = "\x1b\\"

# Everything sanitize may emit besides printable text is \n \t \r \b and SGR.
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_FORBIDDEN = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    "sgr",
    [
        "\x1b[m",
        "\x1b[0m",
        "\x1b[1m",
        "\x1b[1;31m",
        "\x1b[38;5;208m",
        "\x1b[48;2;10;20;30m",
        "\x1b[38:2::255:0:0m",
        "\x1b[4:3m",
        "\x1b[" + "1" * 64 + "m",  # exactly at the length cap
    ],
)
def test_sgr_kept_exactly(sgr: str) -> None:
    text = f"a{sgr}b{sgr}"
    assert sanitize(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[31mred\x1b[0m plain \x1b[1;4mbold\x1b[m",
        "\x1b[31m\x1b[32m\x1b[33m",
    ],
)
def test_sgr_runs_kept(text: str) -> None:
    assert sanitize(text) == text


@pytest.mark.parametrize(
    "seq",
    [
        "\x1b[" + "1;" * 40 + "m",
        "\x1b[" + "1" * 65 + "m",
    ],
)
def test_overlong_sgr_dropped(seq: str) -> None:
    assert sanitize(f"a{seq}b") == "ab"


@pytest.mark.parametrize(
    "seq",
    [
        # Not SGR despite the final "m": private markers / intermediates.
        "\x1b[>4;1m",
        "\x1b[?1m",
        "\x1b[1 m",
        # Queries whose replies would be injected as input.
        "\x1b[6n",
        "\x1b[5n",
        "\x1b[c",
        "\x1b[0c",
        "\x1b[>c",
        "\x1b[=c",
        "\x1b[>q",
        "\x1b[14t",
        "\x1b[18t",
        # Cursor movement, erase, scroll region, modes.
        "\x1b[2J",
        "\x1b[3J",
        "\x1b[K",
        "\x1b[10;10H",
        "\x1b[H",
        "\x1b[5A",
        "\x1b[1;24r",
        "\x1b[?1049h",
        "\x1b[?25l",
        "\x1b[?1000h",
        "\x1b[?2004l",
        "\x1b[4h",
        "\x1b[!p",
        "\x1b[2 q",
        # 8-bit CSI, including an 8-bit SGR (not allowed through either).
        "\x9b6n",
        "\x9b2J",
        "\x9b31m",
        "\x9b?1049h",
    ],
)
def test_csi_removed(seq: str) -> None:
    assert sanitize(f"a{seq}b") == "ab"


@pytest.mark.parametrize(
    "seq",
    [
        # Clipboard write, BEL- and ST-terminated.
        "\x1b]52;c;aGVsbG8=\x07",
        "\x1b]52;c;aGVsbG8=\x1b\\",
        "\x1b]52;c;?\x07",
        # Title / icon.
        "\x1b]0;pwned\x07",
        "\x1b]2;pwned\x1b\\",
        "\x1b]1;icon\x07",
        # Palette, cwd, iTerm2.
        "\x1b]4;1;rgb:ff/00/00\x07",
        "\x1b]10;?\x07",
        "\x1b]7;file:///etc\x07",
        "\x1b]1337;File=inline=1:AAAA\x07",
        # 8-bit OSC with BEL, 7-bit ST and 8-bit ST.
        "\x9d0;title\x07",
        "\x9d0;title\x1b\\",
        "\x9d0;title\x9c",
        "\x1b]0;title\x9c",
        # DCS: DECRQSS, sixel, XTGETTCAP, tmux passthrough; BEL is payload.
        "\x1bP1$r\x1b\\",
        "\x1bP$qm\x1b\\",
        "\x1bPq#0;2;0;0;0#0~~@@vv@@~~$\x1b\\",
        "\x1bP+q544e\x1b\\",
        "\x1bPtmux;\x07evil\x1b\\",
        "\x90$qm\x9c",
        "\x90$qm\x1b\\",
        # APC (kitty graphics), PM, SOS.
        "\x1b_Ga=q;\x1b\\",
        "\x1b_Gf=100,a=T;AAAA\x07AAAA\x1b\\",
        "\x9fGa=q;\x9c",
        "\x1b^private\x1b\\",
        "\x9eprivate\x9c",
        "\x1bXstring\x1b\\",
        "\x98string\x9c",
        # Empty strings.
        "\x1b]\x07",
        "\x1bP\x1b\\",
    ],
)
def test_string_sequences_removed(seq: str) -> None:
    assert sanitize(f"a{seq}b") == "ab"


def test_hyperlink_keeps_only_label() -> None:
    text = "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\"
    assert sanitize(text) == "click"


def test_hyperlink_bel_terminated_keeps_only_label() -> None:
    text = "see \x1b]8;id=1;http://evil\x07here\x1b]8;;\x07."
    assert sanitize(text) == "see here."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x1b]52;c;aGVsbG8=", "a"),
        ("a\x1b]0;title\nwith\nnewlines", "a"),
        ("a\x9d0;title", "a"),
        ("a\x1bP1$r", "a"),
        ("a\x1bPq#0;2;0;0;0\x07more", "a"),
        ("a\x90$q", "a"),
        ("a\x1b_Ga=T;AAAA", "a"),
        ("a\x9fGa=T;AAAA", "a"),
        ("a\x1b^pm", "a"),
        ("a\x1bXsos", "a"),
        ("a\x1b]", "a"),
    ],
)
def test_unterminated_string_removed_to_end(text: str, expected: str) -> None:
    assert sanitize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An ESC inside a string aborts it in a real terminal; the ESC then
        # starts a new sequence, which is judged on its own.
        ("\x1b]0;t\x1b[2Jx", "x"),
        ("\x1b]0;t\x1b[31mx", "\x1b[31mx"),
        ("\x1bPdata\x1b[Hx", "x"),
        # CAN / SUB abort a string too; what follows is ordinary text.
        ("\x1b]52;c;\x18x", "x"),
        ("\x1bPdata\x1ax", "x"),
    ],
)
def test_string_aborted(text: str, expected: str) -> None:
    assert sanitize(text) == expected


@pytest.mark.parametrize(
    "seq",
    [
        "\x1b7",  # save cursor
        "\x1b8",  # restore cursor
        "\x1bc",  # full reset
        "\x1b=",  # keypad application mode
        "\x1b>",
        "\x1bD",  # index
        "\x1bE",  # next line
        "\x1bM",  # reverse index
        "\x1bH",  # tab set
        "\x1bZ",  # DECID, a query
        "\x1b(0",  # G0 = DEC line drawing
        "\x1b)0",
        "\x1b*B",
        "\x1b+B",
        "\x1b#8",  # DECALN, fills the screen with E
        "\x1b%G",
        "\x1b n",
        "\x1b\\",  # stray ST
    ],
)
def test_two_char_escapes_removed(seq: str) -> None:
    assert sanitize(f"a{seq}b") == "ab"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc\x1b", "abc"),
        ("\x1b", ""),
        ("\x1b\x1b", ""),
        ("abc\x1b[", "abc"),
        ("abc\x1b[12;3", "abc"),
        ("abc\x1b(", "abc"),
        ("abc\x9b", "abc"),
        ("\x1b\x1b[31mx", "\x1b[31mx"),
    ],
)
def test_truncated_escapes_removed(text: str, expected: str) -> None:
    assert sanitize(text) == expected


@pytest.mark.parametrize(
    "ctrl",
    [
        "\x00",
        "\x01",
        "\x05",  # ENQ, answerback
        "\x07",  # BEL
        "\x0b",
        "\x0c",
        "\x0e",  # shift out
        "\x0f",  # shift in
        "\x11",
        "\x13",
        "\x18",
        "\x1a",
        "\x1c",
        "\x1f",
        "\x7f",
    ],
)
def test_c0_controls_removed(ctrl: str) -> None:
    assert sanitize(f"a{ctrl}b") == "ab"


@pytest.mark.parametrize("code", range(0x80, 0xA0))
def test_lone_c1_controls_removed(code: int) -> None:
    # Introducers swallow what follows, so test each C1 char at end of text
    # and, for the non-introducers, between two letters.
    ch = chr(code)
    assert sanitize(f"a{ch}") == "a"
    if ch not in "\x90\x98\x9b\x9d\x9e\x9f":
        assert sanitize(f"a{ch}b") == "ab"


@pytest.mark.parametrize(
    "text",
    [
        "line1\rline2\n",
        "col1\tcol2\tcol3",
        "progress  10%\rprogress  50%\rprogress 100%\n",
        "ab\bc",
        "a_\b",
        "\t\n\r\b",
        "",
    ],
)
def test_whitespace_controls_kept(text: str) -> None:
    assert sanitize(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("line1\r\nline2\r\n", "line1\nline2\n"),  # Octave's line endings
        ("ans = 5\r\n\r\n", "ans = 5\n\n"),
        ("_\bS_\bu_\bm of", "Sum of"),  # R's help: underlined title
        ("N\bNA\bAM\bME\bE", "NAME"),  # bold
        ("_\b_x", "_x"),  # an underlined underscore
        ("ab\bc", "ab\bc"),  # a real backspace is left to the terminal
        ("\x1b[1m_\bS\x1b[0m\r\n", "\x1b[1mS\x1b[0m\n"),
    ],
)
def test_line_endings_and_overstrike_cleaned(text: str, expected: str) -> None:
    assert sanitize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "emoji 🐍🎉 and family 👨\u200d👩\u200d👧",
        "flag 🇯🇵 skin 👍🏽",
        "CJK 漢字かなカナ 한국어",
        "combining e\u0301 a\u0308 n\u0303",
        "RTL עברית العربية",
        "box ┌─┐│└─┘ maths ∑∫√ currency €£¥",
        "\u00a0nbsp and \u00ff latin-1 top",
    ],
)
def test_unicode_kept(text: str) -> None:
    assert sanitize(text) == text
    mixed = f"\x1b[1m{text}\x1b[0m"
    assert sanitize(mixed) == mixed


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii text",
        "with\nnewlines\rand\ttabs\band backspace",
        "unicode 🐍 漢字 e\u0301",
        "",
    ],
)
def test_fast_path_returns_same_object(text: str) -> None:
    # Build a fresh object so identity is not an artefact of interning.
    fresh = "".join(list(text))
    assert sanitize(fresh) is fresh


def test_lone_surrogate_replaced() -> None:
    assert sanitize("a\ud800b") == "a\ufffdb"
    assert sanitize("\x1b[6na\udfffb\x1b[0m") == "a\ufffdb\x1b[0m"


def test_mixed_realistic_traceback() -> None:
    text = (
        "\x1b[0;31m---------------------------------------------\x1b[0m\n"
        "\x1b[0;31mValueError\x1b[0m: boom\x1b]52;c;ZXZpbA==\x07\x1b[6n\n"
    )
    expected = (
        "\x1b[0;31m---------------------------------------------\x1b[0m\n"
        "\x1b[0;31mValueError\x1b[0m: boom\n"
    )
    assert sanitize(text) == expected


def test_large_input() -> None:
    chunk = "\x1b[32mok\x1b[0m \x1b]0;x\x07line\r\n"
    assert sanitize(chunk * 50_000) == "\x1b[32mok\x1b[0m line\n" * 50_000


_HOSTILE_ALPHABET = (
    [chr(c) for c in range(0x00, 0x20)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + list("[]P_^X\\()#%7c=>?<!$ 0123456789;:mHJKnqthlrs")
    + ["a", "Z", "é", "漢", "🐍", "\u0301", "\u200d"]
    + ["\x1b", "\x1b", "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b_", "\x1b\\"]
    + ["\x9b", "\x9d", "\x1b[31m", "\x1b[38:2::1:2:3m"]
)


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@pytest.mark.parametrize("seed", range(20))
def test_random_hostile_strings(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(250):
        text = "".join(rng.choices(_HOSTILE_ALPHABET, k=rng.randint(0, 80)))
        out = sanitize(text)
        residue = _SGR.sub("", out)
        assert "\x1b" not in residue, (text, out)
        assert _FORBIDDEN.search(residue) is None, (text, out)
        # Only deletions happen, and sanitising twice changes nothing.
        assert _is_subsequence(out, text), (text, out)
        assert sanitize(out) == out, (text, out)
