"""Malformed and hostile messages over the real wire: ick never crashes.

The scripted kernel of ``tests/support`` sends what hypothesis generates
(unknown msg_types, missing and wrong-typed fields, invalid base64, truncated
PNGs, invalid UTF-8, forged signatures, missing frames, replies to requests
never made or to the wrong one) to one real ``ick`` attached with
``--existing``, a batch per execution, so that thousands of messages cost
one ick process.  After every batch ick must be back at its prompt, showing
no traceback, with nothing that acts on the terminal in the pty's bytes; bad
messages are skipped with at most one warning line each kind.

Batches that once broke something are kept in ``wire_corpus.json`` and
replayed on every run.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

from ick.errors import ExitStatus
from ick.messages import Message
from tests.support.escapes import FORBIDDEN, after_start_up
from tests.support.repl import history
from tests.support.scripted_kernel import ScriptedKernel, WireMessage
from tests.support.terminal import ANY_PROMPT, ICK, Terminal

CORPUS = Path(__file__).with_name("wire_corpus.json")

#: How many generated batches make one CI run (set ICK_FUZZ_BATCHES higher for a longer
#: hunt), and the floor on the messages they carry (at least 42 a batch).
BATCHES = int(os.environ.get("ICK_FUZZ_BATCHES", "120"))
MESSAGES_PER_RUN = 5000


def _png(size: tuple[int, int] = (3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()

HOSTILE_TEXT = [
    "plain text\n",
    "\x1b]52;c;cHduZWQ=\x07",  # clipboard write
    "\x1b]0;owned\x07\x1b]2;owned\x1b\\",  # window title
    "\x1b[6n\x1b[c\x1b[>c\x1b[>q\x1b[>0q",  # queries whose answers would be typed
    "\x1bP1$r0m\x1b\\\x1bPq#0;2;0;0;0#0~~@@\x1b\\",  # DECRQSS, sixel
    "\x1b]8;;https://evil.example/\x1b\\https://bank.example\x1b]8;;\x1b\\",  # spoofed link
    "\x9b2J\x9d0;c1\x9c\x90junk\x9c",  # C1 forms
    "\x1b[?1049h\x1b[2J\x1b[H",  # alternate screen, clear, home
    "\x1b[31mred\x1b[0m",
    "\udcff\ud800",  # lone surrogates (invalid UTF-8 once packed)
    "\x00\x07\x08\x7f\x85",
    "a\r\nb\rc\bd",
    "😀" * 40,
    "\u202etxt.exe",
    "\x1b",  # a lone, truncated escape
    "x" * 3000,
]

KNOWN_IOPUB = [
    "stream",
    "display_data",
    "update_display_data",
    "execute_result",
    "error",
    "clear_output",
    "status",
    "execute_input",
    "comm_open",
    "comm_msg",
    "comm_close",
]
KNOWN_SHELL = [
    "execute_reply",
    "complete_reply",
    "is_complete_reply",
    "inspect_reply",
    "kernel_info_reply",
    "history_reply",
    "comm_info_reply",
]
MIME_TYPES = [
    "text/plain",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "image/gif",
    "text/html",
    "text/markdown",
    "text/latex",
    "application/json",
    "application/vnd.unknown+json",
    "application/vnd.jupyter.widget-view+json",
    "\x1b]0;mime\x07/x",
]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


raw_frames = st.sampled_from(
    [
        b"\xff\xfe\xfd",  # invalid UTF-8
        b'{"text": "\xc3\x28"}',  # invalid UTF-8 inside JSON
        b"not json at all",
        b"[1, 2, 3]",
        b'"a string"',
        b"null",
        b"{" * 50,
        b"",
    ]
)


IMAGE_PAYLOADS = [
    b64(PNG),
    b64(PNG[: len(PNG) // 2]),  # truncated
    b64(PNG[:8]),  # the signature alone
    b64(PNG)[:-3],  # bad padding
    "%%% not base64 %%%",
    "iVBORw0KGgo" + "A" * 50,  # a PNG header, then nothing
    b64(b"GIF89a" + b"\x00" * 10),
    "",
    "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "<svg><text>\udcff</text>",
]
# Values are drawn from fixed pools (plus a little free text) rather than built recursively:
# hypothesis spends milliseconds per nested draw, and thousands of messages must stay cheap.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5e308,
    -0.0,
    [],
    {},
    [None, 1, "two"],
    {"nested": {"deeper": ["\x1b]52;c;eA==\x07"]}},
    [[[[[]]]]],
    {"": ""},
    {"text/plain": 5},
]
# The widget models the generated comm traffic opens, updates, nests and closes.
COMM_IDS = ["w1", "w2", "w3", "w4"]
WIDGET_VIEWS: list[Any] = [
    {"version_major": 2, "version_minor": 0, "model_id": model_id} for model_id in COMM_IDS
] + [{"model_id": 5}, {"model_id": "never-opened"}, {"version_major": 99, "model_id": "w1"}]
MIME_VALUES = [
    *IMAGE_PAYLOADS,
    *HOSTILE_TEXT,
    *ODD_VALUES,
    *WIDGET_VIEWS,
    ["line 1\n", "line 2\n"],
]
mime_bundles = st.dictionaries(
    st.sampled_from(MIME_TYPES), st.sampled_from(MIME_VALUES), max_size=3
)
hostile_text = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=20)
odd_values = st.sampled_from(ODD_VALUES)
anything = hostile_text | odd_values | mime_bundles
CONTENT_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["stdout", "stderr", "other"]) | odd_values,
    "text": hostile_text | odd_values,
    "data": mime_bundles | odd_values | hostile_text,
    "metadata": st.dictionaries(st.sampled_from(MIME_TYPES), anything, max_size=1) | odd_values,
    "transient": st.fixed_dictionaries({"display_id": hostile_text | odd_values}) | odd_values,
    "execution_count": st.integers(min_value=-5, max_value=2**40) | odd_values | hostile_text,
    "ename": hostile_text | odd_values,
    "evalue": hostile_text | odd_values,
    "traceback": st.lists(hostile_text | odd_values, max_size=3) | odd_values | hostile_text,
    "wait": odd_values,
    "execution_state": st.sampled_from(["busy", "idle", "starting", "dead"]) | odd_values,
    "code": hostile_text | odd_values,
    "status": st.sampled_from(["ok", "error", "abort", "aborted"]) | odd_values,
    "matches": st.lists(hostile_text, max_size=2) | odd_values,
    "cursor_start": odd_values,
    "prompt": hostile_text | odd_values,
    "password": odd_values,
    "comm_id": hostile_text | odd_values,
}
FIELDS_BY_TYPE = {
    "stream": ["name", "text"],
    "display_data": ["data", "metadata", "transient"],
    "update_display_data": ["data", "metadata", "transient"],
    "execute_result": ["data", "metadata", "execution_count"],
    "error": ["ename", "evalue", "traceback"],
    "clear_output": ["wait"],
    "status": ["execution_state"],
    "execute_input": ["code", "execution_count"],
    "execute_reply": ["status", "execution_count", "ename", "evalue", "traceback"],
    "complete_reply": ["status", "matches", "cursor_start"],
    "input_request": ["prompt", "password"],
}


MODEL_NAMES = [
    "IntSliderModel", "FloatProgressModel", "HBoxModel", "VBoxModel", "OutputModel",
    "ButtonModel", "LabelModel", "HTMLModel", "ImageModel", "DropdownModel", "TextModel",
    "AccordionModel", "LayoutModel", "NoSuchModel", "",
]  # fmt: skip
MODEL_MODULES = [
    "@jupyter-widgets/controls", "@jupyter-widgets/base", "@jupyter-widgets/output",
    "someones-widgets", "",
]  # fmt: skip
references = st.sampled_from([f"IPY_MODEL_{model_id}" for model_id in [*COMM_IDS, "gone"]])
STATE_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "_model_name": st.sampled_from(MODEL_NAMES) | odd_values,
    "_model_module": st.sampled_from(MODEL_MODULES) | odd_values,
    "value": st.integers(-5, 200) | st.floats() | hostile_text | odd_values,
    "min": st.integers(-5, 5) | odd_values,
    "max": st.integers(0, 200) | odd_values,
    "step": st.sampled_from([0, 1, 0.5, -1]) | odd_values,
    "description": hostile_text | odd_values,
    "children": st.lists(references | odd_values, max_size=3) | odd_values,
    "layout": references | odd_values,
    "msg_id": st.sampled_from(["", "request"]) | odd_values,
    "outputs": st.lists(mime_bundles | odd_values, max_size=2) | odd_values,
    "bar_style": st.sampled_from(["success", "danger", "\x1b[31m"]) | odd_values,
    "_options_labels": st.lists(hostile_text, max_size=3) | odd_values,
    "index": st.integers(-2, 4) | odd_values,
    "titles": st.lists(hostile_text, max_size=2) | odd_values,
    "format": st.sampled_from(["png", "svg+xml"]) | odd_values,
}
buffer_paths = st.lists(
    st.lists(st.sampled_from(["value", "outputs", 0, 1, "x"]) | odd_values, max_size=3)
    | odd_values,
    max_size=2,
)


@st.composite
def comm_contents(draw: st.DrawFn, msg_type: str) -> dict[str, Any]:
    """Widget protocol messages (ipywidgets' protocol version 2), mostly well formed."""
    body: dict[str, Any] = {"comm_id": draw(st.sampled_from(COMM_IDS) | hostile_text)}
    if msg_type == "comm_close":
        return body
    keys = draw(st.lists(st.sampled_from(sorted(STATE_KEYS)), max_size=5, unique=True))
    state = {key: draw(STATE_KEYS[key]) for key in keys}
    data: dict[str, Any] = {"state": state, "buffer_paths": draw(buffer_paths)}
    if msg_type == "comm_open":
        state.setdefault("_model_name", draw(st.sampled_from(MODEL_NAMES)))
        state.setdefault("_model_module", draw(st.sampled_from(MODEL_MODULES)))
        target = st.sampled_from(["jupyter.widget"] * 4 + ["jupyter.widget.control", "other"])
        body["target_name"] = draw(target | odd_values)
    else:
        methods = ["update"] * 4 + ["echo_update", "custom", "request_state", "no_such"]
        data["method"] = draw(st.sampled_from(methods) | odd_values)
        data["content"] = draw(st.sampled_from([{"event": "click"}, {}]) | odd_values)
    good = draw(st.integers(0, 7))
    body["data"] = data if good else draw(odd_values | hostile_text)
    return body


@st.composite
def contents(draw: st.DrawFn, msg_type: Any) -> Any:
    """Mostly the fields the type has, some missing or wrongly typed; sometimes not a dict."""
    shape = draw(st.sampled_from(["fields"] * 6 + ["any fields", "not a dict"]))
    if shape == "not a dict":
        return draw(hostile_text | odd_values)
    if shape == "fields" and msg_type in ("comm_open", "comm_msg", "comm_close"):
        return draw(comm_contents(msg_type))
    if shape == "fields" and msg_type in FIELDS_BY_TYPE:
        keys = [key for key in FIELDS_BY_TYPE[msg_type] if draw(st.integers(0, 5))]
    else:
        keys = draw(st.lists(st.sampled_from(sorted(CONTENT_KEYS)), max_size=3, unique=True))
    return {key: draw(CONTENT_KEYS[key]) for key in keys}


@st.composite
def wire_messages(draw: st.DrawFn) -> WireMessage:
    channel = draw(st.sampled_from(["iopub"] * 6 + ["shell"] * 2 + ["stdin"]))
    known = {"iopub": KNOWN_IOPUB, "shell": KNOWN_SHELL, "stdin": ["input_request"]}[channel]
    msg_type = draw(
        st.sampled_from(known * 3 + ["no_such_type", "", "execute_request", "\x1b]0;t\x07", 7])
    )
    if channel == "stdin":
        # An input_request for the running execution is a real question: answered by a user,
        # so it is tested on its own; here only ones that ask on behalf of nobody.
        parent = draw(st.sampled_from(["none", "stranger", "earlier"]))
    else:
        parent = draw(st.sampled_from(["request", "request", "none", "stranger", "earlier"]))
    message = WireMessage(channel, msg_type, draw(contents(msg_type)), parent)
    if msg_type in ("comm_open", "comm_msg") and draw(st.integers(0, 3)) == 0:
        # Binary buffers, matching their paths or not.
        message.buffers = draw(st.lists(st.sampled_from([b"\x00\xff", PNG, b""]), max_size=2))
    mutation = draw(st.sampled_from(["none"] * 8 + ["raw", "wrong_key", "drop", "header"]))
    if mutation == "raw":
        frame = draw(st.sampled_from(["header", "parent", "metadata", "content"]))
        message.raw = {frame: draw(raw_frames)}
    elif mutation == "wrong_key":
        message.wrong_key = True
    elif mutation == "drop":
        message.drop_frames = draw(st.integers(min_value=1, max_value=5))
    elif mutation == "header":
        message.header = draw(
            st.sampled_from([[], "header", None, 5, {}, {"msg_type": None}, {"msg_type": msg_type}])
        )
    return message


batches = st.lists(wire_messages(), min_size=42, max_size=100)


@dataclass
class FuzzSession:
    """One ick attached to one scripted kernel; batches of messages go through it in turn."""

    term: Terminal
    kernel: ScriptedKernel
    batch: list[WireMessage]
    rounds: int = 0
    sent: int = 0
    warnings: int = 0

    def run(self, batch: list[WireMessage]) -> str:
        """Send ``batch`` in one execution; check ick came through; return what it showed."""
        self.batch = batch
        self.rounds += 1
        marker = f"batch-done-{self.rounds}"
        self.term.enter(f"go {self.rounds}")
        try:
            # The next batch's "go" proves that this prompt answers, not just that it was drawn.
            self.term.expect(rf"{marker}\n[\s\S]*?{ANY_PROMPT}", timeout=15)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nbatch:\n{describe(batch)}") from None
        # A question on behalf of nobody must not have taken what the user typed as its answer.
        assert not self.kernel.requests_of("input_reply"), describe(batch)
        raw = after_start_up(self.term.raw)
        for name, sequence in FORBIDDEN.items():
            assert sequence not in raw, f"{name} reached the terminal\nbatch:\n{describe(batch)}"
        text = self.term.text
        assert "Traceback" not in text and "internal error" not in text, (
            f"{text[-3000:]}\nbatch:\n{describe(batch)}"
        )
        self.warnings += len(re.findall(r"ick: warning", text))
        self.sent += len(batch)
        # Start the next batch with an empty screen record: each is checked on its own.
        self.term.forget()
        return text


def describe(batch: list[WireMessage]) -> str:
    """A batch as corpus JSON, ready to paste into wire_corpus.json."""
    return json.dumps([message.to_json() for message in batch])


@pytest.fixture
def fuzz_session(spawn_ick, ick_env: dict[str, str], tmp_path: Path) -> Iterator[FuzzSession]:
    session: FuzzSession

    def on_execute(kernel: ScriptedKernel, request: Message) -> None:
        code = request["content"].get("code")
        if isinstance(code, str) and code.startswith("go "):
            for message in session.batch:
                kernel.send(message)
            kernel.stream(f"batch-done-{session.rounds}\n")

    with ScriptedKernel(tmp_path / "kernel.json", on_execute=on_execute) as kernel:
        term = spawn_ick("--existing", str(kernel.connection_file))
        term.expect(ANY_PROMPT)
        session = FuzzSession(term, kernel, [])
        yield session
        assert not kernel.errors, kernel.errors
        # Everything typed is in the history, in order, whatever the kernel sent meanwhile.
        typed = history(ick_env, "scripted")
        assert typed == [f"go {n}" for n in range(1, session.rounds + 1)], typed[-6:]
        term.send("\x04")
        assert term.wait_exit(10) == ExitStatus.OK
    # At most one warning line per kind of bad message, not one per message (the widget
    # store has five kinds of its own: malformed, unknown model, buffers, version, module).
    assert session.warnings <= 8 + 5, f"{session.warnings} warning lines"


@pytest.mark.timeout(300)
def test_thousands_of_generated_hostile_messages(fuzz_session: FuzzSession):
    @settings(
        max_examples=BATCHES,
        deadline=None,
        database=None,
        # No shrinking: after a failure the ick under test may be gone, and every smaller
        # batch would "fail" too.  The failing batch is printed in corpus form instead.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=batches)
    def survive(batch: list[WireMessage]) -> None:
        fuzz_session.run(batch)

    started = time.monotonic()
    survive()
    print(
        f"{fuzz_session.sent} hostile messages in {fuzz_session.rounds} batches, "
        f"{time.monotonic() - started:.0f} s, {fuzz_session.warnings} warning lines"
    )
    assert fuzz_session.sent >= MESSAGES_PER_RUN


def corpus() -> list[list[WireMessage]]:
    return [[WireMessage.from_json(m) for m in batch] for batch in json.loads(CORPUS.read_text())]


def test_the_corpus_of_worst_found_messages(fuzz_session: FuzzSession):
    for batch in corpus():
        fuzz_session.run(batch)


def test_ten_thousand_display_data_in_a_burst(fuzz_session: FuzzSession):
    burst = [
        WireMessage("iopub", "display_data", {"data": {"text/plain": f"d{i}"}, "metadata": {}})
        for i in range(10**4)
    ]
    started = time.monotonic()
    shown = fuzz_session.run(burst)
    elapsed = time.monotonic() - started
    print(f"10^4 display_data: all drawn and back at the prompt in {elapsed:.1f} s")
    # None dropped on the way, however far behind the terminal is.
    assert len(set(re.findall(r"(?m)^d\d+$", shown))) == 10**4
    assert elapsed < 30


def test_the_corpus_in_script_mode(tmp_path: Path):
    """The script runner (images to files, no prompt) survives the same messages."""
    messages = [message for batch in corpus() for message in batch]

    def on_execute(kernel: ScriptedKernel, request: Message) -> None:
        for message in messages:
            kernel.send(message)
        kernel.stream("corpus-done\n")

    with ScriptedKernel(tmp_path / "kernel.json", on_execute=on_execute) as kernel:
        result = subprocess.run(
            [*ICK, "--existing", str(kernel.connection_file), "-c", "go", "--color", "always"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
        assert not kernel.errors, kernel.errors
    # The corpus's early execute_reply says "aborted": a documented status, not a crash.
    assert result.returncode in (ExitStatus.OK, ExitStatus.ERROR), result.stderr
    assert "corpus-done\n" in result.stdout
    output = result.stdout + result.stderr
    for name, sequence in FORBIDDEN.items():
        assert sequence not in output, f"{name} reached the output"
    assert "Traceback" not in output and "internal error" not in output
    assert len(re.findall(r"ick: warning", result.stderr)) <= 8 + 5
