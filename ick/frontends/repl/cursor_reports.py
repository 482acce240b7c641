"""Whether the terminal answers cursor position requests (CPR), learnt once per session.

prompt_toolkit asks the terminal where the cursor is, to know how much room
is below the prompt, and warns when no answer comes.  Each of its
applications learns that afresh, and ick makes one per ``input()`` answer and
per question: a terminal that never answers (some serial consoles, a few
emulators, a pipe into a pty) got the warning again at every ``input()``.
Once one prompt has learnt it, every later prompt of the session is told
not to ask.
"""

from __future__ import annotations

from prompt_toolkit.application import Application
from prompt_toolkit.output import Output, create_output
from prompt_toolkit.output.vt100 import Vt100_Output


class CursorReports:
    """Hands each prompt of a session an output that asks for CPR only while it may be answered."""

    def __init__(self) -> None:
        self.unanswered = False
        """A prompt of this session asked and got no answer (prompt_toolkit warned once)."""

    def output(self) -> Output:
        """The output for a new prompt: it does not ask a terminal known not to answer."""
        output = create_output()
        if self.unanswered:
            _stop_asking(output)
        return output

    def watch(self, app: Application[str]) -> None:
        """Learn from ``app``'s unanswered request; warn only the first time in the session."""
        renderer = app.renderer
        warn = renderer.cpr_not_supported_callback

        def not_answered() -> None:
            first = not self.unanswered
            self.unanswered = True
            if first and warn is not None:
                warn()  # prompt_toolkit's one line, drawn above the prompt
            _stop_asking(app.output)

        renderer.cpr_not_supported_callback = not_answered


def _stop_asking(output: Output) -> None:
    if isinstance(output, Vt100_Output):
        output.enable_cpr = False
