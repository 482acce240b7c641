"""The debug protocol with a kernel of a real Jupyter Server on 127.0.0.1.

``debug_request`` and its reply travel on the control channel of the kernel's
websocket, in both of the server's wire formats; the server's kernelspec
listing says which kernels have a debugger.  The REPL's ``)vars``, ``)break``
and debug prompt are driven in a pty on a kernel of the server too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from ick.kernel.debugger import DebugSession
from ick.kernel.errors import NoDebugger
from ick.kernel.remote.address import ServerAddress
from ick.kernel.remote.client import RemoteKernelClient
from ick.kernel.remote.rest import ServerAPI
from tests.support import debugger_at_the_prompt as at_the_prompt
from tests.support.servers import Server

from ..debug_scenarios import (
    Debugging,
    check_breakpoint_and_steps,
    check_exception_breakpoint,
    check_variables,
)

Check = Callable[[Debugging], Awaitable[None]]


def on_server_kernel(server: Server, checks: list[Check]) -> None:
    """Run ``checks`` one after the other on one python3 kernel the server starts."""

    async def scenario() -> None:
        api = ServerAPI(ServerAddress.parse(server.url, server.token))
        client = await RemoteKernelClient.start(api, "python3", {}, 60)
        try:
            await client.wait_ready(60)
            assert await client.has_debugger()
            for check in checks:
                await check(Debugging(client))
        finally:
            await client.shutdown()

    asyncio.run(scenario())


def test_debugging_a_kernel_of_the_server(server: Server) -> None:
    on_server_kernel(
        server, [check_variables, check_breakpoint_and_steps, check_exception_breakpoint]
    )


def test_debugging_over_the_legacy_websocket_format(legacy_server: Server) -> None:
    on_server_kernel(legacy_server, [check_breakpoint_and_steps])


@pytest.mark.parametrize(("name", "expected"), [("python3", True), ("ir", False)])
def test_the_servers_kernelspecs_say_which_kernels_have_a_debugger(
    server: Server, name: str, expected: bool
) -> None:
    async def scenario() -> None:
        api = ServerAPI(ServerAddress.parse(server.url, server.token))
        # Not connected: the server's kernelspec listing alone answers.
        client = RemoteKernelClient(api, "no-kernel-yet", name, owns_kernel=False)
        assert await client.has_debugger() is expected
        if not expected:
            with pytest.raises(NoDebugger, match=rf"^the {name} kernel has no debugger$"):
                await DebugSession(client=client).start()

    asyncio.run(scenario())


def test_the_debugger_at_icks_prompt_on_a_kernel_of_the_server(spawn_ick, server: Server) -> None:
    term = spawn_ick("--server", server.url, "--token", server.token)
    repl = at_the_prompt.ReplAtTerminal(term)
    at_the_prompt.check_variables(repl)
    at_the_prompt.check_breakpoint_and_steps(repl)
    at_the_prompt.check_exception_breakpoint(repl)
    term.send("\x04")
    assert term.wait_exit() == 0
