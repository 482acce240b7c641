"""``ick notebook.ipynb``: a notebook is a script of its code cells, as ``jupyter execute`` runs it.

The cells run in order on the kernel the notebook's metadata names (``-k``
overrides it), the first error stops the run (``--keep-going`` runs on), and
``--save`` writes the notebook itself back with each executed cell's outputs and
execution count: markdown and raw cells, metadata and ids stay as they were.

Reading nbformat 4 takes ``json`` alone: the format is small and stable, and
ick's own install needs no ``nbformat`` (the tests validate with it).  What is
not a notebook ick can run gets one line and exit status 2.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ick.errors import ExitStatus, IckError
from ick.frontends.shared.recording import NotebookRecorder, write_atomically

NOTEBOOK_SUFFIX = ".ipynb"


def is_notebook(name: str) -> bool:
    return Path(name).suffix.lower() == NOTEBOOK_SUFFIX


@dataclass(frozen=True, kw_only=True)
class Notebook:
    name: str
    document: dict[str, Any]
    """The notebook as read; never changed (an executed copy is written)."""
    code_cells: tuple[int, ...]
    """Where the code cells that have code are, in ``document["cells"]``, in order."""

    @property
    def sources(self) -> list[str]:
        return [_source(self.document["cells"][index]) for index in self.code_cells]

    @property
    def kernel_name(self) -> str | None:
        spec = self.document.get("metadata", {}).get("kernelspec")
        name = spec.get("name") if isinstance(spec, dict) else None
        return name if isinstance(name, str) and name else None


def kernel_for_script(name: str, by_extension: Callable[[str], str]) -> str:
    """The kernel a script names: a notebook's metadata, else its extension's."""
    named, extension_file = kernel_named_by(name)
    return named or by_extension(extension_file)


def kernel_named_by(name: str) -> tuple[str | None, str]:
    """The kernel a script names itself, if it does, and the file name whose extension
    chooses one otherwise: a notebook without a kernelspec stands for a file of its
    language (``notebook.R``); any other script for itself.

    Apart from :func:`kernel_for_script` so that a server's kernels can be chosen
    among too, not only the installed ones."""
    if not is_notebook(name):
        return None, name
    notebook = read_notebook(name)
    if notebook.kernel_name is not None:
        return notebook.kernel_name, name
    language = notebook.document.get("metadata", {}).get("language_info")
    extension = language.get("file_extension") if isinstance(language, dict) else None
    if isinstance(extension, str) and extension.startswith("."):
        return None, "notebook" + extension
    return None, name


def _source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def read_notebook(name: str) -> Notebook:
    """The notebook in file ``name``; an :class:`IckError` (usage) when it is not nbformat 4."""
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise IckError(f"cannot read {name}: {reason}", ExitStatus.USAGE) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_a_notebook(name, f"not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(document, dict) or "nbformat" not in document:
        raise _not_a_notebook(name, "no nbformat version")
    if document["nbformat"] != 4:
        raise _not_a_notebook(name, f"nbformat {document['nbformat']!r}; ick runs nbformat 4")
    cells = document.get("cells")
    if not isinstance(cells, list) or not isinstance(document.get("metadata", {}), dict):
        raise _not_a_notebook(name, "no list of cells")
    code_cells: list[int] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise _not_a_notebook(name, f"cell {index + 1} has no cell_type")
        source = cell.get("source")
        if not (
            isinstance(source, str)
            or (isinstance(source, list) and all(isinstance(line, str) for line in source))
        ):
            raise _not_a_notebook(name, f"cell {index + 1} has no source text")
        if cell["cell_type"] == "code" and _source(cell).strip():
            code_cells.append(index)
    return Notebook(name=name, document=document, code_cells=tuple(code_cells))


def _not_a_notebook(name: str, reason: str) -> IckError:
    return IckError(f"{name} is not a notebook ick can run: {reason}", ExitStatus.USAGE)


class ExecutedNotebook(NotebookRecorder):
    """``--save`` for a notebook: the notebook itself, each executed cell's outputs and count
    replaced by this run's (cells the run did not reach keep theirs, as in ``jupyter execute``)."""

    def __init__(
        self,
        *,
        path: Path,
        notebook: Notebook,
        kernelspec: dict[str, str],
        language_info: dict[str, Any],
    ) -> None:
        super().__init__(path, kernelspec, language_info)
        self.notebook = notebook

    def write(self, path: Path) -> None:
        document = copy.deepcopy(self.notebook.document)
        cells = document["cells"]
        for recorded, index in zip(self.cells, self.notebook.code_cells, strict=False):
            executed = recorded.as_json()
            cells[index]["outputs"] = executed["outputs"]
            cells[index]["execution_count"] = executed["execution_count"]
        metadata = document.setdefault("metadata", {})
        metadata["kernelspec"] = self.kernelspec
        metadata["language_info"] = self.language_info
        write_atomically(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
