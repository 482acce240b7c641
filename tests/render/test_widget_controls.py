"""The keyboard among widgets: focus order and what each key does, as pure logic on models
made by hand, and once end to end against a real kernel through the store."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ick.kernel.local import LocalKernel
from ick.kernel.widgets import WidgetStore
from ick.messages import content, msg_type
from ick.render.widget_controls import WidgetChange, WidgetKeyboard, focusable_controls

from ..support.widget_kernel import models_named


class Models(dict[str, dict[str, Any]]):
    """Models by id that take the changes a test applies, as the store does once sent."""

    def state_of(self, model_id: str) -> Mapping[str, Any] | None:
        return self.get(model_id)

    def apply(self, changes: list[WidgetChange]) -> None:
        for change in changes:
            if change.state is not None:
                self[change.model_id].update(change.state)


def control(name: str, **state: Any) -> dict[str, Any]:
    return {"_model_module": "@jupyter-widgets/controls", "_model_name": name, **state}


def keyboard_on(models: Models, *roots: str) -> WidgetKeyboard:
    keyboard = WidgetKeyboard(models=models)
    keyboard.set_roots(list(roots))
    assert keyboard.start()
    return keyboard


def press(keyboard: WidgetKeyboard, models: Models, *keys: str) -> list[WidgetChange]:
    sent: list[WidgetChange] = []
    for key in keys:
        changes = keyboard.press(key)
        models.apply(changes)
        sent.extend(changes)
    return sent


def test_tab_order_follows_the_drawing_and_skips_what_is_not_shown():
    models = Models(
        slider=control("IntSliderModel", value=1),
        label=control("LabelModel", value="not a control"),
        off=control("ButtonModel", disabled=True),
        hidden=control("ButtonModel", layout="IPY_MODEL_hiding"),
        hiding={"_model_name": "LayoutModel", "visibility": "hidden"},
        first=control("CheckboxModel"),
        second=control("CheckboxModel"),
        sections=control(
            "AccordionModel", children=["IPY_MODEL_first", "IPY_MODEL_second"], selected_index=1
        ),
        out={
            "_model_module": "@jupyter-widgets/output",
            "_model_name": "OutputModel",
            "outputs": [
                {
                    "output_type": "display_data",
                    "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "go"}},
                },
            ],
        },
        go=control("ButtonModel"),
        box=control(
            "VBoxModel",
            children=[
                f"IPY_MODEL_{name}"
                for name in ("slider", "label", "off", "hidden", "sections", "out", "box")
            ],
        ),
    )
    assert focusable_controls(["box"], models) == ["slider", "sections", "second", "go"]
    keyboard = keyboard_on(models, "box")
    assert keyboard.focused == "slider"
    visited = []
    for _ in range(4):
        keyboard.tab()
        visited.append(keyboard.focused)
    assert visited == ["sections", "second", "go", "slider"]
    keyboard.tab(backwards=True)
    assert keyboard.focused == "go"


def test_a_slider_moves_by_its_step_within_its_bounds():
    models = Models(s=control("IntSliderModel", value=4, min=0, max=10, step=2))
    keyboard = keyboard_on(models, "s")
    changes = press(keyboard, models, "right", "up")
    assert changes == [WidgetChange("s", {"value": 6}), WidgetChange("s", {"value": 8})]
    assert press(keyboard, models, "right", "right") == [WidgetChange("s", {"value": 10})]
    assert press(keyboard, models, "home", "left") == [WidgetChange("s", {"value": 0})]


def test_float_steps_do_not_accumulate_rounding_noise():
    models = Models(f=control("FloatSliderModel", value=0.0, min=0.0, max=1.0, step=0.1))
    keyboard = keyboard_on(models, "f")
    press(keyboard, models, "right", "right", "right")
    assert models["f"]["value"] == 0.3


def test_a_log_slider_steps_its_exponent():
    models = Models(f=control("FloatLogSliderModel", value=10.0, min=0, max=4, step=1, base=10))
    keyboard = keyboard_on(models, "f")
    press(keyboard, models, "right", "up")
    assert models["f"]["value"] == 1000.0


def test_a_range_slider_moves_one_handle_and_space_picks_the_other():
    models = Models(r=control("IntRangeSliderModel", value=[2, 8], min=0, max=10, step=1))
    keyboard = keyboard_on(models, "r")
    press(keyboard, models, "right")
    assert models["r"]["value"] == [3, 8]
    press(keyboard, models, "space", "left", "left")
    assert keyboard.cursor == 1 and models["r"]["value"] == [3, 6]
    press(keyboard, models, "home")  # the upper handle stops at the lower one
    assert models["r"]["value"] == [3, 3]


def test_selections_move_their_index():
    models = Models(
        d=control("DropdownModel", _options_labels=["a", "b", "c"], index=None),
        t=control("ToggleButtonsModel", _options_labels=["lo", "hi"], index=0),
    )
    keyboard = keyboard_on(models, "d", "t")
    assert press(keyboard, models, "down") == [WidgetChange("d", {"index": 0})]
    press(keyboard, models, "down", "down", "down")
    assert models["d"]["index"] == 2
    keyboard.tab()
    assert press(keyboard, models, "right") == [WidgetChange("t", {"index": 1})]


def test_select_multiple_has_a_cursor_and_space_toggles_under_it():
    models = Models(m=control("SelectMultipleModel", _options_labels=["p", "q", "r"], index=[2]))
    keyboard = keyboard_on(models, "m")
    assert keyboard.cursor == 2
    assert press(keyboard, models, "up") == []
    assert keyboard.cursor == 1
    assert press(keyboard, models, "space") == [WidgetChange("m", {"index": [1, 2]})]
    press(keyboard, models, "down", "enter")
    assert models["m"]["index"] == [1]


def test_enter_and_space_toggle_boxes_and_press_buttons():
    models = Models(c=control("CheckboxModel", value=False), b=control("ButtonModel"))
    keyboard = keyboard_on(models, "c", "b")
    assert press(keyboard, models, "space") == [WidgetChange("c", {"value": True})]
    assert press(keyboard, models, "enter") == [WidgetChange("c", {"value": False})]
    keyboard.tab()
    assert press(keyboard, models, "enter") == [WidgetChange("b", event={"event": "click"})]
    assert press(keyboard, models, "x", "left") == []


def test_typing_edits_a_text_field_as_it_goes():
    models = Models(t=control("TextModel", value="ab", continuous_update=True))
    keyboard = keyboard_on(models, "t")
    assert press(keyboard, models, "c") == [WidgetChange("t", {"value": "abc"})]
    press(keyboard, models, "backspace", "backspace", "space", "!")
    assert models["t"]["value"] == "a !"
    assert press(keyboard, models, "enter") == [WidgetChange("t", event={"event": "submit"})]


def test_a_field_without_continuous_update_sends_on_enter_or_when_left():
    models = Models(
        t=control("TextModel", value="", continuous_update=False),
        n=control("BoundedIntTextModel", value=5, min=0, max=50),
    )
    keyboard = keyboard_on(models, "t", "n")
    assert press(keyboard, models, "h", "i") == []
    assert keyboard.focus.drafts == {"t": "hi"}
    assert keyboard.tab() == [WidgetChange("t", {"value": "hi"})]
    # A number field holds what is typed until it is a number to send.
    assert press(keyboard, models, "backspace", "-") == []
    assert keyboard.focus.drafts == {"n": "-"}
    assert keyboard.press("enter") == []  # not a number: nothing sent, the value stays
    assert models["n"]["value"] == 5 and keyboard.focus.drafts == {}
    press(keyboard, models, "backspace", "9", "9")
    # Bounded: 99 is brought within 0..50.
    assert press(keyboard, models, "enter") == [WidgetChange("n", {"value": 50})]


def test_up_and_down_step_a_number_field():
    models = Models(n=control("FloatTextModel", value=1.5, step=0.5))
    keyboard = keyboard_on(models, "n")
    press(keyboard, models, "up", "up", "down")
    assert models["n"]["value"] == 2.0


def test_accordion_and_tab_switch_sections():
    models = Models(
        a=control("AccordionModel", children=["IPY_MODEL_x", "IPY_MODEL_y"], selected_index=None),
        x=control("LabelModel"),
        y=control("LabelModel"),
    )
    keyboard = keyboard_on(models, "a")
    assert press(keyboard, models, "down") == [WidgetChange("a", {"selected_index": 0})]
    press(keyboard, models, "down")
    assert models["a"]["selected_index"] == 1
    assert press(keyboard, models, "enter") == [WidgetChange("a", {"selected_index": None})]


def test_leaving_sends_what_was_typed_and_drops_the_focus():
    models = Models(t=control("TextareaModel", value="", continuous_update=False))
    keyboard = keyboard_on(models, "t")
    press(keyboard, models, "a", "enter", "b")
    assert keyboard.leave() == [WidgetChange("t", {"value": "a\nb"})]
    assert keyboard.focused is None


def test_nothing_to_focus():
    keyboard = WidgetKeyboard(models=Models(label=control("LabelModel")))
    keyboard.set_roots(["label", "never-opened"])
    assert not keyboard.start()
    assert keyboard.press("right") == [] and keyboard.tab() == []


def test_right_three_times_moves_the_kernels_slider_by_three_steps():
    async def scenario() -> None:
        kernel = await LocalKernel.launch("python3")
        try:
            await kernel.wait_ready(60)
            store = WidgetStore(client=kernel)
            await kernel.execute(
                "import ipywidgets as w\ns = w.IntSlider(value=5)\ndisplay(s)", print
            )
            (slider,) = models_named(store, "IntSliderModel")
            keyboard = WidgetKeyboard(models=store)
            keyboard.set_roots([slider])
            assert keyboard.start()
            for _ in range(3):
                for change in keyboard.press("right"):
                    assert change.send(store) is not None
            printed: list[str] = []
            await kernel.execute(
                "print(s.value)",
                lambda msg: (
                    printed.append(content(msg)["text"]) if msg_type(msg) == "stream" else None
                ),
            )
            assert printed == ["8\n"]
        finally:
            await kernel.shutdown()

    asyncio.run(scenario())
