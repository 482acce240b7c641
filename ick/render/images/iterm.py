"""iTerm2's inline images (OSC 1337), also drawn by WezTerm, Konsole and mlterm.

The file's bytes are sent as they are (PNG, JPEG or GIF), base64-encoded;
the terminal decodes them itself.
"""

from __future__ import annotations

import base64


def iterm_sequence(data: bytes) -> str:
    """One OSC 1337 ``File`` sequence drawing ``data`` inline at its own pixel size."""
    encoded = base64.standard_b64encode(data).decode("ascii")
    return f"\x1b]1337;File=inline=1;size={len(data)};preserveAspectRatio=1:{encoded}\x07"
