"""Hostile widget traffic, generated: through the store, the renderer on a terminal and the
keyboard, nothing raises, nothing but colours and ick's own redraws reaches the terminal,
and bad messages cost at most one warning line a kind.

In-process (no kernel speaks like this); the real wire's fuzz is ``tests/kernel/test_wire_fuzz``.
"""

from __future__ import annotations

import io
import os
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ick.kernel.widgets import WidgetStore
from ick.render.capabilities import TerminalCapabilities
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.screen_rows import ScreenRows
from ick.render.widget_controls import KEYS, WidgetKeyboard
from ick.render.widgets import WIDGET_VIEW_MIME, WidgetView, widget_text
from ick.render.writer import TerminalWriter

from ..support.widget_kernel import ReplayClient

#: Batches per run; ICK_FUZZ_BATCHES (as for the wire fuzz) asks for a longer hunt.
EXAMPLES = int(os.environ.get("ICK_FUZZ_BATCHES", "100"))
COLOUR = TerminalCapabilities(stdin_is_tty=True, stdout_is_tty=True, color_system="256")
IDS = ["a", "b", "c", "layout", "\x1b]0;id\x07"]
REQUESTS = ["req-1", "req-2"]
HOSTILE = [
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b[6n\x1b[c",
    "\x9b2J\x9d0;x\x9c",
    "\x1b[?1049h",
    "<b>\x1b]0;t\x07</b>&#27;[6n",
    "$\\frac{a}{\\x1b]0;t\\x07}$",
    "\udcff",
    "",
    "x" * 200,
]
ODD: list[Any] = [None, True, -1, 0, 2.5, 2**70, float("nan"), float("inf"), [], {}, "", [None]]
NAMES = [
    "IntProgressModel", "FloatProgressModel", "LabelModel", "HTMLModel", "HTMLMathModel",
    "ValidModel", "IntSliderModel", "FloatSliderModel", "FloatLogSliderModel",
    "IntRangeSliderModel", "SelectionSliderModel", "SelectionRangeSliderModel", "TextModel",
    "TextareaModel", "BoundedIntTextModel", "CheckboxModel", "ToggleButtonModel", "ButtonModel",
    "DropdownModel", "RadioButtonsModel", "SelectModel", "SelectMultipleModel",
    "ToggleButtonsModel", "PlayModel", "ImageModel", "HBoxModel", "VBoxModel", "GridBoxModel",
    "AccordionModel", "TabModel", "StackModel", "OutputModel", "LayoutModel", "NoSuchModel",
]  # fmt: skip
MODULES = ["@jupyter-widgets/controls", "@jupyter-widgets/output", "bqplot", None, 7]

texts = st.sampled_from(HOSTILE) | st.text(max_size=8)
values = texts | st.sampled_from(ODD) | st.integers(-5, 120) | st.floats(-10, 10)
references = st.sampled_from([f"IPY_MODEL_{i}" for i in IDS] + ["IPY_MODEL_", "IPY_MODEL_zz"])
outputs = st.lists(
    st.fixed_dictionaries(
        {
            "output_type": st.sampled_from(["stream", "display_data", "error", "bogus"]) | values,
            "text": texts | values,
            "data": st.fixed_dictionaries(
                {WIDGET_VIEW_MIME: st.fixed_dictionaries({"model_id": st.sampled_from(IDS)})}
            )
            | st.dictionaries(st.sampled_from(["text/plain", "image/png"]), texts, max_size=1)
            | values,
            "traceback": st.lists(texts, max_size=2) | values,
        }
    )
    | values,
    max_size=3,
)
STATE_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "value": values | st.binary(max_size=8) | st.lists(values, max_size=2),
    "min": values,
    "max": values,
    "step": values,
    "base": values,
    "index": values | st.lists(st.integers(-2, 5) | values, max_size=3),
    "_options_labels": st.lists(texts | values, max_size=4) | values,
    "description": texts | values,
    "description_allow_html": values,
    "children": st.lists(references | values, max_size=4) | values,
    "layout": references | values,
    "style": references | values,
    "titles": st.lists(texts | values, max_size=3) | values,
    "selected_index": values,
    "outputs": outputs,
    "msg_id": st.sampled_from(REQUESTS) | values,
    "bar_style": st.sampled_from(["success", "danger", "", "\x1b]0;t\x07"]) | values,
    "bar_color": texts | values,
    "readout_format": st.sampled_from([".2f", "d", "%%", "{", ".3g"]) | values,
    "format": st.sampled_from(["png", "url", "svg", "\x1b[6n"]) | values,
    "visibility": st.sampled_from(["hidden", "visible"]) | values,
    "grid_template_columns": st.sampled_from(["repeat(3, 1fr)", "1fr (2fr", ""]) | values,
    "rows": values,
    "placeholder": texts | values,
    "disabled": values,
    "continuous_update": values,
    "playing": values,
}
states = (
    st.fixed_dictionaries(
        {"_model_name": st.sampled_from(NAMES) | values, "_model_module": st.sampled_from(MODULES)},
        optional={key: strategy for key, strategy in STATE_KEYS.items()},
    )
    | values
)
buffer_paths = st.lists(
    st.lists(st.sampled_from(["value", "children", 0, 1, -1, "x"]) | values, max_size=3) | values,
    max_size=2,
)


def message(kind: Any, parent: Any, body: Any, buffers: list[bytes]) -> dict[str, Any]:
    return {
        "header": {"msg_type": kind, "msg_id": "k"},
        "parent_header": {"msg_id": parent},
        "metadata": {"version": "2.1.0"},
        "content": body,
        "buffers": buffers,
    }


@st.composite
def widget_messages(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["comm_open"] * 3 + ["comm_msg"] * 4 + ["comm_close", "display_data"])
        | st.sampled_from(["stream", "clear_output", "execute_result", "status"])
    )
    comm_id = draw(st.sampled_from(IDS) | values)
    parent = draw(st.sampled_from([*REQUESTS, "other"]) | values)
    buffers = draw(st.lists(st.binary(max_size=4), max_size=2))
    data: Any
    if kind == "comm_open":
        data = (
            {"state": draw(states), "buffer_paths": draw(buffer_paths)}
            if draw(st.booleans())
            else draw(values)
        )
        target = draw(st.sampled_from(["jupyter.widget"] * 4 + ["jupyter.widget.control", "x"]))
        body = {"comm_id": comm_id, "target_name": target, "data": data}
    elif kind == "comm_msg":
        method = draw(
            st.sampled_from(["update", "echo_update", "custom", "request_state", "update_states"])
            | values
        )
        data = {"method": method, "state": draw(states), "buffer_paths": draw(buffer_paths)}
        body = {"comm_id": comm_id, "data": data if draw(st.integers(0, 5)) else draw(values)}
    elif kind == "comm_close":
        body = {"comm_id": comm_id}
    elif kind in ("display_data", "execute_result"):
        body = {"data": {WIDGET_VIEW_MIME: {"model_id": comm_id}, "text/plain": draw(texts)}}
    elif kind == "stream":
        body = {"name": "stdout", "text": draw(texts)}
    elif kind == "status":
        body = {"execution_state": draw(st.sampled_from(["busy", "starting"]))}
    else:
        body = {"wait": draw(values)}
    return message(kind, parent, body if draw(st.integers(0, 9)) else draw(values), buffers)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# What ick itself writes: colours (SGR), and its erase-and-redraw ("\r", rows up, erase below).
