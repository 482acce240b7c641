"""Inline images from the real ``ick`` in a pty: the start-up probe against a terminal
played by the test, forcing a protocol, pipes, tmux.

The pty is a terminal that answers nothing unless the test answers for it:
it reads ick's queries and writes back what kitty, xterm or tmux would.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import uuid

import pexpect
import pytest
from PIL import Image

from tests.support.terminal import ICK

DA1_QUERY = "\x1b[c"
KITTY_ANSWERS = "\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[6;18;9t\x1b[?62;c"
XTERM_VT340_ANSWERS = "\x1bP>|XTerm(379)\x1b\\\x1b[?63;1;2;4;6;9;15;16;22;28c"


def red_square_png(side: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (255, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = red_square_png()
PNG_BASE64 = base64.b64encode(PNG).decode()
SHOW = (
    "import base64\nfrom IPython.display import Image, display\n"
    f"display(Image(data=base64.b64decode('{PNG_BASE64}')))\nprint('after')\n"
)
KITTY_IMAGE = f"\x1b_Ga=T,f=100,q=2,m=0;{PNG_BASE64}\x1b\\"
GRAPHICS = re.compile(r"\x1b_G|\x1bP[0-9;]*q|\x1b\]1337;")


def read_to_end(child: pexpect.spawn, timeout: float = 60) -> str:
    child.expect(pexpect.EOF, timeout=timeout)
    child.wait()
    return child.before


def test_a_terminal_answering_like_kitty_gets_the_png_as_it_is(spawn_ick, ick_env):
    term = spawn_ick("-c", SHOW)
    term.child.expect_exact(DA1_QUERY, timeout=20)
    term.send(KITTY_ANSWERS)
    raw = read_to_end(term.child)
    assert KITTY_IMAGE in raw
    assert raw.index(KITTY_IMAGE) < raw.index("after")
    assert term.child.exitstatus == 0


def kitty_images(raw: str) -> list[Image.Image]:
    """The PNGs in the kitty sequences of ``raw``, decoded."""
    payloads = re.findall(r"\x1b_Ga=T[^;]*;([^\x1b]*)\x1b\\((?:\x1b_Gm=[01];[^\x1b]*\x1b\\)*)", raw)
    images = []
    for first, rest in payloads:
        data = first + "".join(re.findall(r";([^\x1b]*)\x1b", rest))
        images.append(Image.open(io.BytesIO(base64.b64decode(data))))
    return images


def test_the_cell_size_the_terminal_reports_fits_a_wide_image_to_the_window(spawn_ick):
    wide = io.BytesIO()
    Image.new("RGB", (2000, 50), (0, 0, 255)).save(wide, format="PNG")
    term = spawn_ick(
        "-c",
        "import base64\nfrom IPython.display import Image, display\n"
        f"display(Image(data=base64.b64decode('{base64.b64encode(wide.getvalue()).decode()}')))\n",
    )
    term.child.expect_exact(DA1_QUERY, timeout=20)
    term.send(KITTY_ANSWERS)  # cells of 9x18 pixels
    (shown,) = kitty_images(read_to_end(term.child))
    assert shown.size == (120 * 9, 27)  # 120 columns wide, the aspect kept


def test_width_metadata_is_honoured(spawn_ick, ick_env):
    code = SHOW.replace("display(Image(data=", "display(Image(width=32, data=")
    term = spawn_ick("-c", code, env={**ick_env, "ICK_IMAGES": "kitty"})
    (shown,) = kitty_images(read_to_end(term.child))
    assert shown.size == (32, 32)


def test_a_terminal_answering_like_xterm_vt340_gets_sixel(spawn_ick):
    term = spawn_ick("-c", SHOW)
    term.child.expect_exact(DA1_QUERY, timeout=20)
    term.send(XTERM_VT340_ANSWERS)
    raw = read_to_end(term.child)
    assert '\x1bP0;1;0q"1;1;64;64#0;2;100;0;0#0!64~-' in raw
    assert "\x1b_Ga=T" not in raw


def test_the_repl_keeps_keys_typed_during_the_probe_and_shows_no_replies(spawn_ick):
    term = spawn_ick()
    term.child.expect_exact(DA1_QUERY, timeout=20)
    # Typed while ick starts: before the terminal's answers, and Enter after them.
    term.send("6*7" + KITTY_ANSWERS + "\r")
    term.expect(r"In \[1\]: 6\*7")
    term.expect(r"Out\[1\]: 42")
    for reply_text in ("Gi=31", "kitty(0.26.5)", "?62;c", "6;18;9t"):
        assert reply_text not in term.text


def test_arrows_and_other_keys_typed_during_the_probe_edit_the_first_prompt(spawn_ick):
    term = spawn_ick()
    term.child.expect_exact(DA1_QUERY, timeout=20)
    # Left, Left, the terminal's answers, then 3 where the cursor is, End and Enter.
    term.send("print(12)\x1b[D\x1b[D" + KITTY_ANSWERS + "3\x1b[F\r")
    term.expect(r"In \[1\]: print\(132\)")
    term.expect(r"\n132\n")


def test_an_image_arriving_at_the_prompt_reaches_the_terminal_unescaped(spawn_ick):
    term = spawn_ick()
    term.child.expect_exact(DA1_QUERY, timeout=20)
    term.send(KITTY_ANSWERS)
    term.expect(r"In \[1\]:")
    # Drawn by a timer while the prompt is being edited: through run_in_terminal.
    term.enter(
        "import base64, threading; from IPython.display import Image, display; "
        f"threading.Timer(1, lambda: display(Image(data=base64.b64decode('{PNG_BASE64}')))"
        ").start()"
    )
    term.expect(r"In \[2\]:")
    term.child.expect_exact(KITTY_IMAGE, timeout=20)
    assert "?_Ga=T" not in term.raw + term.child.before  # prompt_toolkit's escaping of ESC
    term.send("\x04")
    assert term.wait_exit() == 0


def test_images_none_draws_nothing_and_asks_the_terminal_nothing(spawn_ick, tmp_path):
    term = spawn_ick("--images", "none", "--image-dir", str(tmp_path), "-c", SHOW)
    raw = read_to_end(term.child)
    assert DA1_QUERY not in raw and not GRAPHICS.search(raw)
    assert f"[image/png saved to {tmp_path / 'output-1.png'}]" in raw


def test_images_blocks_draws_character_art(spawn_ick):
    term = spawn_ick("--images", "blocks", "-c", SHOW)
    raw = read_to_end(term.child)
    assert DA1_QUERY not in raw and not GRAPHICS.search(raw)
    art = [line for line in raw.splitlines() if "▀" in line]
    assert art and len(art) <= 39


def test_ick_images_in_the_environment_chooses_too(spawn_ick, ick_env):
    term = spawn_ick("-c", SHOW, env={**ick_env, "ICK_IMAGES": "kitty"})
    raw = read_to_end(term.child)
    assert KITTY_IMAGE in raw


def test_a_bad_ick_images_is_one_line_and_status_2(ick_env):
    result = subprocess.run(
        [*ICK, "-c", "1"],
        env={**ick_env, "ICK_IMAGES": "pixels"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert (
        result.stderr.count("\n") == 1 and "ICK_IMAGES: invalid choice: 'pixels'" in result.stderr
    )


def test_no_graphics_into_a_pipe_even_when_asked(ick_env, tmp_path):
    command = " ".join(f"'{part}'" for part in ICK)
    shell = f'{command} --images kitty -c "$SHOW" | cat'
    child = pexpect.spawn(
        "bash",
        ["-c", shell],
        env={**ick_env, "SHOW": SHOW, "TMPDIR": str(tmp_path)},
        encoding="utf-8",
        dimensions=(40, 120),
    )
    raw = read_to_end(child)
    assert DA1_QUERY not in raw and not GRAPHICS.search(raw) and "\x1b" not in raw
    assert re.search(r"\[image/png saved to .*output-1\.png\]", raw)


def test_inside_tmux_images_are_character_art(ick_env, tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: run scripts/setup-dev", pytrace=False)
    socket = f"ick-test-{uuid.uuid4().hex[:8]}"
    script = tmp_path / "show.py"
    script.write_text(SHOW)
    inner = " ".join(f"'{part}'" for part in ICK) + f" '{script}'; sleep 30"
    # The environment still names a graphics terminal (LC_TERMINAL survives tmux and ssh),
    # but the image would vanish at tmux's next redraw: character art it is.
    env = {**ick_env, "KITTY_WINDOW_ID": "1", "LC_TERMINAL": "iTerm2"}
    env.pop("TMUX", None)
    child = pexpect.spawn(
        "tmux",
        ["-L", socket, "-f", os.devnull, "new-session", "-x", "100", "-y", "30", inner],
        env=env,
        encoding="utf-8",
        dimensions=(30, 100),
    )
    try:
        child.expect("after", timeout=60)
        seen = child.before
        assert "▀" in seen
        assert "\x1b_Ga=T" not in seen and "\x1bP0;1;0q" not in seen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)
        child.close(force=True)
