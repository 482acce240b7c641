"""Recording what ran, and what it printed, as a Jupyter notebook (``--save``).

The notebook is rewritten (atomically) after every finished execution, so a
session that ends badly (SIGTERM, a dead kernel, a closed pipe) leaves a
valid notebook complete up to its last finished cell.  ick writes nbformat 4.5
JSON itself: the format is small and stable, and the tests check the result
with nbformat's own validator.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any, Protocol

from ick.messages import (
    Message,
    NotebookOutput,
    OutputCallback,
    content,
    display_id_of,
    msg_type,
    notebook_output,
)
from ick.messages import execution_count as valid_count


class RecordedCell:
    """One execution: its source and its outputs in nbformat shape.

    A session keeps one per execution for ``)save``, so each is kept small
    (slots; display ids only for cells that have some): about 100 bytes
    more per execution than the source and outputs themselves.
    """

    __slots__ = ("_clear_pending", "_display_ids", "execution_count", "outputs", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.outputs: list[NotebookOutput] = []
        self.execution_count: int | None = None
        self._clear_pending = False
        self._display_ids: dict[str, list[NotebookOutput]] | None = None

    def add(self, msg: Message) -> None:
        kind = msg_type(msg)
        body = content(msg)
        if kind == "clear_output":
            if body.get("wait"):
                self._clear_pending = True
            else:
                self.outputs.clear()
            return
        if kind == "update_display_data":
            self._update_display(body)
            return
        output = notebook_output(kind, body)
        if output is None:
            return
        if output["output_type"] == "stream":
            # A list of chunks while recording, joined when the notebook is written: joining
            # as they come would copy the whole text again for every message of a flood.
            output["text"] = [output["text"]]
        if self._clear_pending:
            self.outputs.clear()
            self._clear_pending = False
        last = self.outputs[-1] if self.outputs else None
        if (
            output["output_type"] == "stream"
            and last is not None
            and last["output_type"] == "stream"
            and last["name"] == output["name"]
        ):
            last["text"].append(output["text"][0])
            return
        self.outputs.append(output)
        display_id = display_id_of(body)
        if display_id is not None:
            if self._display_ids is None:
                self._display_ids = {}
            self._display_ids.setdefault(display_id, []).append(output)

    def _update_display(self, body: dict[str, Any]) -> None:
        display_id = display_id_of(body)
        data = body.get("data")
        if display_id is None or not isinstance(data, dict):
            return
        for output in (self._display_ids or {}).get(display_id, []):
            output["data"] = data
            metadata = body.get("metadata")
            output["metadata"] = metadata if isinstance(metadata, dict) else {}

    def as_json(self) -> dict[str, Any]:
        return {
            "cell_type": "code",
            "id": uuid.uuid4().hex[:12],
            "execution_count": self.execution_count,
            "metadata": {},
            "source": self.source,
            "outputs": [_joined(output) for output in self.outputs],
        }


def _joined(output: NotebookOutput) -> NotebookOutput:
    """A stream output's text as one string, as notebooks hold it (and kept joined)."""
    chunks = output.get("text")
    if output["output_type"] != "stream" or not isinstance(chunks, list):
        return output
    if len(chunks) > 1:
        chunks[:] = ["".join(chunks)]
    return {**output, "text": chunks[0]}


#: Where a notebook keeps its widgets' state, for JupyterLab to draw them.
WIDGET_STATE_KEY = "application/vnd.jupyter.widget-state+json"


class RecordedWidgets(Protocol):
    """The kernel's widgets as a recording needs them (the kernel layer's widget store)."""

    def captures(self, msg: Message) -> bool: ...

    def saved_state(self) -> dict[str, Any]: ...


class NotebookRecorder:
    """Collects cells, and writes the notebook after each one when it has a ``path``.

    Without one it only remembers, for the REPL's ``)save FILE``.  Given the
    kernel's widgets, it leaves out what an Output widget captured (that is
    in the widget's state) and writes every widget's state into the notebook's
    metadata.
    """

    def __init__(
        self,
        path: Path | None,
        kernelspec: dict[str, str],
        language_info: dict[str, Any],
        *,
        widgets: RecordedWidgets | None = None,
    ):
        self.path = path
        self.kernelspec = kernelspec
        self.language_info = language_info
        self.widgets = widgets
        self.cells: list[RecordedCell] = []

    def start(self, source: str, on_output: OutputCallback) -> tuple[RecordedCell, OutputCallback]:
        """Begin a cell; returns it and an output callback that records, then renders."""
        cell = RecordedCell(source)
        self.cells.append(cell)

        def record_and_render(msg: Message) -> None:
            if self.widgets is None or not self.widgets.captures(msg):
                cell.add(msg)
            on_output(msg)

        return cell, record_and_render

    def finish(self, cell: RecordedCell, execution_count: Any) -> None:
        cell.execution_count = valid_count(execution_count)
        self.save()

    def save(self) -> None:
        if self.path is not None:
            self.write(self.path)

    def write(self, path: Path) -> None:
        """The notebook of every cell so far, written to ``path`` whole or not at all."""
        metadata: dict[str, Any] = {
            "kernelspec": self.kernelspec,
            "language_info": self.language_info,
        }
        widgets = self.widgets.saved_state() if self.widgets is not None else None
        if widgets is not None and widgets.get("state"):
            metadata["widgets"] = {WIDGET_STATE_KEY: widgets}
        notebook = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": metadata,
            "cells": [cell.as_json() for cell in self.cells],
        }
        write_atomically(path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    # A reader (or a crash) never sees half a notebook: write beside it, then rename.
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        # mkstemp's file is private (0600); the notebook is an ordinary file, as open() makes it.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
