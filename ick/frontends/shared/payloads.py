"""What a kernel asks of its front end in an execute_reply's ``payload`` list.

IPython sends ``page`` for ``obj?`` and ``%page``, ``set_next_input`` for
``%load`` and ``%recall``, and ``ask_exit`` for ``exit()`` / ``quit()``
(``keepkernel`` for ``exit(keep_kernel=True)``).  The REPL and the script
runner read them the same way; what each does with them differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ick.render.sanitize import plain_text


@dataclass(frozen=True, kw_only=True)
class Payloads:
    pages: tuple[Mapping[str, Any], ...] = ()
    """Mime bundles to show as documentation."""
    next_input: str | None = None
    """Text for the user's next input, made plain: it goes into an editable buffer."""
    exit_requested: bool = False
    keep_kernel: bool = False
    """With ``exit_requested``: the user asked for the kernel to stay up."""


def read_payloads(payloads: Any) -> Payloads:
    """The requests in ``payloads``; entries of the wrong shape are skipped."""
    if not isinstance(payloads, list):
        return Payloads()
    pages: list[Mapping[str, Any]] = []
    next_input: str | None = None
    exit_requested = keep_kernel = False
    for payload in payloads:
        if not isinstance(payload, dict):
            continue
        source = payload.get("source")
        if source == "page" and isinstance(payload.get("data"), dict):
            pages.append(payload["data"])
        elif source == "set_next_input" and isinstance(payload.get("text"), str):
            next_input = plain_text(payload["text"])
        elif source == "ask_exit":
            exit_requested = True
            keep_kernel = payload.get("keepkernel") is True
    return Payloads(
        pages=tuple(pages),
        next_input=next_input,
        exit_requested=exit_requested,
        keep_kernel=keep_kernel,
    )
