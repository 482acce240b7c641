"""What a Jupyter message is, for every layer: the kernel side that routes them, the
renderer that draws them and the front ends that record them.

Kernels are untrusted, so every accessor here tolerates a message of the wrong
shape and answers with an empty value instead of raising.  Like jupyter_client's
``session.py`` beside its client, this module knows the message format and
nothing of sockets or screens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Message = dict[str, Any]
"""A deserialised Jupyter message: header, parent_header, metadata, content."""

OutputCallback = Callable[[Message], None]
"""Receives the iopub output of one request."""

NotebookOutput = dict[str, Any]
"""One output as a notebook (and an Output widget's ``outputs``) holds it."""


def parent_id(msg: Message) -> str | None:
    """The ``msg_id`` of the request this message answers, if any."""
    parent = msg.get("parent_header")
    if isinstance(parent, dict):
        msg_id = parent.get("msg_id")
        if isinstance(msg_id, str):
            return msg_id
    return None


def msg_type(msg: Message) -> str:
    header = msg.get("header")
    if isinstance(header, dict):
        kind = header.get("msg_type")
        if isinstance(kind, str):
            return kind
    kind = msg.get("msg_type")
    return kind if isinstance(kind, str) else ""


def content(msg: Message) -> dict[str, Any]:
    """The message content, or an empty dict when a kernel sent something else."""
    body = msg.get("content")
    return body if isinstance(body, dict) else {}


def execution_count(value: object) -> int | None:
    """A kernel's execution count when it is one (a whole number, not negative), else None.

    Counts come from the kernel and end up in prompts and notebooks: ``True``, ``-4`` or
    ``"7"`` are the kernel's mistakes, not counts to continue from.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def display_id_of(body: Mapping[str, Any]) -> str | None:
    """The ``transient.display_id`` of a display_data or update_display_data content."""
    transient = body.get("transient")
    if not isinstance(transient, Mapping):
        return None
    display_id = transient.get("display_id")
    return display_id if isinstance(display_id, str) and display_id else None


def error_text(body: Mapping[str, Any]) -> str:
    """An error as the kernel formatted it, or ``ename: evalue`` when it sent no traceback."""
    traceback = body.get("traceback")
    if isinstance(traceback, list) and traceback:
        return "\n".join(str(line) for line in traceback)
    ename = str(body.get("ename") or "")
    evalue = str(body.get("evalue") or "")
    if ename and evalue:
        return f"{ename}: {evalue}"
    return ename or evalue or "error"


def made_message(kind: str, body: dict[str, Any]) -> Message:
    """A message ick makes itself (an error a kernel only put in its reply), shaped like
    one from the wire so that every consumer takes it the same way."""
    return {"header": {"msg_type": kind}, "parent_header": {}, "metadata": {}, "content": body}


def notebook_output(kind: str, body: Mapping[str, Any]) -> NotebookOutput | None:
    """An output message in nbformat's shape, or None for what is not an output (or is
    malformed): what ``--save`` records and what an Output widget keeps."""
    if kind == "stream":
        text = body.get("text")
        name = body.get("name")
        if not isinstance(text, str) or name not in ("stdout", "stderr"):
            return None
        return {"output_type": "stream", "name": name, "text": text}
    if kind in ("execute_result", "display_data"):
        data = body.get("data")
        if not isinstance(data, dict) or not data:
            return None
        metadata = body.get("metadata")
        output: NotebookOutput = {
            "output_type": kind,
            "data": {key: value for key, value in data.items() if isinstance(key, str)},
            "metadata": metadata if isinstance(metadata, dict) else {},
        }
        if kind == "execute_result":
            output["execution_count"] = execution_count(body.get("execution_count"))
        return output
    if kind == "error":
        traceback = body.get("traceback")
        return {
            "output_type": "error",
            "ename": str(body.get("ename") or ""),
            "evalue": str(body.get("evalue") or ""),
            "traceback": [str(line) for line in traceback] if isinstance(traceback, list) else [],
        }
    return None
