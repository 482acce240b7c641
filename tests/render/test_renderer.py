"""Output messages rendered into the two streams, through a recording of each."""

from __future__ import annotations

import io
from typing import Any

from ick.messages import error_text
from ick.render.capabilities import TerminalCapabilities
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.screen_rows import ScreenRows
from ick.render.writer import TerminalWriter

PLAIN = TerminalCapabilities(stdin_is_tty=False, stdout_is_tty=False, color_system=None)
COLOUR = TerminalCapabilities(stdin_is_tty=True, stdout_is_tty=True, color_system="256")


def render(*messages: dict[str, Any], caps: TerminalCapabilities = PLAIN) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=err))
    renderer = OutputRenderer(output=output, capabilities=caps)
    for msg in messages:
        renderer.handle(msg)
    output.flush()
    return out.getvalue(), err.getvalue()


def msg(kind: str, **body: Any) -> dict[str, Any]:
    return {"header": {"msg_type": kind}, "parent_header": {}, "content": body}


def test_streams_go_to_their_own_stream_in_order():
    out, err = render(
        msg("stream", name="stdout", text="one\n"),
        msg("stream", name="stderr", text="oops\n"),
        msg("stream", name="stdout", text="two\n"),
    )
    assert out == "one\ntwo\n"
    assert err == "oops\n"


def test_execute_result_gets_the_out_prompt_with_the_kernels_count():
    out, _ = render(msg("execute_result", execution_count=7, data={"text/plain": "42"}))
    assert out == "Out[7]: 42\n"


def test_a_multiline_result_starts_below_the_prompt():
    out, _ = render(msg("execute_result", execution_count=2, data={"text/plain": "a\nb"}))
    assert out == "Out[2]: \na\nb\n"


def test_display_data_has_no_prompt_and_falls_back_to_naming_what_it_cannot_show():
    out, _ = render(
        msg("display_data", data={"text/plain": "<Figure>", "image/png": "AAAA"}),
        msg("display_data", data={"image/png": "AAAA"}),
    )
    assert out == "<Figure>\n<image/png output>\n"


def test_kernel_colours_are_kept_on_a_colour_terminal():
    out, _ = render(
        msg("execute_result", execution_count=1, data={"text/plain": "\x1b[33m5\x1b[39m"}),
        caps=COLOUR,
    )
    assert "\x1b[33m5" in out


def test_hostile_sequences_in_every_text_path_are_removed():
    title = "\x1b]0;pwned\x07"
    clipboard = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
    query = "\x1b[6n"
    out, err = render(
        msg("stream", name="stdout", text=f"a{title}b\n"),
        msg("stream", name="stderr", text=f"c{clipboard}d\n"),
        msg("execute_result", execution_count=1, data={"text/plain": f"e{query}f"}),
        msg("error", ename="E", evalue="v", traceback=[f"g{title}h"]),
        caps=COLOUR,
    )
    for text in (out, err):
        assert "\x1b]" not in text and "\x1b[6n" not in text and "\x07" not in text
    assert "ab\n" in out and "cd\n" in err and "gh\n" in err


def test_errors_without_a_traceback_show_ename_and_evalue():
    assert error_text({"ename": "NameError", "evalue": "x", "traceback": []}) == "NameError: x"
    assert error_text({"ename": "", "evalue": "127", "traceback": []}) == "127"
    assert error_text({}) == "error"
    assert error_text({"traceback": ["line 1", "line 2"]}) == "line 1\nline 2"


def test_malformed_output_messages_are_skipped():
    out, err = render(
        msg("stream", name="stdout", text=None),
        msg("execute_result", data="not a dict"),
        msg("display_data", data={}),
        {"header": {"msg_type": "stream"}, "content": "nonsense"},
    )
    assert out == "" and err == ""


def test_other_clients_input_and_result_are_labelled():
    out, err = io.StringIO(), io.StringIO()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=err))
    renderer = OutputRenderer(output=output, capabilities=PLAIN)
    renderer.handle(msg("execute_input", code="x = 1\nx + 1", execution_count=4), other=True)
    renderer.handle(msg("execute_result", execution_count=4, data={"text/plain": "2"}), other=True)
    renderer.handle(msg("execute_input", code="ignored when ours", execution_count=5))
    output.flush()
    assert out.getvalue() == "[other] In [4]: x = 1\n           ...: x + 1\n[other] Out[4]: 2\n"


# -- the display machinery: clear_output and update_display_data --------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_terminal() -> tuple[OutputRenderer, TerminalWriter, FakeTerminal]:
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=FakeTerminal()))
    output.screen = ScreenRows(lambda: (80, 24))
    renderer = OutputRenderer(output=output, capabilities=COLOUR)
    renderer.start_output_area()
    return renderer, output, out


def shown_display(text: str, display_id: str = "d1", kind: str = "display_data") -> dict:
    return msg(kind, data={"text/plain": text}, metadata={}, transient={"display_id": display_id})


def test_update_display_data_redraws_in_place_while_the_display_is_last() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(shown_display("first\nline"))
    renderer.handle(shown_display("second", kind="update_display_data"))
    output.flush()
    assert out.getvalue() == "first\nline\n\r\x1b[2F\x1b[Jsecond\n"


def test_update_display_data_prints_again_once_something_came_after() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(shown_display("first"))
    renderer.handle(msg("stream", name="stdout", text="in between\n"))
    renderer.handle(shown_display("second", kind="update_display_data"))
    output.flush()
    assert out.getvalue() == "first\nin between\nsecond\n"


def test_update_display_data_prints_again_after_the_prompt_moved_the_screen_on() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(shown_display("first"))
    output.screen_moved_on()
    renderer.handle(shown_display("second", kind="update_display_data"))
    output.flush()
    assert out.getvalue() == "first\nsecond\n"


def test_clear_output_erases_this_executions_output() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(msg("stream", name="stdout", text="a\nb\n"))
    renderer.handle(msg("clear_output", wait=False))
    renderer.handle(msg("stream", name="stdout", text="c\n"))
    output.flush()
    assert out.getvalue() == "a\nb\n\r\x1b[2F\x1b[Jc\n"


def test_clear_output_wait_defers_the_clear_until_the_next_output() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(msg("stream", name="stdout", text="tick 0\n"))
    renderer.handle(msg("clear_output", wait=True))
    output.flush()
    assert out.getvalue() == "tick 0\n"  # nothing erased yet: no flicker
    renderer.handle(msg("stream", name="stdout", text="tick 1\n"))
    output.flush()
    assert out.getvalue() == "tick 0\n\r\x1b[1F\x1b[Jtick 1\n"


def test_clear_output_leaves_what_came_before_the_execution() -> None:
    renderer, output, out = on_terminal()
    renderer.handle(msg("stream", name="stdout", text="earlier cell\n"))
    output.screen_moved_on()  # the next input line
    renderer.start_output_area()
    renderer.handle(msg("stream", name="stdout", text="x\n"))
    renderer.handle(msg("clear_output", wait=False))
    output.flush()
    assert out.getvalue() == "earlier cell\nx\n\r\x1b[1F\x1b[J"


def test_in_a_file_clears_are_skipped_and_updates_printed() -> None:
    out, _ = render(
        shown_display("first"),
        msg("clear_output", wait=False),
        shown_display("second", kind="update_display_data"),
    )
    assert out == "first\nsecond\n"


def test_a_display_starts_on_a_line_of_its_own() -> None:
    out, _ = render(msg("stream", name="stdout", text="no newline"), shown_display("shown"))
    assert out == "no newline\nshown\n"
