"""Auto-suggestion from history, found through an index instead of a scan.

prompt_toolkit's ``AutoSuggestFromHistory`` looks for the newest history line
that starts with the line being typed by copying the whole history and
scanning it, newest first, on every keystroke.  With ick's 10,000 entries and
nothing matching (the usual case while typing new code) that scan, on the
event loop before the key's echo, costs more than everything else a key does.

:class:`HistorySuggestion` gives the same suggestion from a sorted list of the
history's distinct lines: the lines starting with the typed text are one
bisected range, and the newest of them wins.  The index follows the history
as it grows (an entry is added at each submission) and is rebuilt if the
history changed in any other way.
"""

from __future__ import annotations

import bisect
import sys

from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.history import History

#: Matching lines beyond which the newest is looked for newest first rather than compared.
_WIDE = 256

#: Where a line was last seen: the entry's place in the history, then the line's in the entry.
Recency = tuple[int, int]


class LineIndex:
    """The distinct lines of some history entries, each with where it was last seen."""

    def __init__(self) -> None:
        self._sorted: list[str] = []
        self._newest: dict[str, Recency] = {}
        self.entries: list[str] = []  # the entries indexed, oldest first

    def add(self, entries: list[str]) -> None:
        """Index ``entries`` (oldest first) as newer than those indexed before."""
        new_lines: list[str] = []
        for place, entry in enumerate(entries, start=len(self.entries)):
            for number, line in enumerate(entry.splitlines()):
                if line not in self._newest:
                    new_lines.append(line)
                self._newest[line] = (place, number)
        self.entries.extend(entries)
        if len(new_lines) > 64:  # a whole history: one sort beats inserting line by line
            self._sorted = sorted(self._newest)
        else:
            for line in new_lines:
                bisect.insort(self._sorted, line)

    def newest_starting_with(self, prefix: str) -> str | None:
        """The most recently seen line that starts with ``prefix``."""
        low = bisect.bisect_left(self._sorted, prefix)
        high = bisect.bisect_left(self._sorted, _after_all_starting_with(prefix), low)
        if low == high:
            return None
        if high - low > _WIDE:
            # So many lines match (a short prefix) that one is bound to be among the newest.
            for entry in reversed(self.entries):
                for line in reversed(entry.splitlines()):
                    if line.startswith(prefix):
                        return line
        return max(self._sorted[low:high], key=self._newest.__getitem__)


def _after_all_starting_with(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    last = ord(prefix[-1])
    if last == sys.maxunicode:
        return prefix + chr(sys.maxunicode)  # no character sorts after it; close enough
    return prefix[:-1] + chr(last + 1)


class HistorySuggestion(AutoSuggest):
    """``AutoSuggestFromHistory``'s suggestions, from a :class:`LineIndex` of the history."""

    def __init__(self) -> None:
        self._history: History | None = None
        self._index = LineIndex()

    def _index_of(self, history: History) -> LineIndex:
        entries = history.get_strings()  # oldest first
        indexed = self._index.entries
        grown = (
            history is self._history
            and len(entries) >= len(indexed)
            and (not indexed or entries[len(indexed) - 1] is indexed[-1])
        )
        if not grown:  # a first look, another history, or entries loaded before the old ones
            self._history = history
            self._index = LineIndex()
            indexed = []
        if len(entries) > len(indexed):
            self._index.add(entries[len(indexed) :])
        return self._index

    def get_suggestion(self, buffer: Buffer, document: Document) -> Suggestion | None:
        # Only the last line counts, and a blank one gets nothing: as AutoSuggestFromHistory.
        text = document.text.rsplit("\n", 1)[-1]
        if not text.strip():
            return None
        line = self._index_of(buffer.history).newest_starting_with(text)
        return None if line is None else Suggestion(line[len(text) :])
