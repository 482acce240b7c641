"""The number the next prompt shows: the kernel's execution count plus one.

Our own executions say it in their reply.  A kernel attached to (``--existing``,
``--server --attach``) has counted before ick came, and other clients go on
counting while ick waits at its prompt: their ``execute_input`` and
``execute_result`` messages carry the count, so the prompt follows them.
"""

from __future__ import annotations

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.messages import Message, content, execution_count, msg_type

_COUNTED = ("execute_input", "execute_result")


async def kernels_count(kernel: KernelClient) -> int | None:
    """The kernel's count now, from a silent execution of nothing (it counts nothing)."""
    try:
        reply = await kernel.execute(
            "", lambda _msg: None, silent=True, store_history=False, timeout=5
        )
    except KernelError:
        return None
    return execution_count(reply.get("execution_count"))


def others_count(msg: Message, own: bool) -> int | None:
    """The count another client's execution has taken, if ``msg`` says it."""
    if own or msg_type(msg) not in _COUNTED:
        return None
    return execution_count(content(msg).get("execution_count"))
