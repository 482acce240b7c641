"""Breakpoints on lines of inputs, and on raised exceptions."""

from __future__ import annotations

from ick.debug_records import Breakpoint
from ick.kernel.debugger.connection import DebugConnection
from ick.kernel.debugger.replies import dict_entries, text_of, whole_number
from ick.kernel.errors import DebuggerError

#: The exception filter that breaks where an exception is raised (debugpy's name).
RAISED_FILTER = "raised"


class BreakpointRequests(DebugConnection):
    """``)break``: ick's line breakpoints, by input and line, and ``)break raise``."""

    # -- breakpoints -------------------------------------------------------------------
    def remember_input(self, number: int, code: str) -> None:
        """Record what input ``number`` ran, so that breakpoints and frames can name it."""
        self.sources.remember(number, code)

    async def dump_input(self, number: int) -> str:
        """Have the kernel write input ``number``'s code to the file it runs from; its path."""
        await self.start()
        code = self.sources.code_of(number)
        if code is None:
            raise DebuggerError(f"there is no input {number} to break in")
        path = text_of((await self._request("dumpCell", {"code": code})).get("sourcePath"))
        if not path:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger gave no file for In [{number}]"
            )
        self.sources.dumped(number, path)
        return path

    async def add_breakpoint(self, *, input_number: int, line: int) -> Breakpoint:
        """Break at ``line`` of input ``input_number`` (``)break In[5]:2``), where the
        kernel's debugger placed it (it can move a line that holds no code)."""
        code = self.sources.code_of(input_number)
        if code is None:
            raise DebuggerError(f"there is no input {input_number} to break in")
        count = len(code.splitlines())
        if not 1 <= line <= count:
            size = "1 line" if count == 1 else f"{count} lines"
            raise DebuggerError(f"In [{input_number}] has {size}; there is no line {line}")
        path = await self.dump_input(input_number)
        lines = sorted({bp.line for bp in self._breakpoints.get(path, ())} | {line})
        placed = await self._set_breakpoints(path, input_number, lines)
        return (
            placed[lines.index(line)]
            if len(placed) == len(lines)
            else Breakpoint(input_number=input_number, line=line, path=path, verified=False)
        )

    async def _set_breakpoints(
        self, path: str, input_number: int, lines: list[int]
    ) -> tuple[Breakpoint, ...]:
        body = await self._request(
            "setBreakpoints",
            {
                "source": {"path": path},
                "breakpoints": [{"line": line} for line in lines],
                "sourceModified": False,
            },
        )
        answered = dict_entries(body.get("breakpoints"))
        placed = tuple(
            Breakpoint(
                input_number=input_number,
                line=whole_number(entry.get("line")) or wanted,
                path=path,
                verified=entry.get("verified") is not False,
            )
            for wanted, entry in zip(lines, answered, strict=False)
        )
        if placed:
            self._breakpoints[path] = placed
        else:
            self._breakpoints.pop(path, None)
        return placed

    def breakpoints(self) -> list[Breakpoint]:
        """ick's line breakpoints, by input and line (``)break``)."""
        found = [bp for placed in self._breakpoints.values() for bp in placed]
        return sorted(found, key=lambda bp: (bp.input_number, bp.line))

    async def clear_breakpoints(self) -> None:
        """Remove every breakpoint ick set, and stop breaking on exceptions (``)break clear``)."""
        if not self.attached:
            return
        for path, placed in list(self._breakpoints.items()):
            await self._set_breakpoints(path, placed[0].input_number, [])
        if self.breaking_on_exceptions:
            await self.break_on_exceptions(False)

    async def break_on_exceptions(self, enabled: bool = True) -> None:
        """Stop where any exception is raised, caught or not (``)break raise``)."""
        await self.start()
        # A session joined from another client never saw initialize's filter list.
        offered = self._exception_filters or (RAISED_FILTER,)
        if enabled and RAISED_FILTER not in offered:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger cannot break on raised exceptions"
            )
        await self._request(
            "setExceptionBreakpoints", {"filters": [RAISED_FILTER] if enabled else []}
        )
        self.breaking_on_exceptions = enabled
