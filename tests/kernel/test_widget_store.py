"""The widget store alone, fed what a real ipykernel sent (recorded once for the module by
ick's own client) and hostile variations of it; no kernel during the tests themselves."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import pytest

from ick.kernel.widgets import WidgetStore
from ick.messages import msg_type, parent_id

from ..support.widget_kernel import ReplayClient, comm_msg, models_named, record_now

TQDM = "from tqdm.auto import tqdm\nfor i in tqdm(range(100)): pass"
WIDGETS = """\
import ipywidgets as w
s = w.IntSlider(value=5, description='x')
o = w.Output()
display(s, o)
with o:
    print('inside')
print('outside')
img = w.Image(value=b'\\x89PNG\\r\\n\\x1a\\nnot really', format='png')
"""
CLOSE = "s.close()"
CLEAR = "o.clear_output()"


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[dict[str, Any]]]:
    tqdm, widgets, close, clear = record_now(TQDM, WIDGETS, CLOSE, CLEAR)
    return {"tqdm": tqdm, "widgets": widgets, "close": close, "clear": clear}


def replayed(*recordings: list[dict[str, Any]]) -> tuple[WidgetStore, ReplayClient]:
    client = ReplayClient()
    store = WidgetStore(client=client)
    for messages in recordings:
        client.feed(*messages)
    return store, client


def test_a_tqdm_bar_ends_in_its_final_state(recorded):
    changed: list[str] = []
    client = ReplayClient()
    store = WidgetStore(client=client)
    store.add_listener(changed.append)
    client.feed(*recorded["tqdm"])
    (bar,) = models_named(store, "FloatProgressModel")
    (row,) = models_named(store, "HBoxModel")
    assert store.state_of(bar)["value"] == 100
    assert store.state_of(bar)["bar_style"] == "success"
    assert f"IPY_MODEL_{bar}" in store.state_of(row)["children"]
    assert bar in changed and row in changed
    assert client.warnings == []


def test_binary_values_are_put_where_their_paths_say(recorded):
    store, _ = replayed(recorded["widgets"])
    (image,) = models_named(store, "ImageModel")
    assert store.state_of(image)["value"] == b"\x89PNG\r\n\x1a\nnot really"


def test_the_output_widget_takes_the_output_of_its_request(recorded):
    client = ReplayClient()
    store = WidgetStore(client=client)
    captured: list[tuple[str, bool]] = []
    # A listener sees each message after the store did, as a front end's renderer would.
    client.add_listener(
        lambda msg, own: (
            captured.append((msg_type(msg), store.captures(msg)))
            if msg_type(msg) == "stream"
            else None
        )
    )
    # The execution was ick's own request, as it is for the client that sent it.
    client.router.remember_own(parent_id(recorded["widgets"][0]) or "")
    client.feed(*recorded["widgets"])
    (output,) = models_named(store, "OutputModel")
    assert store.state_of(output)["outputs"] == [
        {"output_type": "stream", "name": "stdout", "text": "inside\n"}
    ]
    assert captured == [("stream", True), ("stream", False)]
    # Synced back as JupyterLab does, so that the kernel's out.outputs holds it too.
    updates = [body for _, kind, body, _ in client.sent if kind == "comm_msg"]
    assert updates == [
        {
            "comm_id": output,
            "data": {
                "method": "update",
                "state": {
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": "inside\n"}]
                },
                "buffer_paths": [],
            },
        }
    ]


def test_what_is_captured_for_another_clients_request_is_left_to_that_client_to_sync(recorded):
    store, client = replayed(recorded["widgets"])
    (output,) = models_named(store, "OutputModel")
    assert store.state_of(output)["outputs"][0]["text"] == "inside\n"
    assert client.sent == []


def test_clear_output_empties_the_output_widget(recorded):
    store, _ = replayed(recorded["widgets"], recorded["clear"])
    (output,) = models_named(store, "OutputModel")
    assert store.state_of(output)["outputs"] == []


def test_a_closed_widget_is_gone_and_its_listeners_told(recorded):
    store, client = replayed(recorded["widgets"])
    (slider,) = models_named(store, "IntSliderModel")
    changed: list[str] = []
    store.add_listener(changed.append)
    client.feed(*recorded["close"])
    assert store.state_of(slider) is None
    assert changed == [slider]


def test_a_change_is_sent_as_an_update_and_applied_at_once(recorded):
    store, client = replayed(recorded["widgets"])
    (slider,) = models_named(store, "IntSliderModel")
    msg_id = store.send_update(slider, {"value": 8})
    assert msg_id is not None
    assert client.sent[-1] == (
        "shell",
        "comm_msg",
        {
            "comm_id": slider,
            "data": {"method": "update", "state": {"value": 8}, "buffer_paths": []},
        },
        None,
    )
    assert store.state_of(slider)["value"] == 8
    # What the kernel says in answer to it is ours, not another client's.
    assert client.router.is_own(msg_id)


def test_an_echo_does_not_move_a_control_back_while_a_later_change_is_on_its_way(recorded):
    store, client = replayed(recorded["widgets"])
    (slider,) = models_named(store, "IntSliderModel")
    first = store.send_update(slider, {"value": 6})
    store.send_update(slider, {"value": 7})
    last = store.send_update(slider, {"value": 8})
    echo = {"method": "echo_update", "state": {"value": 6}, "buffer_paths": []}
    client.feed(comm_msg(slider, echo, parent=first or ""))
    assert store.state_of(slider)["value"] == 8
    client.feed(comm_msg(slider, {**echo, "state": {"value": 8}}, parent=last or ""))
    # Once our last change is echoed, another client's change comes through again.
    client.feed(comm_msg(slider, {**echo, "state": {"value": 2}}, parent="someone-else"))
    assert store.state_of(slider)["value"] == 2


def test_a_click_is_a_custom_event(recorded):
    store, client = replayed(recorded["widgets"])
    (slider,) = models_named(store, "IntSliderModel")
    store.send_click(slider)
    assert client.sent[-1][2]["data"] == {"method": "custom", "content": {"event": "click"}}


def test_a_kernel_restart_forgets_every_model(recorded):
    store, client = replayed(recorded["widgets"])
    client.feed(
        {
            "header": {"msg_type": "status"},
            "parent_header": {},
            "content": {"execution_state": "starting"},
        }
    )
    assert len(store) == 0


def test_hostile_widget_messages_are_skipped_with_one_warning_a_kind(recorded):
    store, client = replayed(recorded["widgets"])
    (slider,) = models_named(store, "IntSliderModel")
    opening = next(msg for msg in recorded["widgets"] if msg_type(msg) == "comm_open")
    other_library = {
        **opening,
        "content": {
            **opening["content"],
            "comm_id": "plot-1",
            "data": {"state": {"_model_module": "bqplot", "_model_name": "FigureModel"}},
        },
    }
    future_protocol = {**opening, "metadata": {"version": "3.0.0"}}
    routed: list[str] = []
    client.add_listener(lambda msg, own: routed.append(msg_type(msg)))
    hostile = [
        comm_msg(slider, "not a dict"),
        comm_msg(slider, {"method": "update", "state": ["not", "a", "dict"]}),
        comm_msg("never-opened", {"method": "update", "state": {"value": 1}}),
        comm_msg(slider, {"method": "update", "state": {}, "buffer_paths": [["value"]]}),
        comm_msg(
            slider,
            {"method": "update", "state": {}, "buffer_paths": [["no", "such", "path"]]},
            buffers=[b"x"],
        ),
        comm_msg(
            slider, {"method": "update", "state": {}, "buffer_paths": "value"}, buffers=[b"x"]
        ),
        other_library,
        future_protocol,
    ]
    client.feed(*hostile, *hostile)
    assert store.state_of(slider)["value"] == 5  # nothing half applied
    assert store.state_of("plot-1") is not None  # kept: a box may hold it; drawn as text
    assert len(client.warnings) == len(set(client.warnings)) == 5
    assert all("widget" in warning for warning in client.warnings)
    # The store never stops a message from reaching the rest of ick.
    assert len(routed) == 2 * len(hostile)


def test_a_kernel_without_ipywidgets_closes_the_control_comm_and_none_are_learnt():
    async def scenario() -> None:
        client = ReplayClient()
        store = WidgetStore(client=client)
        learning = asyncio.ensure_future(store.learn_existing(timeout=30))
        await asyncio.sleep(0)
        (_, kind, opened, metadata), (_, _, asked, _) = client.sent
        assert (kind, opened["target_name"], metadata) == (
            "comm_open",
            "jupyter.widget.control",
            {"version": "1.0.0"},
        )
        assert asked["data"] == {"method": "request_states"}
        client.feed(
            {
                "header": {"msg_type": "comm_close"},
                "parent_header": {"msg_id": "sent-1"},
                "content": {"comm_id": opened["comm_id"], "data": {}},
            }
        )
        assert await learning == 0
        assert len(client.sent) == 2  # the kernel closed it: nothing more to close

    asyncio.run(scenario())


def test_captured_output_is_routed_by_the_parent_the_output_model_names(recorded):
    store, client = replayed(recorded["widgets"])
    (output,) = models_named(store, "OutputModel")
    capturing = next(
        msg
        for msg in recorded["widgets"]
        if msg_type(msg) == "comm_msg" and msg["content"]["data"].get("state", {}).get("msg_id")
    )
    request = capturing["content"]["data"]["state"]["msg_id"]
    assert request == parent_id(capturing)
    client.feed(capturing)
    stream = {
        "header": {"msg_type": "stream"},
        "parent_header": {"msg_id": request},
        "content": {"name": "stdout", "text": "more\n"},
    }
    assert store.captures(stream)
    client.feed(stream)
    assert store.state_of(output)["outputs"][-1]["text"] == "inside\nmore\n"


def test_the_saved_state_is_what_a_notebook_keeps_for_jupyterlab(recorded):
    store, _ = replayed(recorded["widgets"])
    saved = json.loads(json.dumps(store.saved_state()))  # JSON through and through
    assert (saved["version_major"], saved["version_minor"]) == (2, 0)
    (image,) = models_named(store, "ImageModel")
    entry = saved["state"][image]
    assert entry["model_name"] == "ImageModel"
    assert entry["model_module"] == "@jupyter-widgets/controls"
    assert "value" not in entry["state"]
    (buffer,) = entry["buffers"]
    assert buffer["path"] == ["value"] and buffer["encoding"] == "base64"
    assert base64.b64decode(buffer["data"]) == b"\x89PNG\r\n\x1a\nnot really"
    assert set(saved["state"]) == set(store.model_ids())
