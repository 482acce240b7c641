"""The two ways to run ick, as the command line asks for them.

Each front end is imported only once its kernel is launching: loading
prompt_toolkit and rich then overlaps the kernel's own start-up.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from ick.errors import ExitStatus, IckError
from ick.frontends.settings import ReplSettings
from ick.frontends.shared import launch
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.kernel.connect import KernelTarget
from ick.render.capabilities import (
    ColorChoice,
    ImagesChoice,
    TerminalCapabilities,
    query_background_color,
)
from ick.render.mime_order import DEFAULT_MIME_ORDER


class StartupCapabilities:
    """The terminal's capabilities, with the probe's answers once the front end needs them.

    The probe runs while the kernel starts; it has ended (and the tty is
    restored) by the time :meth:`get` returns, and always by :meth:`close`.
    """

    def __init__(self, color: ColorChoice, images: ImagesChoice, repl: bool = False) -> None:
        self._capabilities = TerminalCapabilities.detect(color=color, images=images)
        # Only the REPL replays keys typed during start-up; a script's input() reads them.
        self._probe = self._capabilities.start_probe(hold=repl)

    @property
    def environment_only(self) -> TerminalCapabilities:
        return self._capabilities

    def get(self) -> TerminalCapabilities:
        if self._probe is not None:
            probe, self._probe = self._probe, None
            self._capabilities = self._capabilities.with_replies(probe.replies())
        return self._capabilities

    def close(self) -> None:
        self.get()


def run_interactive(
    target: KernelTarget,
    startup_timeout: float,
    color: ColorChoice,
    save: Path | None = None,
    show_other_output: bool = True,
    images: ImagesChoice = "auto",
    mime_order: Sequence[str] = DEFAULT_MIME_ORDER,
    settings: ReplSettings | None = None,
) -> int:
    startup = StartupCapabilities(color, images, repl=True)
    if not startup.environment_only.stdin_is_tty:  # nothing probed: that needs a terminal
        startup.close()
        raise IckError("the REPL needs a terminal on standard input", ExitStatus.USAGE)
    settings = settings or ReplSettings(startup_timeout=startup_timeout)

    def load() -> launch.FrontEnd:
        from ick.frontends.repl.loop import Repl, preload_lexer_plugins
        from ick.frontends.repl.theme import resolve_theme

        preload_lexer_plugins()
        # The terminal is asked here, while the kernel boots and before prompt_toolkit reads
        # stdin; after the capability probe, so that two readers never share the tty.
        capabilities = startup.get()
        theme = resolve_theme(settings.theme, os.environ, query_background_color)
        resolved = dataclasses.replace(settings, theme=theme)

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            repl = Repl(kernel, capabilities, sigint, save, show_other_output, resolved, mime_order)
            return await repl.run()

        return front_end

    try:
        return launch.run(target, startup_timeout, load)
    finally:
        startup.close()


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
    images: ImagesChoice = "auto",
    mime_order: Sequence[str] = DEFAULT_MIME_ORDER,
) -> int:
    from ick.frontends.script import (
        ScriptOptions,
        ScriptRunner,
        read_sources,
        silence_stdout,
    )

    target.check()
    sources, answers_from_stdin = read_sources(files, code)
    options = ScriptOptions(
        keep_going, timeout, answers_from_stdin, sources, save, image_dir, tuple(mime_order)
    )
    startup = StartupCapabilities(color, images)

    def load() -> launch.FrontEnd:
        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            capabilities = startup.get()
            return await ScriptRunner(kernel, capabilities, options, sigint, stop).run()

        return front_end

    try:
        status = launch.run(target, startup_timeout, load)
    finally:
        startup.close()
    if status == ExitStatus.BROKEN_PIPE:
        silence_stdout()
    return status


def run_watch(
    target: KernelTarget,
    color: ColorChoice,
    images: ImagesChoice = "auto",
    mime_order: Sequence[str] = DEFAULT_MIME_ORDER,
) -> int:
    if not target.is_running_kernel:
        raise IckError(
            "--watch needs a running kernel: use it with --existing or --server URL --attach ID",
            ExitStatus.USAGE,
        )
    startup = StartupCapabilities(color, images)

    def load() -> launch.FrontEnd:
        from ick.frontends.watch import Watcher

        async def front_end(kernel: KernelClient, sigint: SigintActions, stop: launch.Stop) -> int:
            return await Watcher(kernel, startup.get(), sigint, mime_order).run()

        return front_end

    try:
        return launch.run(target, 60.0, load, wait_ready=False)
    finally:
        startup.close()
