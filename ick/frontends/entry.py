"""The three ways to run a front end on a kernel: the REPL, scripts and the watcher.

A kernel ick launches is started first, before anything it does not need is
imported: asyncio, ZeroMQ, prompt_toolkit and rich then load while it boots,
and so does the terminal probe, started here too.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ick.errors import ExitStatus, IckError
from ick.kernel.connect import KernelTarget, start_process
from ick.options import Options
from ick.render.environment import Environment
from ick.render.probe import TerminalProbe

if TYPE_CHECKING:
    from ick.frontends.shared import launch
    from ick.frontends.shared.signals import SigintActions
    from ick.kernel.client import KernelClient


class ProbedEnvironment:
    """The environment, with the terminal's answers once the front end needs them.

    The probe runs while the kernel starts; it has ended (and the tty is
    restored) by the time :meth:`get` returns, and always by :meth:`close`.
    """

    def __init__(self, environment: Environment, *, hold: bool, background: bool) -> None:
        self._environment = environment
        self._probe: TerminalProbe | None = environment.start_probe(
            hold=hold, background=background
        )

    def get(self) -> Environment:
        if self._probe is not None:
            probe, self._probe = self._probe, None
            self._environment = self._environment.with_replies(probe.replies())
        return self._environment

    def close(self) -> None:
        self.get()


def run_repl(*, target: KernelTarget, options: Options, environment: Environment) -> int:
    if not environment.stdin_is_tty:  # nothing probed: that needs a terminal
        raise IckError("the REPL needs a terminal on standard input", ExitStatus.USAGE)
    # Only the REPL replays keys typed during start-up; a script's input() reads them.
    startup = ProbedEnvironment(environment, hold=True, background=options.repl.theme == "auto")

    def load(kernel: KernelClient) -> launch.FrontEnd:
        from ick.frontends.repl.loop import Repl
        from ick.frontends.repl.prompt import warm_lexer
        from ick.frontends.repl.theme import resolve_theme

        warm_lexer(kernel.kernelspec.get("language", ""))
        probed = startup.get()
        theme = resolve_theme(options.repl.theme, probed.variables, probed.capabilities.background)
        resolved = dataclasses.replace(options, repl=dataclasses.replace(options.repl, theme=theme))

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            repl = Repl(kernel=kernel, options=resolved, environment=probed, sigint=sigint)
            return await repl.run()

        return front_end

    try:
        return _launch(target, options.startup_timeout, load)
    finally:
        startup.close()


def _launch(
    target: KernelTarget,
    startup_timeout: float,
    load: launch.FrontEndLoader,
    *,
    wait_ready: bool = True,
) -> int:
    """Start the target's kernel process, then load the session around it."""
    process = start_process(target)
    from ick.frontends.shared import launch

    return launch.run(target, startup_timeout, load, wait_ready=wait_ready, process=process)


def run_scripts(*, target: KernelTarget, options: Options, environment: Environment) -> int:
    from ick.frontends.script_sources import read_sources, silence_stdout

    target.check()
    sources, answers_from_stdin = read_sources(options.files, options.code, environment.stdin)
    startup = ProbedEnvironment(environment, hold=False, background=False)

    def load(kernel: KernelClient) -> launch.FrontEnd:
        from ick.frontends.script import ScriptRunner

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            runner = ScriptRunner(
                kernel=kernel,
                options=options,
                environment=startup.get(),
                sources=sources,
                answers_from_stdin=answers_from_stdin,
                sigint=sigint,
                stop=stop,
            )
            return await runner.run()

        return front_end

    try:
        status = _launch(target, options.startup_timeout, load)
    finally:
        startup.close()
    if status == ExitStatus.BROKEN_PIPE:
        silence_stdout(environment.stdout)
    return status


def run_watch(*, target: KernelTarget, options: Options, environment: Environment) -> int:
    if not target.is_running_kernel:
        raise IckError(
            "--watch needs a running kernel: use it with --existing or --server URL --attach ID",
            ExitStatus.USAGE,
        )
    startup = ProbedEnvironment(environment, hold=False, background=False)

    def load(kernel: KernelClient) -> launch.FrontEnd:
        from ick.frontends.watch import Watcher

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            watcher = Watcher(
                kernel=kernel, options=options, environment=startup.get(), sigint=sigint
            )
            return await watcher.run()

        return front_end

    try:
        return _launch(target, options.startup_timeout, load, wait_ready=False)
    finally:
        startup.close()
