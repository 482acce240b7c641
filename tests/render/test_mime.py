"""Choosing and rendering a bundle's representation, read back through a rich Console recording."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from rich.console import Console, RenderableType

from ick.render import mime
from ick.render.capabilities import TerminalCapabilities
from ick.render.image_files import ImageFiles
from ick.render.mime import ImageFileNotice, is_placeholder, render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER, parse_mime_order
from ick.render.svg import svg_to_png

HOSTILE = "\x1b]52;c;cHduZWQ=\x07\x1b]0;title\x07\x1b[6n\x1bP+q544e\x1b\\\x9b5n"


def png_of(size: tuple[int, int], colour: tuple[int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def shown(renderable: RenderableType | None, colour: bool = False) -> str:
    assert renderable is not None
    console = Console(
        width=60,
        file=io.StringIO(),
        force_terminal=colour,
        color_system="256" if colour else None,
        highlight=False,
    )
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


@pytest.mark.parametrize(
    "text",
    [
        "<IPython.core.display.HTML object>",
        "<__main__.Thing object at 0x7f3a2c1d9e50>",
        "<pandas.io.formats.style.Styler at 0x7fd97f8748d0>",  # IPython's repr of df.style
        "<__main__.A at 0x7fd97f88a090>",  # any class with only _repr_html_
        "<function __main__.f()>",
        "<bound method A.f of <__main__.A object at 0x7f0>>",
        "<module 'os' from '/usr/lib/python3.11/os.py'>",
        "<Figure size 640x480 with 1 Axes>",
        "<PIL.Image.Image image mode=RGB size=10x10>",
        "  <x.Y object>\n",
        "plot without title",  # IRkernel's plots
        "Plot with title “My title”",
    ],
)
def test_placeholders_are_recognised(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    ["   a  b\n0  1  x", "<b>x</b>", "x/2", "<x.Y object>\n<x.Y object>", "'<x.Y object>'", "", 5],
)
def test_what_says_something_is_not_a_placeholder(text: object) -> None:
    assert not is_placeholder(text)


def test_the_kernels_text_plain_beats_html_when_it_reads_well() -> None:
    # What pandas sends for a DataFrame: both, and the text/plain is made for terminals.
    bundle = {"text/plain": "   a\n0  1", "text/html": "<table><tr><td>HTML</td></tr></table>"}
    assert shown(render_bundle(bundle)) == "   a\n0  1\n"


def test_html_is_used_when_the_text_plain_is_a_bare_repr() -> None:
    bundle = {
        "text/plain": "<IPython.core.display.HTML object>",
        "text/html": "<p>hello <b>there</b></p>",
    }
    assert shown(render_bundle(bundle)) == "hello there\n"


def test_a_bare_repr_is_still_shown_when_nothing_else_can_be() -> None:
    assert shown(render_bundle({"text/plain": "<x.Y object>"})) == "<x.Y object>\n"


def test_the_user_order_comes_first() -> None:
    order = parse_mime_order("text/html, TEXT/plain")
    assert order[:2] == ("text/html", "text/plain")
    assert sorted(order) == sorted(DEFAULT_MIME_ORDER)
    bundle = {"text/plain": "plain", "text/html": "<i>html</i>"}
    assert shown(render_bundle(bundle, priority=order)) == "html\n"


@pytest.mark.parametrize("bad", ["text/foo", "", " , "])
def test_an_unknown_or_empty_order_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_mime_order(bad)


def test_markdown_is_rendered_not_shown_as_source() -> None:
    bundle = {"text/markdown": "# Title\n\n- *one*\n- two", "text/plain": "<x.Markdown object>"}
    out = shown(render_bundle(bundle))
    assert "Title" in out and "• one" in out and "#" not in out and "*" not in out


def test_markdown_links_show_where_they_go_instead_of_hiding_it() -> None:
    out = shown(render_bundle({"text/markdown": "[safe](https://evil.example)"}), colour=True)
    assert "\x1b]8;" not in out  # no terminal hyperlink
    assert "https://evil.example" in out


def test_json_is_pretty_printed() -> None:
    out = shown(render_bundle({"application/json": {"a": [1, None], "b": "x"}}))
    assert out == '{\n  "a": [\n    1,\n    null\n  ],\n  "b": "x"\n}\n'


def test_latex_is_shown_as_unicode_math() -> None:
    bundle = {"text/latex": r"$\frac{a}{b}$", "text/plain": "<IPython.core.display.Math object>"}
    assert shown(render_bundle(bundle)) == " a\n───\n b\n"


def test_sympy_style_text_plain_beats_latex() -> None:
    bundle = {"text/latex": r"$\frac{x}{2}$", "text/plain": "x/2"}
    assert shown(render_bundle(bundle)) == "x/2\n"


@pytest.mark.parametrize(
    "bundle",
    [
        {"text/plain": f"a{HOSTILE}b"},
        {"text/markdown": f"a{HOSTILE}b"},
        {"application/json": {f"a{HOSTILE}b": f"a{HOSTILE}b"}},
        {"text/latex": f"a{HOSTILE}b"},
        {"text/html": f"<p>a{HOSTILE}b</p>"},
    ],
    ids=["plain", "markdown", "json", "latex", "html"],
)
def test_every_text_path_goes_through_the_sanitiser(bundle: dict[str, Any]) -> None:
    out = shown(render_bundle(bundle), colour=True)
    for forbidden in ("\x1b]", "\x07", "\x1b[6n", "\x1bP", "\x9b"):
        assert forbidden not in out, (forbidden, out)
    # JSON shows control characters as \u escapes (harmless text); the rest removes them.
    assert "ab" in out or "a\\u001b]52" in out


def test_kernel_colours_survive_in_text_plain_only() -> None:
    out = shown(render_bundle({"text/plain": "\x1b[31mred\x1b[0m"}), colour=True)
    assert "\x1b[31m" in out


def test_wrong_data_types_fall_through_to_the_next_representation() -> None:
    bundle = {"text/markdown": 5, "text/latex": ["x"], "text/html": None, "text/plain": "ok"}
    assert shown(render_bundle(bundle, priority=parse_mime_order("text/html,text/latex"))) == "ok\n"


RED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4">'
    '<rect width="8" height="4" fill="#ff0000"/></svg>'
)


def colours(image: Image.Image) -> set[Any]:
    return {colour for _count, colour in image.getcolors() or []}


def test_svg_is_rasterised_to_a_png_of_its_size_and_colour() -> None:
    png = svg_to_png(RED_SVG)
    assert png is not None, "SVG needs resvg-py: pip install -e '.[test]'"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (8, 4)
    assert colours(image) == {(255, 0, 0)}


def test_an_svg_with_a_transparent_background_is_drawn_on_white() -> None:
    png = svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"></svg>')
    assert png is not None
    assert colours(Image.open(io.BytesIO(png)).convert("RGB")) == {(255, 255, 255)}


@pytest.mark.parametrize("bad", ["", "<svg", "not xml at all"])
def test_broken_svg_gives_no_image(bad: str) -> None:
    assert svg_to_png(bad) is None


def test_lone_surrogates_in_an_svg_do_not_raise() -> None:
    assert svg_to_png(RED_SVG.replace("</svg>", "<text>\ud800</text></svg>")) is not None


def test_an_svg_reaches_the_image_encoders_as_a_png() -> None:
    payload = mime.image_payload("image/svg+xml", RED_SVG)
    assert payload is not None
    png, kind = payload
    assert kind == "image/png" and isinstance(png, bytes)
    assert Image.open(io.BytesIO(png)).size == (8, 4)
    # Raster images go on as the kernel sent them.
    assert mime.image_payload("image/png", "iVBORw0KGgo=") == ("iVBORw0KGgo=", "image/png")
    assert mime.image_payload("image/svg+xml", "<broken") is None


def test_svg_falls_back_to_text_where_no_image_can_be_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(mime.RENDERERS, "image/png", raising=False)
    bundle = {"image/svg+xml": RED_SVG, "text/plain": "<IPython.core.display.SVG object>"}
    assert shown(render_bundle(bundle)) == "<IPython.core.display.SVG object>\n"


def test_html_beats_any_default_repr() -> None:
    # df.style, and any object with only _repr_html_: IPython's repr names the class.
    for plain in ("<pandas.io.formats.style.Styler at 0x7fd97f8748d0>", "<__main__.A at 0x7f>"):
        bundle = {"text/plain": plain, "text/html": "<b>hi</b> there"}
        assert shown(render_bundle(bundle)) == "hi there\n"


SYMPY_BUNDLE = {  # what ipykernel sends for sp.integrate(sp.sin(x)**2, x) after init_printing()
    "text/plain": "x   sin(x)⋅cos(x)\n─ - ─────────────\n2         2      ",
    "image/png": base64.b64encode(png_of((200, 20), (128, 128, 128, 255))).decode(),
    "text/latex": (
        r"$\displaystyle \frac{x}{2} - \frac{\sin{\left(x \right)} \cos{\left(x \right)}}{2}$"
    ),
}


def blocks_terminal() -> TerminalCapabilities:
    return TerminalCapabilities(stdin_is_tty=True, stdout_is_tty=True, color_system="truecolor",
                                graphics="blocks")  # fmt: skip


def test_a_text_plain_that_is_not_a_placeholder_beats_an_image() -> None:
    out = shown(render_bundle(SYMPY_BUNDLE, capabilities=blocks_terminal()))
    assert out.splitlines()[1].startswith("─ - ─────")


def test_an_image_too_small_to_make_out_is_never_preferred() -> None:
    # Even asked for first, the formula's PNG (two half blocks high in character art) gives
    # way to the next representation, and text/plain to LaTeX if asked for first.
    images_first = parse_mime_order("image/png,text/latex")
    out = shown(render_bundle(SYMPY_BUNDLE, priority=images_first, capabilities=blocks_terminal()))
    assert "sin(x) cos(x)" in out and "▀" not in out
    # A placeholder is not a better choice: then the small image is all there is to show.
    bundle = {"text/plain": "<PIL.Image.Image image mode=RGBA size=200x20>",
              "image/png": SYMPY_BUNDLE["image/png"]}  # fmt: skip
    assert "▀" in shown(render_bundle(bundle, capabilities=blocks_terminal()), colour=True)


def test_a_large_image_beats_a_placeholder() -> None:
    plot = base64.b64encode(png_of((640, 480), (255, 0, 0, 255))).decode()
    bundle = {"text/plain": "<Figure size 640x480 with 1 Axes>", "image/png": plot}
    assert "▀" in shown(render_bundle(bundle, capabilities=blocks_terminal()), colour=True)


def test_an_image_file_is_written_only_for_an_image_chosen(tmp_path: Path) -> None:
    files = ImageFiles(tmp_path)
    # sympy in a script: the formula as text, no file.
    assert shown(render_bundle(SYMPY_BUNDLE, image_files=files)).startswith("x   sin(x)")
    assert list(tmp_path.iterdir()) == []
    bundle = {"text/plain": "<Figure size 640x480 with 1 Axes>",
              "image/png": SYMPY_BUNDLE["image/png"]}  # fmt: skip
    saved = render_bundle(bundle, image_files=files)
    assert saved == ImageFileNotice(f"[image/png saved to {tmp_path / 'output-1.png'}]")
