"""Inputs tied to the files the kernel runs them from.

The kernel compiles an input's code under a file name derived from a hash of
the code (``debugInfo`` names the hash, its seed and the folder), so a
breakpoint on "line 2 of In [5]" is a breakpoint on line 2 of that file
(written by ``dumpCell``), and a stopped frame's file leads back to the input.
:class:`InputSources` keeps that mapping both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def murmur2(data: bytes, seed: int) -> int:
    """MurmurHash2 (32-bit, x86) of ``data``: the hash ipykernel and xeus-python name
    an input's file by, as ``debugInfo``'s ``hashMethod: Murmur2`` says."""
    m = 0x5BD1E995
    length = len(data)
    h = (seed ^ length) & 0xFFFFFFFF
    rounded_end = length & ~3
    for i in range(0, rounded_end, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = data[rounded_end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


@dataclass(frozen=True, kw_only=True)
class FileNaming:
    """How the kernel names the file an input's code runs from (``debugInfo``'s fields)."""

    prefix: str
    suffix: str
    seed: int
    method: str

    def path_of(self, code: str) -> str | None:
        """The file ``code`` runs from, or ``None`` for a hash method ick does not know."""
        if self.method.lower() != "murmur2":
            return None
        return f"{self.prefix}{murmur2(code.encode('utf-8'), self.seed)}{self.suffix}"

    @classmethod
    def from_debug_info(cls, body: dict[str, Any]) -> FileNaming | None:
        prefix, suffix = body.get("tmpFilePrefix"), body.get("tmpFileSuffix")
        seed, method = body.get("hashSeed"), body.get("hashMethod")
        if not (isinstance(prefix, str) and isinstance(suffix, str) and isinstance(method, str)):
            return None
        if not isinstance(seed, int) or isinstance(seed, bool):
            return None
        return cls(prefix=prefix, suffix=suffix, seed=seed, method=method)


class InputSources:
    """Each input's code and the file the kernel runs it from, both ways.

    A file is known from ``dumpCell``'s answer, or, before any dump, from the
    kernel's naming scheme: an input run before the session started already ran
    from that file, so its functions stop there.
    """

    def __init__(self) -> None:
        self._code: dict[int, str] = {}
        self._path: dict[int, str] = {}
        self._input_at: dict[str, int] = {}
        self._naming: FileNaming | None = None

    def remember(self, number: int, code: str) -> None:
        """Record that input ``number`` ran ``code``."""
        self._code[number] = code
        self._path.pop(number, None)
        if self._naming is not None:
            path = self._naming.path_of(code)
            if path is not None:
                self._place(number, path)

    def use_naming(self, naming: FileNaming | None) -> None:
        """Name the files of the inputs remembered so far, and of those to come."""
        self._naming = naming
        if naming is None:
            return
        for number, code in self._code.items():
            if number not in self._path:
                path = naming.path_of(code)
                if path is not None:
                    self._place(number, path)

    def dumped(self, number: int, path: str) -> None:
        """The kernel wrote input ``number``'s code to ``path`` (``dumpCell``)."""
        self._place(number, path)

    def _place(self, number: int, path: str) -> None:
        self._path[number] = path
        # Inputs with the same code share a file: the latest one names it.
        if self._input_at.get(path, -1) <= number:
            self._input_at[path] = number

    def code_of(self, number: int) -> str | None:
        return self._code.get(number)

    def path_of(self, number: int) -> str | None:
        return self._path.get(number)

    def input_at(self, path: str) -> int | None:
        """The input whose code runs from ``path``, if it is one of ours."""
        return self._input_at.get(path)

    def numbers(self) -> list[int]:
        return sorted(self._code)
