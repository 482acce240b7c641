"""kitty's graphics protocol: the PNG itself, base64 in APC chunks.

``f=100`` means the payload is PNG, so the kernel's file is sent unchanged
(no decoding, the smallest payload).  ``q=2`` silences every reply: an OK or
an error would otherwise arrive on stdin as if the user had typed it.  After
``a=T`` kitty moves the cursor below the image, so output simply continues.
"""

from __future__ import annotations

import base64

#: The protocol's limit for one chunk of base64.
CHUNK_SIZE = 4096


def kitty_sequence(png: bytes) -> str:
    """Transmit-and-display escapes for one PNG, split into chunks of at most 4096 bytes."""
    encoded = base64.standard_b64encode(png).decode("ascii")
    chunks = [encoded[start : start + CHUNK_SIZE] for start in range(0, len(encoded), CHUNK_SIZE)]
    parts = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        # Only the first chunk carries the keys; the rest say whether more follow.
        keys = f"a=T,f=100,q=2,m={more}" if index == 0 else f"m={more}"
        parts.append(f"\x1b_G{keys};{chunk}\x1b\\")
    return "".join(parts)
