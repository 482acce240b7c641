"""Images drawn with pixels (kitty, iTerm2, sixel), as a rich renderable.

The escapes are yielded as one *control* segment: rich gives it no width
(so it never wraps or crops it) and writes it only to a terminal.  Its size
is decided when it is printed, from the console's width and height at that
moment and the cell's pixel size, so a resized window is honoured.

This is the one place where escape sequences of ick's own making travel the
path that kernel text takes after the sanitiser; nothing from the kernel
reaches it but pixels that Pillow decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

from PIL import Image
from rich.console import Console, ConsoleOptions
from rich.segment import ControlType, Segment

from ick.render.images.decode import png_bytes
from ick.render.images.geometry import CellSize, fit, legible_size
from ick.render.images.iterm import iterm_sequence
from ick.render.images.kitty import kitty_sequence
from ick.render.images.sixel import sixel_sequence

PixelProtocol = Literal["kitty", "iterm", "sixel"]

#: Marks a segment as control output (zero width, terminals only). rich writes a control
#: segment's text as it is; the code itself is never interpreted.
_CONTROL = [(ControlType.BELL,)]

#: Lines kept free below an image so that the prompt still shows with it.
RESERVED_ROWS = 1


def wrap_for_tmux(sequence: str) -> str:
    """tmux's passthrough: the sequence in ``DCS tmux; … ST`` with every ESC doubled."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def wrap_for_screen(sequence: str) -> str:
    """GNU screen's passthrough: the sequence cut into DCS strings of at most 768 bytes."""
    return "".join(
        f"\x1bP{sequence[start : start + 768]}\x1b\\" for start in range(0, len(sequence), 768)
    )


PASSTHROUGH: dict[str, Callable[[str], str]] = {"tmux": wrap_for_tmux, "screen": wrap_for_screen}


class PixelImage:
    """An image drawn with a pixel protocol, fitted to the console when printed."""

    def __init__(
        self,
        image: Image.Image,
        original: bytes,
        mime_type: str,
        metadata: Mapping[str, Any],
        protocol: PixelProtocol,
        cell_size: CellSize,
        passthrough: str | None = None,
    ) -> None:
        self.image = image
        self.original = original
        self.mime_type = mime_type
        self.metadata = metadata
        self.protocol = protocol
        self.cell_size = cell_size
        self.passthrough = passthrough

    def legible(self, max_columns: int, max_rows: int) -> bool:
        """Whether the image drawn within ``max_columns`` × ``max_rows`` can be made out."""
        placement = fit(
            self.image.width, self.image.height, self.metadata, self.cell_size,
            max_columns, max_rows,
        )  # fmt: skip
        return legible_size(placement.pixel_width, placement.pixel_height)

    def sequence(self, max_columns: int, max_rows: int) -> str:
        """The escapes drawing the image within ``max_columns`` × ``max_rows`` cells."""
        placement = fit(
            self.image.width, self.image.height, self.metadata, self.cell_size,
            max_columns, max_rows,
        )  # fmt: skip
        size = (placement.pixel_width, placement.pixel_height)
        resized = size != self.image.size
        image = self.image.resize(size, Image.Resampling.LANCZOS) if resized else self.image
        if self.protocol == "sixel":
            sequence = sixel_sequence(image)
        else:
            # The kernel's own file when it can go as it is: the smallest payload, no re-encoding.
            as_is = not resized and (self.protocol == "iterm" or self.mime_type == "image/png")
            data = self.original if as_is else png_bytes(image)
            sequence = kitty_sequence(data) if self.protocol == "kitty" else iterm_sequence(data)
        wrap = PASSTHROUGH.get(self.passthrough or "")
        return wrap(sequence) if wrap else sequence

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        max_rows = max(1, options.size.height - RESERVED_ROWS)
        yield Segment(self.sequence(options.max_width, max_rows), None, _CONTROL)
        # The terminal leaves the cursor on the image's last row (kitty, iTerm2) or at the start
        # of it (sixel): a new line puts what follows below the image.
        yield Segment.line()
