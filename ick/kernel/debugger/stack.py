"""Where the kernel stopped: its stack, moving up and down it, and running on."""

from __future__ import annotations

from typing import Any

from ick.debug_records import Frame
from ick.kernel.debugger.connection import DebugConnection
from ick.kernel.debugger.replies import dict_entries, text_of, whole_number
from ick.kernel.errors import DebuggerError


class StackRequests(DebugConnection):
    """The requests of a stopped kernel: pdb's ``n``, ``s``, ``r``, ``c``, ``w``, ``u``,
    ``d`` and ``l``."""

    # -- running on --------------------------------------------------------------------
    async def next(self) -> None:
        """Run to the next line of the current function (pdb's ``n``)."""
        await self._run_on("next")

    async def step_in(self) -> None:
        """Run into the function called on this line, or to the next line (pdb's ``s``)."""
        await self._run_on("stepIn")

    async def step_out(self) -> None:
        """Run until the current function returns (pdb's ``r``)."""
        await self._run_on("stepOut")

    async def resume(self) -> None:
        """Run until the next breakpoint or the end (pdb's ``c``)."""
        await self._run_on("continue")

    async def _run_on(self, command: str) -> None:
        stop = self._require_stop()
        await self._request(command, {"threadId": stop.thread_id})
        # The ``continued`` event may come before this reply, after it, or (when the
        # next stop comes first) be overtaken: only the stop that was left is cleared.
        if self.stop is stop:
            self._resumed()

    # -- where it stopped --------------------------------------------------------------
    async def frames(self) -> tuple[Frame, ...]:
        """The stopped thread's stack, innermost frame first (pdb's ``w``)."""
        stop = self._require_stop()
        if self._frames is None:
            body = await self._request("stackTrace", {"threadId": stop.thread_id})
            frames = [self._frame(entry) for entry in dict_entries(body.get("stackFrames"))]
            self._frames = tuple(frame for frame in frames if frame is not None)
            self._frame_index = 0
        return self._frames

    def _frame(self, entry: dict[str, Any]) -> Frame | None:
        frame_id = whole_number(entry.get("id"))
        if frame_id is None:
            return None
        source = entry.get("source")
        path = text_of(source.get("path")) if isinstance(source, dict) else ""
        return Frame(
            id=frame_id,
            name=text_of(entry.get("name")),
            path=path,
            line=whole_number(entry.get("line")) or 0,
            input_number=self.sources.input_at(path) if path else None,
        )

    @property
    def frame_index(self) -> int:
        """Which frame :meth:`current_frame` is: 0 is the innermost."""
        return self._frame_index

    async def current_frame(self) -> Frame:
        """The frame that expressions and ``l`` use: where it stopped, or where u/d moved."""
        frames = await self.frames()
        if not frames:
            raise DebuggerError(f"the {self.kernel_name} kernel's debugger shows no frames")
        return frames[min(self._frame_index, len(frames) - 1)]

    async def up(self) -> Frame:
        """Move to the frame that called the current one (pdb's ``u``)."""
        frames = await self.frames()
        if self._frame_index + 1 >= len(frames):
            raise DebuggerError("this is the oldest frame")
        self._frame_index += 1
        return frames[self._frame_index]

    async def down(self) -> Frame:
        """Move to the frame the current one called (pdb's ``d``)."""
        await self.frames()
        if self._frame_index == 0:
            raise DebuggerError("this is the newest frame")
        self._frame_index -= 1
        return await self.current_frame()

    async def source_lines(self, frame: Frame) -> list[str]:
        """The code of ``frame``'s file (pdb's ``l`` shows it around the line)."""
        if frame.input_number is not None:
            code = self.sources.code_of(frame.input_number)
            if code is not None:
                return code.splitlines()
        if not frame.path:
            raise DebuggerError(f"no source for {frame.name or 'this frame'}")
        body = await self._request("source", {"source": {"path": frame.path}})
        return text_of(body.get("content")).splitlines()