_OWN = re.compile(r"\x1b\[[0-9;]*m|\r(?:\x1b\[\d+F)?\x1b\[J")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    batch=st.lists(widget_messages(), min_size=5, max_size=40),
    keys=st.lists(st.sampled_from(sorted(KEYS)) | st.sampled_from(["a", "7", "-"]), max_size=12),
)
def test_hostile_widget_traffic_never_breaks_ick(batch: list[dict[str, Any]], keys: list[str]):
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=io.StringIO()))
    output.screen = ScreenRows(lambda: (60, 20))
    client = ReplayClient()
    store = WidgetStore(client=client)
    renderer = OutputRenderer(output=output, capabilities=COLOUR, widgets=store)
    client.add_listener(lambda msg, own: renderer.handle(msg))
    renderer.start_output_area()
    client.feed(*batch)
    keyboard = WidgetKeyboard(models=store)
    keyboard.set_roots(list(store.model_ids()))
    keyboard.start()
    for key in keys:
        for change in [*keyboard.press(key), *keyboard.tab()]:
            change.send(store)
        focus = keyboard.focus
        renderer.focus_widgets(focused=focus.focused, cursor=focus.cursor, drafts=focus.drafts)
    renderer.finish_output_area()
    output.flush()
    for model_id in store.model_ids():
        text = widget_text(model_id, WidgetView(models=store))
        assert text is None or "\x1b" not in text
    # The sanitiser's policy: printable text, \b \t \n \r, and nothing else that acts.
    shown = _OWN.sub("", out.getvalue())
    assert not re.search(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]", shown), repr(shown)
    # Bugs would show as a handler's warning: the store and the router catch what escapes.
    assert not [w for w in client.warnings if "failed to handle" in w], client.warnings
    assert len(client.warnings) == len(set(client.warnings)) <= 5
