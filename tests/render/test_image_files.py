"""Saving image outputs to files."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ick.render.image_files import ImageFileError, ImageFiles

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nrest").decode()


def test_images_are_numbered_files_with_the_right_suffix(tmp_path: Path):
    files = ImageFiles(tmp_path / "out")
    first = files.save("image/png", PNG)
    second = files.save("image/svg+xml", "<svg/>")
    assert first == tmp_path / "out" / "output-1.png"
    assert second == tmp_path / "out" / "output-2.svg"
    assert first.read_bytes().startswith(b"\x89PNG") and second.read_text() == "<svg/>"


def test_bad_payloads_are_refused_not_written(tmp_path: Path):
    files = ImageFiles(tmp_path)
    assert files.save("image/png", "") is None
    assert files.save("image/png", 12345) is None
    assert files.save("image/png", "%%%") is None
    assert files.save("text/plain", "x") is None
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_made_only_when_needed():
    files = ImageFiles()
    path = files.save("image/png", PNG)
    assert path is not None and path.parent.name.startswith("ick-images-")
    path.unlink()
    path.parent.rmdir()


def test_an_existing_file_is_never_overwritten(tmp_path: Path):
    (tmp_path / "output-1.png").write_bytes(b"an earlier run's")
    (tmp_path / "output-3.png").write_bytes(b"someone else's")
    files = ImageFiles(tmp_path)
    assert files.save("image/png", PNG) == tmp_path / "output-2.png"
    assert files.save("image/png", PNG) == tmp_path / "output-4.png"
    assert (tmp_path / "output-1.png").read_bytes() == b"an earlier run's"
    assert (tmp_path / "output-3.png").read_bytes() == b"someone else's"


def test_a_folder_that_cannot_be_made_is_one_line_naming_it(tmp_path: Path):
    (tmp_path / "file").write_text("not a folder")
    files = ImageFiles(tmp_path / "file" / "images")
    with pytest.raises(ImageFileError) as raised:
        files.save("image/png", PNG)
    assert str(raised.value).startswith(f"cannot make {tmp_path / 'file' / 'images'}: ")
    assert "\n" not in str(raised.value)
