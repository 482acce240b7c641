"""Widgets in the REPL: the real ``ick`` in a pty (and in tmux, where the screen itself is
read) with ipywidgets 8 and tqdm beside the real ipykernel."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.support.repl import start
from tests.support.terminal import PROMPT
from tests.support.tmux_screen import TmuxScreen

RIGHT = "\x1b[C"
ESC = "\x1b"
OPERATE_KEY = "\x18w"  # C-x w


@pytest.fixture
def screen(tmp_path: Path, ick_env: dict[str, str]) -> Iterator[TmuxScreen]:
    terminal = TmuxScreen(tmp_path / "tmux.sock", ick_env)
    yield terminal
    terminal.close()


def test_a_tqdm_auto_bar_moves_to_100_and_no_widget_repr_is_printed(spawn_ick):
    term = start(spawn_ick)
    term.enter("from tqdm.auto import tqdm")
    term.expect(PROMPT.format(2))
    term.enter("for i in tqdm(range(100), desc='work'): pass")
    term.expect(r"work: 100%\|█+\| 100/100 \[")
    term.expect(PROMPT.format(3))
    assert "HBox(" not in term.text and "FloatProgress(" not in term.text
    # Drawn in place at most ten times a second, not once per update.
    assert term.raw.count("/100 [") < 100


def test_a_slider_operated_from_the_keyboard_changes_the_kernels_value(spawn_ick):
    term = start(spawn_ick)
    term.enter("import ipywidgets as w; s = w.IntSlider(value=5, max=10, description='level'); s")
    term.expect(r"level.* 5\n")
    term.expect(PROMPT.format(2))
    term.enter(")widgets")
    term.expect(r"widgets: Tab / Shift-Tab move")
    for _ in range(3):
        term.send(RIGHT)
    term.expect(r"level.* 8\n")
    term.send(ESC)
    term.expect(PROMPT.format(2))
    term.enter("s.value")
    term.expect(r"Out\[2\]: 8\n")


def test_the_key_keeps_what_was_typed_and_a_buttons_callback_output_shows(spawn_ick):
    term = start(spawn_ick)
    term.enter(
        "import ipywidgets as w; b = w.Button(description='Press me'); "
        "b.on_click(lambda _: print('clicked!')); display(b)"
    )
    term.expect(r"Press me")
    term.expect(PROMPT.format(2))
    term.send("half = 'typed'")
    term.send(OPERATE_KEY)
    term.expect(r"widgets: Tab / Shift-Tab move")
    term.send("\r")
    term.expect(r"clicked!")
    term.send(" ")
    term.expect(r"clicked!")
    term.send(ESC)
    term.expect(PROMPT.format(2))
    term.send("\r")  # what was typed before the key is back, and runs
    term.expect(PROMPT.format(3))
    term.enter("half")
    term.expect(r"Out\[3\]: 'typed'")


def test_interact_redraws_its_output_when_a_control_changes(spawn_ick):
    term = start(spawn_ick)
    term.enter(
        "import ipywidgets as w; _ = w.interact(lambda n=3: print(f'square={n * n}'), n=(0, 10))"
    )
    term.expect(r"square=9\n")
    term.expect(PROMPT.format(2))
    term.enter(")widgets")
    term.expect(r"widgets: Tab / Shift-Tab move")
    term.send(RIGHT)
    term.expect(r"square=16\n")
    term.send(RIGHT)
    term.expect(r"square=25\n")
    term.send(ESC)
    term.expect(PROMPT.format(2))
    assert "square=16\nsquare=25" not in term.text  # the output replaced, not added to


def test_an_output_widget_captures_print(spawn_ick):
    term = start(spawn_ick)
    term.enter("import ipywidgets as w; out = w.Output(); display(out)")
    term.expect(PROMPT.format(2))
    term.enter("with out: print('inside the widget')")
    term.expect(PROMPT.format(3))
    # ick tells the kernel what the widget captured (as JupyterLab does) once the burst is over.
    for count in range(3, 50):
        term.enter("[o['text'] for o in out.outputs]")
        seen = term.expect(rf"Out\[{count}\]: (.*)\n").group(1)
        if seen != "[]":
            break
    assert seen == "['inside the widget\\n']"
    # The widget, drawn again below with what it captured (its first drawing is buried).
    assert re.search(r"(?m)^inside the widget$", term.text)


def test_an_update_while_typing_redraws_the_widget_in_place_and_keeps_the_typed_text(
    screen: TmuxScreen, tmp_path: Path
):
    trigger = tmp_path / "go"
    screen.start()
    screen.wait_for(r"^In \[1\]:")
    screen.type(
        "import ipywidgets as w, threading, os, time; label = w.Label('wait' + 'ing'); "
        "display(label); threading.Thread(target=lambda: [time.sleep(0.05) for _ in "
        f"iter(lambda: os.path.exists({str(trigger)!r}), True)] and None or "
        "setattr(label, 'value', 'arr' + 'ived'), daemon=True).start()"
    )
    screen.wait_for(r"^In \[2\]:")
    screen.tmux("send-keys", "-l", "x = 'half typed'")
    screen.wait_for(r"^In \[2\]: x = 'half typed'$")
    trigger.touch()
    shown = screen.wait_for(r"arrived")
    assert "waiting" not in shown  # redrawn where it was, not printed again below
    assert shown.count("In [2]:") == 1
    assert shown.rstrip().endswith("In [2]: x = 'half typed'")
    screen.tmux("send-keys", "Enter")
    screen.wait_for(r"^In \[3\]:")
    screen.type("x")
    screen.wait_for(r"Out\[3\]: 'half typed'")


def test_save_writes_the_widget_state_and_each_captured_output_once(spawn_ick, tmp_path: Path):
    path = tmp_path / "session.ipynb"
    term = start(spawn_ick, "--save", str(path))
    term.enter("import ipywidgets as w; s = w.IntSlider(value=4); out = w.Output()")
    term.expect(PROMPT.format(2))
    term.enter("display(s, out)")
    term.expect(PROMPT.format(2))
    term.expect(PROMPT.format(3))
    term.enter("with out: print('captured line')")
    term.expect(PROMPT.format(4))
    term.enter(")quit")
    assert term.wait_exit() == 0
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    models = state["state"]
    sliders = [m for m in models.values() if m["model_name"] == "IntSliderModel"]
    assert [m["state"]["value"] for m in sliders] == [4]
    (output,) = [m for m in models.values() if m["model_name"] == "OutputModel"]
    assert output["state"]["outputs"][0]["text"] == "captured line\n"
    # The capture is in the widget's state, not also among the cell's own outputs.
    assert notebook.cells[2].outputs == []
    assert "captured line" not in json.dumps([cell.outputs for cell in notebook.cells])


def test_watch_draws_another_clients_tqdm_bar(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    term = spawn_ick("--watch", "--existing", str(connection_file))
    term.expect(r"watching the python3 kernel")
    client.execute_interactive(
        "from tqdm.auto import tqdm\nfor i in tqdm(range(50), desc='theirs'): pass", timeout=60
    )
    term.expect(r"theirs: 100%\|█+\| 50/50 \[")
    assert "HBox(" not in term.text
    term.child.sendintr()
    assert term.wait_exit() == 0


def test_after_a_restart_the_old_widgets_are_gone(spawn_ick):
    term = start(spawn_ick)
    term.enter("import ipywidgets as w; s = w.IntSlider(value=5, description='old'); s")
    term.expect(r"old.* 5\n")
    term.expect(PROMPT.format(2))
    term.enter(")restart")
    term.expect(r"Kernel restarted\.")
    term.expect(PROMPT.format(1))
    term.enter(")widgets")
    term.expect(r"ick: no widgets with controls to operate")
    term.expect(PROMPT.format(1))
