"""The output renderer with a widget store: widget displays drawn from their models, redrawn
in place on a terminal, printed once in their final state elsewhere.  The messages are what a
real ipykernel sent (recorded by ick's client once for the module), routed as ick routes them:
the store sees each first, then the renderer."""

from __future__ import annotations

import asyncio
import copy
import io
import re
from typing import Any

import pytest

from ick.kernel.widgets import WidgetStore
from ick.messages import content, msg_type
from ick.render.capabilities import TerminalCapabilities
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.screen_rows import ScreenRows
from ick.render.writer import TerminalWriter

from ..support.widget_kernel import ReplayClient, comm_msg, models_named, record_now

PLAIN = TerminalCapabilities(stdin_is_tty=False, stdout_is_tty=False, color_system=None)
COLOUR = TerminalCapabilities(stdin_is_tty=True, stdout_is_tty=True, color_system="256")
ERASE = "\x1b[J"

TQDM = "from tqdm.auto import tqdm\nfor i in tqdm(range(100)): pass"
AROUND = "print('before')\nfor i in tqdm(range(10)): pass\nprint('after')"
LEAVE = "for i in tqdm(range(10), leave=False): pass"
RESULT = "import ipywidgets as w\ns = w.IntSlider(value=5, description='x')\ns"
OUTPUT = "o = w.Output()\ndisplay(o)\nwith o:\n    print('inside')\nprint('outside')"


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[dict[str, Any]]]:
    names = ("tqdm", "around", "leave", "result", "output")
    return dict(zip(names, record_now(TQDM, AROUND, LEAVE, RESULT, OUTPUT), strict=True))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Session:
    """A renderer and a store over a replay client, on a terminal or a file."""

    def __init__(self, terminal: bool) -> None:
        self.out = FakeTerminal() if terminal else io.StringIO()
        err = FakeTerminal() if terminal else io.StringIO()
        self.output = TerminalWriter(environment=Environment.of(stdout=self.out, stderr=err))
        if terminal:
            self.output.screen = ScreenRows(lambda: (100, 30))
        self.client = ReplayClient()
        self.store = WidgetStore(client=self.client)
        self.renderer = OutputRenderer(
            output=self.output,
            capabilities=COLOUR if terminal else PLAIN,
            show_out_prompt=terminal,
            widgets=self.store,
        )
        # Every message reaches the renderer after the store, as the router hands them on.
        self.client.add_listener(lambda msg, own: self.renderer.handle(msg))

    def run(self, messages: list[dict[str, Any]]) -> str:
        """One execution's messages, to the end of the cell; what stdout got."""
        self.renderer.start_output_area()
        self.client.feed(*messages)
        self.renderer.finish_output_area()
        self.output.flush()
        return self.out.getvalue()


def final_screen(raw: str) -> str:
    """What is left after the last in-place redraw (the erase and what follows it), without
    its colours."""
    return without_colour(raw.rsplit(ERASE, 1)[-1])


