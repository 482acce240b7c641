"""iTerm2's inline images: the file's bytes as they are, base64 in one OSC 1337."""

from __future__ import annotations

from ick.render.images.iterm import iterm_sequence


def test_the_file_is_sent_unchanged_with_its_size():
    assert (
        iterm_sequence(b"GIF89a")
        == "\x1b]1337;File=inline=1;size=6;preserveAspectRatio=1:R0lGODlh\x07"
    )
