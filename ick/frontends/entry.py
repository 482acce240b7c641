"""The two ways to run ick, as the command line asks for them.

Each front end is imported only once its kernel is launching: loading
prompt_toolkit and rich then overlaps the kernel's own start-up.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ick.errors import ExitStatus, IckError
from ick.frontends import launch
from ick.frontends.settings import ReplSettings
from ick.frontends.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.kernel.connect import KernelTarget
from ick.render.capabilities import ColorChoice, TerminalCapabilities, query_background_color


def run_interactive(
    target: KernelTarget,
    startup_timeout: float,
    color: ColorChoice,
    save: Path | None = None,
    show_other_output: bool = True,
    settings: ReplSettings | None = None,
) -> int:
    capabilities = TerminalCapabilities.detect(color=color)
    if not capabilities.stdin_is_tty:
        raise IckError("the REPL needs a terminal on standard input", ExitStatus.USAGE)
    settings = settings or ReplSettings(startup_timeout=startup_timeout)

    def load() -> launch.FrontEnd:
        from ick.frontends.repl import Repl
        from ick.frontends.theme import resolve_theme

        # The terminal is asked here, while the kernel boots and before prompt_toolkit reads stdin.
        theme = resolve_theme(settings.theme, os.environ, query_background_color)
        resolved = dataclasses.replace(settings, theme=theme)

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            repl = Repl(kernel, capabilities, sigint, save, show_other_output, resolved)
            return await repl.run()

        return front_end

    return launch.run(target, startup_timeout, load)


def run_script(
    target: KernelTarget,
    startup_timeout: float,
    color: ColorChoice,
    files: list[str],
    code: str | None,
    keep_going: bool,
    timeout: float | None,
    save: Path | None = None,
    image_dir: Path | None = None,
) -> int:
    from ick.frontends.script import (
        ScriptOptions,
        ScriptRunner,
        read_sources,
        silence_stdout,
    )

    target.check()
    capabilities = TerminalCapabilities.detect(color=color)
    sources, answers_from_stdin = read_sources(files, code)
    options = ScriptOptions(keep_going, timeout, answers_from_stdin, sources, save, image_dir)

    def load() -> launch.FrontEnd:
        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            return await ScriptRunner(kernel, capabilities, options, sigint, stop).run()

        return front_end

    status = launch.run(target, startup_timeout, load)
    if status == ExitStatus.BROKEN_PIPE:
        silence_stdout()
    return status


def run_watch(target: KernelTarget, color: ColorChoice) -> int:
    if target.connection_file is None:
        raise IckError("--watch needs a running kernel: use it with --existing", ExitStatus.USAGE)
    capabilities = TerminalCapabilities.detect(color=color)

    def load() -> launch.FrontEnd:
        from ick.frontends.watch import Watcher

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            return await Watcher(kernel, capabilities, sigint).run()

        return front_end

    return launch.run(target, 0, load, wait_ready=False)
