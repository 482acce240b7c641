"""Images written to files where the output is not a terminal that can draw them.

In a pipe or a log, escape-encoded pixels are noise: each image becomes a
file in one folder and a single line of text naming it, which a script or a
person can open later.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path

from ick.render.mime_order import IMAGE_SUFFIXES

__all__ = ["IMAGE_SUFFIXES", "ImageFiles"]


class ImageFileError(OSError):
    """An image could not be written (the folder cannot be made, the disk is full...); the
    message says which file and why, in one line."""


class ImageFiles:
    """Saves image outputs as numbered files in one folder, made on first use; a number
    whose file exists is skipped, so that nothing is ever overwritten."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._count = 0

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="ick-images-"))
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def save(self, mime: str, data: object) -> Path | None:
        """Write one image; ``None`` when the data is not what its mime type promises,
        :class:`ImageFileError` when it cannot be written."""
        suffix = IMAGE_SUFFIXES.get(mime)
        if suffix is None or not isinstance(data, str):
            return None
        if mime == "image/svg+xml":
            payload = data.encode("utf-8", "replace")
        else:
            try:
                payload = base64.b64decode(data, validate=False)
            except (binascii.Error, ValueError):
                return None
            if not payload:
                return None
        try:
            directory = self.directory
        except OSError as exc:
            raise ImageFileError(f"cannot make {self._directory}: {exc.strerror or exc}") from None
        while True:
            self._count += 1
            path = directory / f"output-{self._count}{suffix}"
            try:
                # Exclusive creation: a file already there (an earlier run's, anyone's) is kept.
                with path.open("xb") as file:
                    file.write(payload)
            except FileExistsError:
                continue
            except OSError as exc:
                raise ImageFileError(f"cannot write {path}: {exc.strerror or exc}") from None
            return path
