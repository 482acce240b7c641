"""Widgets drawn from their models: real models (recorded from ipykernel with ipywidgets 8
by ick's client, once for the module) and hostile ones made by hand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from rich.console import Console

from ick.kernel.widgets import WidgetStore
from ick.messages import content, msg_type
from ick.render.capabilities import TerminalCapabilities
from ick.render.widgets import (
    WidgetView,
    draw_widget,
    render_widget,
    render_widget_bundle,
    view_model_id,
    widget_text,
)

from ..support.widget_kernel import ReplayClient, record_now

# SGR with 7 (reverse video) among its parameters.
REVERSE = re.compile(r"\x1b\[(?:[0-9]+;)*7(?:;[0-9]+)*m")
COLOUR = TerminalCapabilities(stdin_is_tty=True, stdout_is_tty=True, color_system="truecolor")

# One display per line, each named by a comment for the test that checks it.
GALLERY = """\
import ipywidgets as w
from tqdm.auto import tqdm
for i in tqdm(range(100), desc='train'): pass
for i in tqdm(range(10)):
    if i == 4: break
display(w.IntSlider(value=30, description='x'))
display(w.FloatSlider(value=2.5, max=10, step=0.5))
display(w.IntRangeSlider(value=(20, 60)))
display(w.FloatLogSlider(value=100))
display(w.SelectionSlider(options=['s', 'm', 'l'], value='m'))
display(w.Text(value='hello', description='Name:'))
display(w.Text(placeholder='type here'))
display(w.Password(value='secret'))
display(w.Textarea(value='a\\nb'))
display(w.IntText(7))
display(w.Checkbox(True, description='ok'))
display(w.ToggleButton(True, description='Bold'))
display(w.Button(description='Go', button_style='success'))
display(w.Valid(False))
display(w.Dropdown(options=['a', 'b', 'c'], value='b', description='pick'))
display(w.RadioButtons(options=['x', 'y']))
display(w.Select(options=list('abcdefgh'), rows=3, value='e'))
display(w.SelectMultiple(options=['p', 'q', 'r'], value=['p', 'r']))
display(w.ToggleButtons(options=['lo', 'mid', 'hi']))
display(w.Play(value=3, max=10))
display(w.Label('A <label>'))
display(w.HTML('<b>bold</b> and <i>it</i>'))
display(w.HTMLMath(r'Area $\\pi r^2$'))
display(w.HBox([w.Label('left'), w.Button(description='b')]))
display(w.VBox([w.Label('top'), w.Label('bottom')]))
two = [w.Label('one'), w.Label('two')]
display(w.Accordion(children=two, titles=('First', 'Second'), selected_index=1))
display(w.Tab(children=[w.Label('one'), w.Label('two')], titles=('A', 'B'), selected_index=0))
three = w.Layout(grid_template_columns='repeat(3, 100px)')
display(w.GridBox([w.Label(str(i)) for i in range(6)], layout=three))
o = w.Output()
with o:
    print('captured')
    display(w.IntProgress(50, bar_style='danger'))
