"""What a debug session shows: variables, the stack, and where the code stopped.

Renderables made from the plain records of :mod:`ick.debug_records`; this
module knows no kernel.  Every name, type, value and line of source came from
the kernel, so each one goes through :func:`~ick.render.sanitize.plain_text`
and is kept to one line where a table or a listing expects one.  The layout
follows pdb where pdb has one (``->`` on the current line, ``>`` on the
current frame, ``***`` before an error), since that is what Python users read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ick.debug_records import Breakpoint, Evaluation, Frame, Stop, Variable, VariableListing
from ick.render.sanitize import plain_text

#: Cells of a value shown in a table row before it is cut.
VALUE_WIDTH = 60
#: Lines shown on each side of the current line.
SOURCE_CONTEXT = 5
#: Marks a line break inside a value squeezed onto one line.
LINE_BREAK = "⏎"


def one_line(text: str) -> str:
    """Kernel text made safe and flat: no escapes, no controls, line breaks shown as ⏎."""
    clean = plain_text(text).replace("\t", " ")
    lines = clean.split("\n")
    flat = LINE_BREAK.join(line.rstrip("\r") for line in lines)
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in flat)


def cut_text(text: str, width: int, *, already_cut: bool = False, style: str = "") -> Text:
    """:func:`one_line` of ``text`` in at most ``width`` cells, ending in … when cut here or
    by the session before (``already_cut``)."""
    shown = Text(one_line(text), style=style, no_wrap=True)
    if already_cut or shown.cell_len > width:
        shown.truncate(max(width - 1, 1))
        shown.append("…", style="dim")
    return shown


def problem_line(message: str) -> Text:
    """A debugger failure (a refused or unanswered request) as pdb shows errors."""
    return Text(f"*** {one_line(message)}", style="red")


def variables_table(
    listing: VariableListing, *, value_width: int = VALUE_WIDTH, empty: str = "no variables"
) -> RenderableType:
    """Name, type and short value of each variable (``)vars``, ``vars`` when stopped)."""
    if not listing.variables:
        return Text(empty, style="dim")
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
    )
    table.add_column("name", no_wrap=True, style="bold")
    table.add_column("type", no_wrap=True, style="cyan")
    table.add_column("value", no_wrap=True, max_width=value_width)
    for variable in listing.variables:
        table.add_row(
            cut_text(variable.name, value_width),
            cut_text(variable.type, 30),
            cut_text(variable.value, value_width, already_cut=variable.value_cut),
        )
    if not listing.cut:
        return table
    more = Text(f"… more than {len(listing.variables)}; the rest are not shown", style="dim")
    return Group(table, more)


def variable_view(
    variable: Variable, children: VariableListing, *, value_width: int = VALUE_WIDTH
) -> RenderableType:
    """One variable and its items or attributes (``)vars NAME``)."""
    heading = Text()
    heading.append(one_line(variable.name), style="bold")
    if variable.type:
        heading.append(": ")
        heading.append(one_line(variable.type), style="cyan")
    heading.append(" = ")
    heading.append_text(cut_text(variable.value, value_width, already_cut=variable.value_cut))
    if not variable.expandable:
        return heading
    return Group(heading, variables_table(children, value_width=value_width, empty="(no items)"))


def stop_heading(stop: Stop, frame: Frame | None) -> Text:
    """Why and where the code stopped: ``Breakpoint in f, In [5], line 2``."""
    where = Text()
    if frame is not None:
        where.append(" in ")
        where.append(one_line(frame.name) or "?", style="bold")
        where.append(", ")
        where.append(one_line(frame.place))
    if stop.reason == "exception":
        heading = Text("Exception ", style="bold red")
        parts = [one_line(part) for part in (stop.exception, stop.description) if part]
        heading.append(": ".join(parts) or "raised", style="red")
        return heading + where
    names = {"breakpoint": "Breakpoint", "step": "Step", "pause": "Paused", "entry": "Entry"}
    heading = Text(names.get(stop.reason, f"Stopped ({one_line(stop.reason)})"), style="bold")
    return heading + where


def source_view(
    lines: Sequence[str],
    *,
    line: int,
    breakpoint_lines: Collection[int] = (),
    context: int = SOURCE_CONTEXT,
) -> Text:
    """The source around ``line`` (1-based), numbered, the line marked ``->`` and breakpoints
    ``B``, as pdb's ``l`` shows it."""
    if not lines:
        return Text("(no source)", style="dim")
    first = max(1, min(line, len(lines)) - context)
    last = min(len(lines), max(line, 1) + context)
    width = len(str(last))
    shown = Text()
    for number in range(first, last + 1):
        current = number == line
        mark = ("B" if number in breakpoint_lines else " ") + ("->" if current else "  ")
        row = Text(f"{number:>{width}} {mark} ", style="bold" if current else "dim")
        row.append(one_line(lines[number - 1]), style="bold" if current else "")
        if number < last:
            row.append("\n")
        shown.append_text(row)
    return shown


def stopped_view(
    stop: Stop,
    frame: Frame | None,
    lines: Sequence[str],
    *,
    breakpoint_lines: Collection[int] = (),
    context: int = SOURCE_CONTEXT,
) -> RenderableType:
    """What ick shows when the code stops: why and where, then the source around the line."""
    heading = stop_heading(stop, frame)
    if frame is None:
        return heading
    source = source_view(lines, line=frame.line, breakpoint_lines=breakpoint_lines, context=context)
    return Group(heading, source)


def frame_view(
    frame: Frame,
    lines: Sequence[str],
    *,
    breakpoint_lines: Collection[int] = (),
    context: int = SOURCE_CONTEXT,
) -> RenderableType:
    """A frame moved to (pdb's ``u`` and ``d``): where it is, then the source around its line."""
    heading = Text("> ", style="bold")
    heading.append(one_line(frame.place))
    heading.append(", in ")
    heading.append(one_line(frame.name) or "?", style="bold")
    source = source_view(lines, line=frame.line, breakpoint_lines=breakpoint_lines, context=context)
    return Group(heading, source)


def stack_view(frames: Sequence[Frame], *, current: int = 0) -> Text:
    """The stack as pdb's ``w`` prints it: outermost first, ``>`` on the current frame
    (``frames`` are innermost first, as the debugger sends them)."""
    if not frames:
        return Text("(no frames)", style="dim")
    shown = Text()
    for index in reversed(range(len(frames))):
        frame = frames[index]
        marker = "> " if index == current else "  "
        row = Text(marker, style="bold")
        row.append(one_line(frame.place))
        row.append(", in ")
        row.append(one_line(frame.name) or "?", style="bold" if index == current else "")
        if index:
            row.append("\n")
        shown.append_text(row)
    return shown


def evaluation_view(evaluation: Evaluation, *, width: int = 10_000) -> Text:
    """An expression's value (``p EXPR``), or its error as pdb shows one."""
    if evaluation.error:
        return problem_line(evaluation.error)
    return cut_text(evaluation.result, width, already_cut=evaluation.result_cut)


def breakpoints_view(breakpoints: Sequence[Breakpoint], *, on_exceptions: bool) -> Text:
    """The breakpoints ick set (``)break``), then whether raised exceptions stop the code."""
    shown = Text()
    for breakpoint_ in breakpoints:
        shown.append(f"In [{breakpoint_.input_number}], line {breakpoint_.line}")
        if not breakpoint_.verified:
            shown.append(" (not confirmed by the kernel)", style="dim")
        shown.append("\n")
    if on_exceptions:
        shown.append("raised exceptions\n")
    if not shown:
        return Text("no breakpoints", style="dim")
    shown.rstrip()
    return shown
