"""kitty's graphics protocol: the PNG as it is, in chunks of at most 4096 base64 bytes."""

from __future__ import annotations

import base64
import re

from ick.render.images.kitty import CHUNK_SIZE, kitty_sequence


def test_a_small_png_is_one_chunk_with_every_key():
    assert kitty_sequence(b"\x89PNG") == "\x1b_Ga=T,f=100,q=2,m=0;iVBORw==\x1b\\"


def test_a_large_png_is_chunked_and_only_the_first_chunk_has_keys():
    png = bytes(range(256)) * 40  # 10240 bytes -> 13656 base64 characters
    sequence = kitty_sequence(png)
    chunks = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", sequence)
    assert "".join(re.findall(r"\x1b_G[^\x1b]*\x1b\\", sequence)) == sequence
    assert [keys for keys, _ in chunks] == ["a=T,f=100,q=2,m=1", "m=1", "m=1", "m=0"]
    assert all(len(data) <= CHUNK_SIZE for _, data in chunks)
    assert all(len(data) == CHUNK_SIZE for _, data in chunks[:-1])
    assert base64.b64decode("".join(data for _, data in chunks)) == png


def test_replies_are_always_suppressed():
    # q=2: an OK or error reply would reach prompt_toolkit as typed input.
    assert "q=2" in kitty_sequence(b"x" * 10000).split(";", 1)[0]