def without_colour(raw: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", raw)


def test_in_a_file_a_tqdm_bar_is_one_line_in_its_final_state(recorded):
    out = Session(terminal=False).run(recorded["tqdm"])
    assert out.count("\n") == 1 and out.startswith("100%|██████████")
    assert "| 100/100 [" in out and out.endswith("it/s]\n")
    assert "HBox(" not in out and "\x1b" not in out and "0/100" not in out.replace("100/100", "")


def test_in_a_file_a_widget_keeps_its_place_among_the_prints(recorded):
    session = Session(terminal=False)
    session.run(recorded["tqdm"][:0])  # tqdm imported in the kernel already
    lines = session.run(recorded["around"]).split("\n")
    assert lines[0] == "before" and lines[1].startswith("100%|") and lines[2] == "after"


def test_on_a_terminal_the_bar_is_redrawn_in_place_to_its_final_state(recorded):
    session = Session(terminal=True)
    raw = session.run(recorded["tqdm"])
    assert without_colour(raw).startswith("|    ")  # drawn at once, then updated where it is
    assert raw.count(ERASE) >= 1
    final = final_screen(raw)
    assert final.count("\n") == 1 and "100%|" in final and "| 100/100 [" in final
    assert "HBox(" not in raw


def test_a_flood_of_updates_is_one_redraw_of_the_latest_state(recorded):
    async def scenario() -> None:
        session = Session(terminal=True)
        session.renderer.start_output_area()
        session.client.feed(*recorded["tqdm"])
        session.output.flush()
        (bar,) = models_named(session.store, "FloatProgressModel")
        await asyncio.sleep(0)  # the redraw of the recorded cell
        drawn = session.out.getvalue().count(ERASE)
        updates = [
            comm_msg(bar, {"method": "update", "state": {"value": n % 100}, "buffer_paths": []})
            for n in range(1, 10_001)
        ]
        session.client.feed(*updates)  # 10,000 updates in one burst
        for _ in range(3):
            await asyncio.sleep(0)
        session.output.flush()
        raw = session.out.getvalue()
        assert raw.count(ERASE) == drawn + 1
        assert "100%|      " in final_screen(raw)  # 10,000 % 100: the latest state, an empty bar
        # A second burst right after waits its turn: drawn no sooner than the interval.
        session.client.feed(*[copy.deepcopy(update) for update in updates[:50]])
        await asyncio.sleep(0)
        assert session.renderer._redraw is not None
        assert session.out.getvalue().count(ERASE) == drawn + 1
        session.renderer.finish_output_area()  # the cell ends: drawn now
        session.output.flush()
        assert session.out.getvalue().count(ERASE) == drawn + 2
        assert "100%|█████████████" in final_screen(session.out.getvalue())  # at 50 of 100

    asyncio.run(scenario())


def test_output_below_a_widget_comes_after_its_latest_state(recorded):
    session = Session(terminal=True)
    session.run(recorded["tqdm"][:0])
    raw = session.run(recorded["around"])
    rest = raw.split("before\n", 1)[1]
    bar, after = rest.rsplit("after\n", 1)
    assert "100%|" in final_screen(bar) and "| 10/10 [" in final_screen(bar)
    assert after == ""  # nothing reprinted below: it was up to date when buried


def test_a_bar_closed_with_leave_false_is_erased(recorded):
    session = Session(terminal=True)
    raw = session.run(recorded["leave"])
    assert raw.count("|") >= 2  # it was drawn
    assert final_screen(raw) == ""


def test_a_widget_result_keeps_its_out_prompt_through_redraws(recorded):
    session = Session(terminal=True)
    raw = without_colour(session.run(recorded["result"]))
    assert re.match(r"Out\[\d+\]: x ━●─+ 5\n$", raw), raw
    (slider,) = models_named(session.store, "IntSliderModel")
    session.store.send_update(slider, {"value": 80})  # the user moves it after the cell
    session.output.flush()
    assert re.match(r"Out\[\d+\]: x ━{20,}●─+ 80\n$", final_screen(session.out.getvalue()))


def test_output_captured_by_an_output_widget_is_drawn_inside_it_only(recorded):
    session = Session(terminal=False)
    session.run(recorded["result"])
    out = session.run(recorded["output"])
    assert out.split("\n")[1:] == ["inside", "outside", ""]


def test_widgets_never_seen_opened_fall_back_to_their_text(recorded):
    session = Session(terminal=False)
    display = next(msg for msg in recorded["tqdm"] if msg_type(msg) == "display_data")
    out = session.run([display])
    assert out == content(display)["data"]["text/plain"] + "\n"


def test_clear_output_erases_the_widgets_of_the_cell(recorded):
    session = Session(terminal=True)
    raw = session.run(recorded["result"])
    clear = {
        "header": {"msg_type": "clear_output"},
        "parent_header": {},
        "content": {"wait": False},
    }
    session.renderer.handle(clear)
    (slider,) = models_named(session.store, "IntSliderModel")
    session.store.send_update(slider, {"value": 80})
    session.output.flush()
    after = session.out.getvalue()[len(raw) :]
    assert after.endswith(ERASE)  # cleared, and not drawn again
