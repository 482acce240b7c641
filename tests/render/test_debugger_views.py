"""The debugger's views, read back through a rich Console recording: plain records in,
what the user reads out, with every kernel string made harmless."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from ick.debug_records import Breakpoint, Evaluation, Frame, Stop, Variable, VariableListing
from ick.render.debugger_views import (
    breakpoints_view,
    evaluation_view,
    problem_line,
    source_view,
    stack_view,
    stop_heading,
    stopped_view,
    variable_view,
    variables_table,
)

# Clipboard write, window title, a cursor-position query, DCS, a C1 CSI: none may reach a terminal.
HOSTILE = "\x1b]52;c;cHduZWQ=\x07\x1b]0;title\x07\x1b[6n\x1bP+q544e\x1b\\\x9b5n"


def shown(renderable: RenderableType, width: int = 80, colour: bool = False) -> str:
    console = Console(
        width=width,
        file=io.StringIO(),
        force_terminal=colour,
        color_system="256" if colour else None,
        highlight=False,
    )
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def lines_of(renderable: RenderableType, width: int = 80) -> list[str]:
    return [line.rstrip() for line in shown(renderable, width).splitlines()]


F = Frame(id=1, name="f", path="/tmp/ipykernel_1/612248605.py", line=2, input_number=5)
MODULE = Frame(id=2, name="<module>", path="/tmp/ipykernel_1/2482122284.py", line=1, input_number=7)
SOURCE = ["def f(x):", "    y = x + 1", "    return y * 2"]


def test_the_variables_table_has_name_type_and_a_value_cut_at_its_width() -> None:
    listing = VariableListing(
        variables=(
            Variable(name="answer", type="int", value="42"),
            Variable(name="big", type="str", value="'" + "x" * 500, value_cut=True),
            Variable(name="short", type="str", value="'abc'", value_cut=True),
        )
    )
    rows = lines_of(variables_table(listing, value_width=20), width=100)
    assert rows[0].split() == ["name", "type", "value"]
    assert rows[2].split() == ["answer", "int", "42"]
    name, kind, value = rows[3].split()
    assert (name, kind) == ("big", "str")
    assert value == "'" + "x" * 18 + "…"  # 20 cells, the last one the ellipsis
    # Cut by the session already: marked although it fits.
    assert rows[4].split() == ["short", "str", "'abc'…"]


def test_a_listing_the_session_cut_says_so_and_an_empty_one_says_none() -> None:
    listing = VariableListing(variables=(Variable(name="a", type="int", value="1"),), cut=True)
    assert "more than 1; the rest are not shown" in shown(variables_table(listing))
    assert shown(variables_table(VariableListing(variables=()))).strip() == "no variables"


def test_kernel_text_never_reaches_the_terminal_raw() -> None:
    evil = Variable(
        name=f"n{HOSTILE}", type=f"t{HOSTILE}", value=f"v{HOSTILE}\nsecond", reference=3
    )
    stop = Stop(reason="exception", thread_id=1, exception=f"E{HOSTILE}", description=HOSTILE)
    frame = Frame(id=1, name=f"g{HOSTILE}", path=f"/p{HOSTILE}", line=1)
    views = [
        variables_table(VariableListing(variables=(evil,))),
        variable_view(evil, VariableListing(variables=(evil,))),
        stopped_view(stop, frame, [f"code{HOSTILE}"]),
        stack_view([frame]),
        evaluation_view(Evaluation(result=HOSTILE)),
        evaluation_view(Evaluation(error=HOSTILE)),
        problem_line(f"refused{HOSTILE}"),
    ]
    for view in views:
        for colour in (False, True):
            text = shown(view, colour=colour)
            assert "\x07" not in text and "\x9b" not in text and "\x1bP" not in text
            assert "\x1b]" not in text and "\x1b[6n" not in text
    # A value's line break is shown, not obeyed: the table keeps one row per variable.
    assert "v⏎second" in shown(variables_table(VariableListing(variables=(evil,))))


def test_one_variable_expanded_shows_its_items() -> None:
    items = VariableListing(
        variables=(
            Variable(name="0", type="int", value="10"),
            Variable(name="len()", type="int", value="2"),
        )
    )
    view = lines_of(
        variable_view(Variable(name="v", type="list", value="[10]", reference=4), items)
    )
    assert view[0] == "v: list = [10]"
    assert ["0", "int", "10"] in [row.split() for row in view]
    plain = Variable(name="n", type="int", value="3")
    assert lines_of(variable_view(plain, VariableListing(variables=()))) == ["n: int = 3"]


def test_a_stop_names_its_reason_and_place_and_marks_the_line() -> None:
    view = lines_of(
        stopped_view(Stop(reason="breakpoint", thread_id=1), F, SOURCE, breakpoint_lines={2})
    )
    assert view == [
        "Breakpoint in f, In [5], line 2",
        "1     def f(x):",
        "2 B->     y = x + 1",
        "3         return y * 2",
    ]
    error = Stop(
        reason="exception",
        thread_id=1,
        exception="ZeroDivisionError",
        description="division by zero",
    )
    assert shown(stop_heading(error, F)).strip() == (
        "Exception ZeroDivisionError: division by zero in f, In [5], line 2"
    )
    assert shown(stop_heading(Stop(reason="step", thread_id=1), F)).strip() == (
        "Step in f, In [5], line 2"
    )
    outside = Frame(id=3, name="helper", path="/lib/mod.py", line=40)
    assert shown(stop_heading(Stop(reason="goto", thread_id=1), outside)).strip() == (
        "Stopped (goto) in helper, /lib/mod.py, line 40"
    )


def test_the_source_shows_only_the_lines_around_the_current_one() -> None:
    source = [f"line_{number}" for number in range(1, 101)]
    view = lines_of(source_view(source, line=50, context=2))
    assert [row.split()[0] for row in view] == ["48", "49", "50", "51", "52"]
    assert view[2] == "50  -> line_50"
    assert shown(source_view([], line=1)).strip() == "(no source)"


def test_the_stack_reads_outermost_first_with_the_current_frame_marked() -> None:
    assert lines_of(stack_view([F, MODULE], current=0)) == [
        "  In [7], line 1, in <module>",
        "> In [5], line 2, in f",
    ]
    assert lines_of(stack_view([F, MODULE], current=1))[0] == "> In [7], line 1, in <module>"


def test_evaluations_breakpoints_and_failures_read_as_in_pdb() -> None:
    assert shown(evaluation_view(Evaluation(result="21"))).strip() == "21"
    failed = Evaluation(error="ZeroDivisionError: division by zero")
    assert shown(evaluation_view(failed)).strip() == "*** ZeroDivisionError: division by zero"
    placed = [
        Breakpoint(input_number=5, line=2, path="p"),
        Breakpoint(input_number=9, line=1, path="q", verified=False),
    ]
    assert lines_of(breakpoints_view(placed, on_exceptions=True)) == [
        "In [5], line 2",
        "In [9], line 1 (not confirmed by the kernel)",
        "raised exceptions",
    ]
    assert shown(breakpoints_view([], on_exceptions=False)).strip() == "no breakpoints"
