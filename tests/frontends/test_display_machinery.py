"""clear_output, update_display_data and \\r progress lines, on the screen of a real terminal.

The REPL and ``--watch`` run in tmux, whose screen is read back (see
:mod:`tests.support.tmux_screen`); scripts run without a terminal, where
stdout must carry only the final state of a rewritten line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.terminal import run_ick
from tests.support.tmux_screen import TmuxScreen


@pytest.fixture
def screen(tmp_path: Path, ick_env: dict[str, str]) -> Iterator[TmuxScreen]:
    terminal = TmuxScreen(tmp_path / "tmux.sock", ick_env)
    yield terminal
    terminal.close()


def repl(screen: TmuxScreen) -> TmuxScreen:
    screen.start()
    screen.wait_for(r"^In \[1\]:")
    screen.type("import time, threading; from IPython.display import display, clear_output")
    screen.wait_for(r"^In \[2\]:")
    return screen


def test_update_display_redraws_in_place_while_it_is_the_last_output(screen):
    repl(screen)
    screen.type(
        "h = display('first', display_id=True); time.sleep(0.3); h.update('second'); "
        "time.sleep(0.3); h.update('third')"
    )
    rows = screen.wait_for(r"^In \[3\]:").split("\n")
    assert "'third'" in rows
    assert "'first'" not in rows and "'second'" not in rows, rows
    # From a later cell the display is no longer last: it is printed again below.
    screen.type("h.update('fourth')")
    rows = screen.wait_for(r"^In \[4\]:").split("\n")
    assert "'third'" in rows and "'fourth'" in rows
    # Updated by a thread while the prompt waits: redrawn in place above the prompt.
    screen.type(
        "g = display('tick 0', display_id=True); threading.Thread(target=lambda: "
        "[g.update(f'tick {i}') or time.sleep(0.05) for i in range(1, 20)]).start()"
    )
    rows = screen.wait_for(r"^'tick 19'$").split("\n")
    assert [row for row in rows if row.startswith("'tick")] == ["'tick 19'"], rows
    assert rows[rows.index("'tick 19'") + 1].startswith("In [5]:"), rows


def test_clear_output_wait_leaves_only_the_last_output(screen):
    repl(screen)
    screen.type(
        "for i in range(6): clear_output(wait=True); print('tick', i); print('tock', i); "
        "time.sleep(0.1)"
    )
    shown = screen.wait_for(r"^In \[3\]:")
    assert "tick 5\ntock 5\nIn [3]:" in shown, shown
    assert "tick 4" not in shown and "tock 0" not in shown
    # What came before this execution stays.
    assert "In [2]: for i in range(6)" in shown


def test_a_carriage_return_progress_bar_stays_on_one_line(screen):
    repl(screen)
    screen.type(
        "for i in range(101): print(f'\\rprogress {i:3d}%', end='', flush=True); time.sleep(0.005)"
    )
    shown = screen.wait_for(r"^In \[3\]:")
    progress_rows = [row for row in shown.split("\n") if row.startswith("progress")]
    assert progress_rows == ["progress 100%"], shown


def test_a_progress_bar_from_a_thread_stays_on_one_line_while_the_prompt_waits(screen):
    repl(screen)
    screen.type(
        "threading.Thread(target=lambda: [print(f'\\rbackground {i:2d}', end='', flush=True) "
        "or time.sleep(0.05) for i in range(30)]).start()"
    )
    shown = screen.wait_for(r"^background 29$")
    rows = shown.split("\n")
    assert sum(row.startswith("background") for row in rows) == 1, shown
    # The prompt is drawn below the progress line, not over it.
    assert rows[rows.index("background 29") + 1].startswith("In [3]:"), shown


def test_watch_shows_another_clients_progress_and_displays_in_place(screen, outside_kernel):
    _, client, connection_file = outside_kernel
    screen.start("--watch", "--existing", str(connection_file))
    screen.wait_for(r"watching the python3 kernel")
    client.execute_interactive(
        "import time\n"
        "from IPython.display import display, clear_output\n"
        "for i in range(50): print(f'\\rstep {i:2d}', end='', flush=True); time.sleep(0.005)\n"
        "print()\n"
        "h = display('draft', display_id=True)\n"
        "time.sleep(0.2)\n"
        "h.update('final')\n",
        timeout=30,
    )
    shown = screen.wait_for(r"^'final'$")
    assert [row for row in shown.split("\n") if row.startswith("step")] == ["step 49"], shown
    assert "'draft'" not in shown.split("\n")
    client.execute_interactive(
        "for i in range(4): clear_output(wait=True); print('count', i); time.sleep(0.1)",
        timeout=30,
    )
    shown = screen.wait_for(r"^count 3$")
    assert "count 2" not in shown and "count 0" not in shown, shown
    assert "'final'" in shown  # the earlier execution's output is left alone


def test_a_script_writes_only_the_final_state_of_a_progress_line_to_a_file():
    result = run_ick(
        "-c",
        "import sys\n"
        "for i in range(101): print(f'\\r{i:3d}%', end='', flush=True)\n"
        "print()\n"
        "for i in range(5): print(f'\\rerr {i}', end='', file=sys.stderr, flush=True)\n"
        "print('done')\n"
        "for i in range(3): print(f'\\rleft open {i}', end='', flush=True)\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "100%\ndone\nleft open 2"
    assert result.stderr == "err 4"


def test_a_script_prints_display_updates_and_skips_clears_in_a_file():
    result = run_ick(
        "-c",
        "from IPython.display import display, clear_output\n"
        "h = display('first', display_id=True)\n"
        "clear_output()\n"
        "h.update('second')\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "'first'\n'second'\n"