display(o)
display(w.IntProgress(value=7, max=10, description='Load:', bar_style='warning'))
hidden = w.Label('invisible')
hidden.layout.visibility = 'hidden'
display(hidden)
display(w.Image(value=b'GIF89a', format='gif'))
"""

EXPECTED = [
    "train: 100%|{bar}| 100/100 [",
    " 40%|{bar}| 4/10 [",
    "x ━━━━━━━━━●──────────────────── 30",
    "━━━━━━━●────────────────────── 2.50",
    "──────●━━━━━━━━━━●──────────── 20 – 60",
    "━━━━━━━━━━━━━━●─────────────── 100",
    "━━━━━━━━━━━━━━●─────────────── m",
    "Name: [hello                         ]",
    "[type here                     ]",
    "[••••••                        ]",
    "│ a\n│ b",
    "[ 7 ]",
    "[x] ok",
    "[✓ Bold]",
    "[ Go ]",
    "✘ Invalid",
    "pick [b ▾]",
    "(•) x\n( ) y",
    "  d\n› e\n  f",
    "[x] p\n[ ] q\n[x] r",
    "[lo] mid  hi",
    "[▶] 3 / 10",
    "A <label>",
    "bold and it",
    "Area π r²",
    "left [ b ]",
    "top\nbottom",
    "▸ First\n▾ Second\n  two",
    "[A] B\none",
    "0  1  2\n3  4  5",
    "captured\n|{bar}|",
    "Load: |{bar}|",
    "",
    "[image/gif: 6 bytes]",
]


@pytest.fixture(scope="module")
def gallery() -> tuple[WidgetStore, list[str]]:
    (messages,) = record_now(GALLERY)
    client = ReplayClient()
    store = WidgetStore(client=client)
    client.feed(*messages)
    shown = []
    for msg in messages:
        data = content(msg).get("data")
        if msg_type(msg) == "display_data" and isinstance(data, dict):
            model_id = view_model_id(data)
            if model_id is not None and not _inside_output(msg, store):
                shown.append(model_id)
    return store, shown


def _inside_output(msg: dict[str, Any], store: WidgetStore) -> bool:
    # The progress bar displayed inside the Output widget is drawn there, not on its own.
    return any(
        (store.state_of(mid) or {}).get("_model_name") == "IntProgressModel"
        and (store.state_of(mid) or {}).get("bar_style") == "danger"
        for mid in [view_model_id(content(msg)["data"])]
    )


def test_every_kind_reads_as_expected_in_plain_text(gallery):
    store, shown = gallery
    view = WidgetView(models=store)
    assert len(shown) == len(EXPECTED)
    for model_id, expected in zip(shown, EXPECTED, strict=True):
        text = widget_text(model_id, view)
        assert text is not None
        if "{bar}" in expected:
            before, after = expected.split("{bar}")
            assert text.startswith(before) and after in text, (text, expected)
            bar = text[len(before) :].split("|")[0]
            assert bar.strip(" █▏▎▍▌▋▊▉") == "", text
        else:
            assert text == expected, (text, expected)


def test_a_tqdm_bar_is_one_line_with_its_counts_and_rate(gallery):
    store, shown = gallery
    text = widget_text(shown[0], WidgetView(models=store), width=100)
    assert text is not None and "\n" not in text
    assert text.startswith("train: 100%|██████") and text.endswith("it/s]")
    assert "\u2007" not in text  # tqdm's figure spaces read as spaces


def test_bar_styles_colour_the_bar(gallery):
    store, shown = gallery
    console = Console(width=100, color_system="truecolor", force_terminal=True, file=None)
    with console.capture() as captured:
        console.print(render_widget(shown[0], WidgetView(models=store, capabilities=COLOUR)))
    success = captured.get()
    with console.capture() as captured:
        console.print(render_widget(shown[1], WidgetView(models=store, capabilities=COLOUR)))
    danger = captured.get()
    assert "\x1b[32m█" in success  # green: finished
    assert "\x1b[31m█" in danger  # red: stopped early


def test_the_focused_control_is_highlighted(gallery):
    store, shown = gallery
    button = shown[EXPECTED.index("[ Go ]")]
    console = Console(width=80, color_system="256", force_terminal=True)
    with console.capture() as captured:
        console.print(render_widget(button, WidgetView(models=store, focused=button)))
    assert REVERSE.search(captured.get())
    with console.capture() as captured:
        console.print(render_widget(button, WidgetView(models=store)))
    assert not REVERSE.search(captured.get())


def test_a_drawing_names_every_model_it_read(gallery):
    store, shown = gallery
    drawn = draw_widget(shown[0], WidgetView(models=store))
    assert drawn is not None
    names = {store.state_of(mid)["_model_name"] for mid in drawn.model_ids}
    assert {"HBoxModel", "HTMLModel", "FloatProgressModel", "LayoutModel"} <= names


# -- hand-made models ---------------------------------------------------------------------


class Models(dict[str, dict[str, Any]]):
    def state_of(self, model_id: str) -> Mapping[str, Any] | None:
        return self.get(model_id)


def control(name: str, **state: Any) -> dict[str, Any]:
    return {"_model_module": "@jupyter-widgets/controls", "_model_name": name, **state}


def test_kernel_text_in_every_field_reaches_the_terminal_sanitised():
    title = "\x1b]0;pwned\x07"
    query = "\x1b[6n"
    models = Models(
        label=control("LabelModel", value=f"a{title}b", description=f"d{query}"),
        drop=control("DropdownModel", _options_labels=[f"o{title}k"], index=0),
        button=control("ButtonModel", description=f"go{query}"),
        tabs=control(
            "TabModel", children=["IPY_MODEL_label"], titles=[f"t{title}"], selected_index=0
        ),
        html=control("HTMLModel", value="<b>x&#27;]52;c;cHduZWQ=&#7;y</b>"),
        out={
            "_model_module": "@jupyter-widgets/output",
            "_model_name": "OutputModel",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": f"s{title}t\n"}],
        },
        box=control(
            "VBoxModel",
            children=[f"IPY_MODEL_{name}" for name in ("drop", "button", "tabs", "html", "out")],
        ),
    )
    console = Console(width=80, color_system="256", force_terminal=True)
    with console.capture() as captured:
        console.print(render_widget("box", WidgetView(models=models)))
    shown = captured.get()
    assert "\x1b]" not in shown and "\x1b[6n" not in shown and "\x07" not in shown
    plain = widget_text("box", WidgetView(models=models))
    assert plain is not None
    for text in ("[ok ▾]", "[ go ]", "[t]", "d ab", "st"):
        assert text in plain, (text, plain)


def test_models_ick_cannot_draw_give_none_and_are_named_inside_a_box():
    models = Models(
        plot={"_model_module": "bqplot", "_model_name": "FigureModel"},
        picker=control("ColorsInputModel"),
        box=control("HBoxModel", children=["IPY_MODEL_plot", "IPY_MODEL_picker", "IPY_MODEL_gone"]),
    )
    view = WidgetView(models=models)
    assert render_widget("plot", view) is None
    assert render_widget("picker", view) is None
    assert render_widget("never-opened", view) is None
    assert widget_text("box", view) == "[Figure] [ColorsInput] [widget]"


def test_a_bundle_falls_back_to_its_text_when_the_widget_cannot_be_drawn():
    models = Models(plot={"_model_module": "bqplot", "_model_name": "FigureModel"})
    bundle = {
        "text/plain": "Figure(...)",
        "application/vnd.jupyter.widget-view+json": {"model_id": "plot", "version_major": 2},
    }
    rendered = render_widget_bundle(bundle, None, WidgetView(models=models))
    console = Console(width=80)
    with console.capture() as captured:
        console.print(rendered)
    assert captured.get() == "Figure(...)\n"


def test_a_model_that_contains_itself_is_drawn_once():
    models = Models(
        loop=control("VBoxModel", children=["IPY_MODEL_label", "IPY_MODEL_loop"]),
        label=control("LabelModel", value="inside"),
    )
    assert widget_text("loop", WidgetView(models=models)) == "inside\n[VBox]"


def test_nonsense_numbers_still_draw():
    models = Models(
        bar=control("FloatProgressModel", value="lots", min=None, max=float("nan")),
        slider=control("IntSliderModel", value=5, min=10, max=0, readout_format="%%%"),
        log=control("FloatLogSliderModel", value=-3, base=1),
    )
    view = WidgetView(models=models)
    for model_id in models:
        assert widget_text(model_id, view)
