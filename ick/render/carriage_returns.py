"""A line rewritten with ``\\r`` (a progress bar), written once in its final state where
the output is a file or a pipe: a log gets ``100%|██████████|``, not a hundred frames."""

from __future__ import annotations


class CarriageReturnLines:
    """For a stream that is not a terminal: a line rewritten with ``\\r`` is written once.

    Text without ``\\r`` passes straight through.  From a line's first
    ``\\r`` on, the rest of that line is held until its newline (or
    :meth:`finish`), and then written as a terminal would finally show it.
    """

    def __init__(self) -> None:
        self._written = ""  # the part of the open line already passed through
        self._held: str | None = None

    def feed(self, text: str) -> str:
        out: list[str] = []
        while text:
            newline = text.find("\n")
            if self._held is None:
                cr = text.find("\r")
                if cr == -1 or (newline != -1 and newline < cr):
                    end = len(text) if newline == -1 else newline + 1
                    out.append(text[:end])
                    self._written = "" if newline != -1 else self._written + text[:end]
                    text = text[end:]
                    continue
                out.append(text[:cr])
                self._written += text[:cr]
                self._held, text = "", text[cr:]
            elif newline == -1:
                self._held += text
                text = ""
            elif (self._held, text[:2]) == ("", "\r\n") or (self._held, newline) == ("\r", 0):
                # A CRLF line end, not a rewrite: written as it came.
                out.append("\r\n")
                self._written, self._held = "", None
                text = text[newline + 1 :]
            else:
                self._held += text[:newline]
                out.append(self.finish() + "\n")
                text = text[newline + 1 :]
        return "".join(out)

    def finish(self) -> str:
        """What is left of an open line, in its final state (``""`` when nothing is held)."""
        if self._held is None:
            return ""
        line = self._written
        last = ""
        for piece in self._held.split("\r"):
            line = piece + line[len(piece) :]
            last = piece or last
        remainder = line[len(self._written) :] if line.startswith(self._written) else last
        self._written, self._held = "", None
        return remainder
