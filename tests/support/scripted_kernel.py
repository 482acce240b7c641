"""A scripted Jupyter kernel that speaks the real wire protocol, hostile on demand.

No real kernel sends malformed, misaddressed or escape-laden messages on
purpose, so fault tests use this one.  It binds the five channels like any
kernel, signs what it sends with the connection key (jupyter_client's
``Session``) and checks what it receives, but what it answers, what it keeps
silent about and what it sends unasked is up to the test:

* ``silent_to`` names requests it receives and never answers;
* ``on_execute(kernel, request)`` runs in the kernel's thread for every
  ``execute_request`` and may :meth:`ScriptedKernel.send` anything;
* ``on_debug(kernel, dap_request)`` answers every ``debug_request`` with the
  DAP response it returns, or not at all for ``None`` (by default every command
  succeeds with no body);
* :meth:`ScriptedKernel.call_soon` runs code in the kernel's thread while
  ick sits at its prompt (unsolicited output, stray replies);
* :class:`WireMessage` can break a message at any layer: a wrong-typed
  header, raw bytes instead of a JSON frame (invalid UTF-8, not JSON), a
  wrong signature, missing frames.

It runs in a thread of the test process, and ick attaches to it with
``--existing CONNECTION_FILE``; or, for ick to start and own it, as a process
from a kernelspec (:func:`write_scripted_kernelspec`), whose behaviour is then one of
the named :data:`BEHAVIOURS`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import queue
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.session import DELIM, Session

Message = dict[str, Any]
ExecuteHandler = Callable[["ScriptedKernel", Message], None]
DebugHandler = Callable[["ScriptedKernel", dict[str, Any]], dict[str, Any] | None]

#: Every request ick may send; ``silent_to`` picks from these.
REQUESTS = frozenset(
    {
        "kernel_info_request",
        "execute_request",
        "complete_request",
        "is_complete_request",
        "inspect_request",
        "history_request",
        "comm_info_request",
        "interrupt_request",
        "shutdown_request",
        "debug_request",
    }
)

DEFAULT_KERNEL_INFO: dict[str, Any] = {
    "status": "ok",
    "protocol_version": "5.3",
    "implementation": "scripted",
    "implementation_version": "1.0",
    "language_info": {"name": "scripted", "version": "1.0", "file_extension": ".txt"},
    "banner": "a scripted test kernel",
}


@dataclass
class WireMessage:
    """One message as the kernel puts it on the wire, broken in whatever ways are asked.

    ``parent`` says whose reply it claims to be: ``"request"`` (the execution
    being handled), ``"none"``, ``"stranger"`` (a request nobody made) or
    ``"earlier"`` (an execution of ick's that has finished).
    """

    channel: str
    msg_type: Any
    content: Any = field(default_factory=dict)
    parent: str = "request"
    #: Replaces the whole header (a wrong type, no msg_type...).
    header: Any = None
    #: Frames sent as these bytes instead of JSON: keys "header", "parent", "metadata", "content".
    raw: dict[str, bytes] = field(default_factory=dict)
    #: Signed with a key that is not the connection's.
    wrong_key: bool = False
    #: How many frames to leave off the end.
    drop_frames: int = 0
    buffers: list[bytes] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form, for the fixed corpus of messages worth replaying."""
        return {
            "channel": self.channel,
            "msg_type": self.msg_type,
            "content": self.content,
            "parent": self.parent,
            "header": self.header,
            "raw": {name: value.hex() for name, value in self.raw.items()},
            "wrong_key": self.wrong_key,
            "drop_frames": self.drop_frames,
            "buffers": [buffer.hex() for buffer in self.buffers],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WireMessage:
        return cls(
            channel=data["channel"],
            msg_type=data["msg_type"],
            content=data.get("content", {}),
            parent=data.get("parent", "request"),
            header=data.get("header"),
            raw={name: bytes.fromhex(value) for name, value in data.get("raw", {}).items()},
            wrong_key=data.get("wrong_key", False),
            drop_frames=data.get("drop_frames", 0),
            buffers=[bytes.fromhex(buffer) for buffer in data.get("buffers", [])],
        )


CHANNEL_SOCKETS = {
    "shell": zmq.ROUTER,
    "control": zmq.ROUTER,
    "stdin": zmq.ROUTER,
    "iopub": zmq.PUB,
    "hb": zmq.REP,
}


def _bind(context: zmq.Context[Any], kind: int) -> tuple[zmq.Socket[Any], int]:
    socket = context.socket(kind)
    socket.linger = 0
    port = socket.bind_to_random_port("tcp://127.0.0.1")
    return socket, port


def _pack(session: Session, value: Any) -> bytes:
    """JSON as jupyter_client packs it; lone surrogates it cannot encode become escapes."""
    try:
        return session.pack(value)
    except UnicodeEncodeError:
        return json.dumps(value, default=str).encode()


class ScriptedKernel:
    """A kernel whose every answer is scripted by the test; see the module docstring."""

    def __init__(
        self,
        connection_file: Path,
        *,
        silent_to: Iterable[str] = (),
        on_execute: ExecuteHandler | None = None,
        on_debug: DebugHandler | None = None,
        kernel_info: dict[str, Any] | None = None,
        key: str | None = None,
        heartbeat: bool = True,
    ) -> None:
        unknown = set(silent_to) - REQUESTS
        assert not unknown, f"not requests: {unknown}"
        self.connection_file = connection_file
        self.silent_to = frozenset(silent_to)
        self.on_execute = on_execute
        self.on_debug = on_debug
        self.kernel_info = kernel_info or DEFAULT_KERNEL_INFO
        self.heartbeat = heartbeat
        self.key = key or uuid.uuid4().hex
        self.session = Session(key=self.key.encode(), username="scripted")
        self._stranger = Session(key=b"not-the-connection-key", username="stranger")
        #: (msg_type, content) of every request received, in order; appended by the kernel thread.
        self.received: list[tuple[str, dict[str, Any]]] = []
        #: Answers ick sent to input_request messages.
        self.input_replies: queue.Queue[str] = queue.Queue()
        #: How many messages were dropped because their signature was wrong.
        self.bad_signatures = 0
        self.execution_count = 0
        #: Exceptions raised by scripted behaviour in the kernel's thread; tests assert it empty.
        self.errors: list[BaseException] = []
        self._calls: queue.Queue[Callable[[ScriptedKernel], None]] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._heart: threading.Thread | None = None
        self._context: zmq.Context[Any] = zmq.Context()
        self._client_identity: list[bytes] = []
        self._request: Message | None = None
        self._earlier: Message | None = None
        self._sockets: dict[str, zmq.Socket[Any]] = {}
        if connection_file.exists():  # written by whoever launched us (jupyter_client)
            info = json.loads(connection_file.read_text())
            self.key = info["key"]
            self.session = Session(key=self.key.encode(), username="scripted")
            for channel, kind in CHANNEL_SOCKETS.items():
                self._sockets[channel] = self._context.socket(kind)
                self._sockets[channel].linger = 0
                self._sockets[channel].bind(f"tcp://{info['ip']}:{info[f'{channel}_port']}")
            return
        ports: dict[str, int] = {}
        for channel, kind in CHANNEL_SOCKETS.items():
            self._sockets[channel], ports[f"{channel}_port"] = _bind(self._context, kind)
        info = {
            **ports,
            "ip": "127.0.0.1",
            "transport": "tcp",
            "key": self.key,
            "signature_scheme": "hmac-sha256",
            "kernel_name": "scripted",
        }
        # Created private, as a real kernel's connection file must be: it holds the key.
        descriptor = os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(info, handle)

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> ScriptedKernel:
        self._thread = threading.Thread(target=self.serve, name="scripted-kernel", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in (self._thread, self._heart):
            if thread is not None:
                thread.join(10)
        for socket in self._sockets.values():
            socket.close(linger=0)
        self._context.term()

    def __enter__(self) -> ScriptedKernel:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call_soon(self, action: Callable[[ScriptedKernel], None]) -> None:
        """Run ``action(kernel)`` in the kernel's thread (sockets belong to one thread)."""
        self._calls.put(action)

    def requests_of(self, msg_type: str) -> list[dict[str, Any]]:
        return [body for kind, body in list(self.received) if kind == msg_type]

    # -- the kernel's loop ---------------------------------------------------------------
    def serve(self) -> None:
        # Like a real kernel, the heartbeat is answered from its own thread, so that a long
        # scripted execution (or one waiting for input) is not taken for a dead kernel.
        self._heart = threading.Thread(target=self._beat, name="scripted-heartbeat", daemon=True)
        self._heart.start()
        poller = zmq.Poller()
        for channel, socket in self._sockets.items():
            if channel != "hb":
                poller.register(socket, zmq.POLLIN)
        while not self._stop.is_set():
            ready = dict(poller.poll(20))
            try:
                for channel, socket in self._sockets.items():
                    if socket in ready:
                        self._receive(channel, socket)
                while not self._calls.empty():
                    self._calls.get()(self)
            except Exception as exc:  # a bug in a test's script: keep serving, let it fail
                self.errors.append(exc)

    def _beat(self) -> None:
        socket = self._sockets["hb"]
        while not self._stop.is_set():
            if socket.poll(20):
                frames = socket.recv_multipart()
                if self.heartbeat:
                    socket.send_multipart(frames)

    def _receive(self, channel: str, socket: zmq.Socket[Any]) -> None:
        frames = socket.recv_multipart()
        identities, parts = self.session.feed_identities(frames)
        try:
            request = self.session.deserialize(parts)
        except ValueError:  # jupyter_client's "Invalid Signature"
            self.bad_signatures += 1
            return
        msg_type = request["header"]["msg_type"]
        self.received.append((msg_type, request["content"]))
        if channel == "stdin":
            if msg_type == "input_reply":
                self.input_replies.put(str(request["content"].get("value")))
            return
        self._client_identity = identities
        if msg_type in self.silent_to:
            return
        self._request = request
        self.status("busy")
        if msg_type == "execute_request":
            self._execute(request)
        else:
            answer = self._answer(request)
            if answer is not None:
                self.reply(channel, msg_type.replace("_request", "_reply"), answer)
        self.status("idle")
        if msg_type == "shutdown_request":
            self._stop.set()

    def _answer(self, request: Message) -> dict[str, Any] | None:
        kind = request["header"]["msg_type"]
        body = request["content"]
        if kind == "kernel_info_request":
            return self.kernel_info
        if kind == "complete_request":
            cursor = body.get("cursor_pos", 0)
            return {"status": "ok", "matches": [], "cursor_start": cursor, "cursor_end": cursor}
        if kind == "is_complete_request":
            return {"status": "complete"}
        if kind == "inspect_request":
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        if kind == "history_request":
            return {"status": "ok", "history": []}
        if kind == "comm_info_request":
            return {"status": "ok", "comms": {}}
        if kind == "shutdown_request":
            return {"status": "ok", "restart": bool(body.get("restart"))}
        if kind == "debug_request":
            if self.on_debug is not None:
                return self.on_debug(self, body)
            return {
                "type": "response",
                "request_seq": body.get("seq"),
                "command": body.get("command"),
                "success": True,
            }
        return {"status": "ok"}

    def _execute(self, request: Message) -> None:
        code = request["content"].get("code", "")
        silent = bool(request["content"].get("silent"))
        if not silent:
            self.execution_count += 1
            self.publish("execute_input", {"code": code, "execution_count": self.execution_count})
        if self.on_execute is not None and not silent:
            self.on_execute(self, request)
        self.reply(
            "shell",
            "execute_reply",
            {
                "status": "ok",
                "execution_count": self.execution_count,
                "payload": [],
                "user_expressions": {},
            },
        )
        self._earlier = request

    # -- sending -----------------------------------------------------------------------
    def status(self, state: str) -> None:
        self.publish("status", {"execution_state": state})

    def publish(self, msg_type: str, content: dict[str, Any]) -> None:
        """An iopub message in reply to the request being handled."""
        self.send(WireMessage("iopub", msg_type, content))

    def reply(self, channel: str, msg_type: str, content: dict[str, Any]) -> None:
        self.send(WireMessage(channel, msg_type, content))

    def ask(self, prompt: str, password: bool = False, timeout: float = 30) -> str:
        """An ``input_request`` for the running execution; waits for ick's answer."""
        self.send(WireMessage("stdin", "input_request", {"prompt": prompt, "password": password}))
        stdin = self._sockets["stdin"]
        deadline = time.monotonic() + timeout
        while self.input_replies.empty():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer to {prompt!r}")
            if stdin.poll(50):
                self._receive("stdin", stdin)
        return self.input_replies.get()

    def stream(self, text: str, name: str = "stdout") -> None:
        self.publish("stream", {"name": name, "text": text})

    def send(self, message: WireMessage) -> None:
        """Put ``message`` on its channel, signed (or not) and broken as it asks."""
        socket = self._sockets[message.channel]
        frames = self._frames(message)
        if message.channel == "iopub":
            topic = message.msg_type if isinstance(message.msg_type, str) else "junk"
            socket.send_multipart([f"kernel.scripted.{topic}".encode(), *frames])
        elif self._client_identity:
            socket.send_multipart([*self._client_identity, *frames])

    def _parent(self, which: str) -> dict[str, Any]:
        if which == "request" and self._request is not None:
            return self._request["header"]
        if which == "earlier" and self._earlier is not None:
            return self._earlier["header"]
        if which == "stranger":  # a request nobody made
            return self.session.msg_header("execute_request")
        return {}

    def _frames(self, message: WireMessage) -> list[bytes]:
        session = self.session
        if message.header is not None:
            header = message.header
        elif isinstance(message.msg_type, str):
            header = session.msg_header(message.msg_type)
        else:  # a msg_type no kernel would send, e.g. a number
            header = {
                **session.msg_header("placeholder"),
                "msg_type": message.msg_type,
                "date": datetime.datetime.now(datetime.timezone.utc),
            }
        parts = {
            "header": _pack(session, header),
            "parent": _pack(session, self._parent(message.parent)),
            "metadata": _pack(session, {}),
            "content": _pack(session, message.content),
        }
        parts.update(message.raw)
        signed = [parts["header"], parts["parent"], parts["metadata"], parts["content"]]
        signer = self._stranger if message.wrong_key else session
        frames = [DELIM, signer.sign(signed), *signed, *message.buffers]
        return frames[: len(frames) - message.drop_frames] if message.drop_frames else frames


# -- as a process started from a kernelspec -------------------------------------------------


BEHAVIOURS: dict[str, dict[str, Any]] = {
    # Answers kernel_info (so that ick starts) and nothing else.
    "silent": {"silent_to": REQUESTS - {"kernel_info_request", "shutdown_request"}},
}


def write_scripted_kernelspec(jupyter_path: Path, name: str, behaviour: str) -> None:
    """A kernelspec under ``jupyter_path`` that starts this module with ``behaviour``."""
    assert behaviour in BEHAVIOURS, behaviour
    spec_dir = jupyter_path / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, __file__, "--behaviour", behaviour, "{connection_file}"],
        "display_name": f"scripted ({behaviour})",
        "language": "scripted",
        "interrupt_mode": "message",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--behaviour", choices=sorted(BEHAVIOURS), required=True)
    parser.add_argument("connection_file", type=Path)
    args = parser.parse_args()
    kernel = ScriptedKernel(args.connection_file, **BEHAVIOURS[args.behaviour])
    kernel.serve()


if __name__ == "__main__":
    _main()
