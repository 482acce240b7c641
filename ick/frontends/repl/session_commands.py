"""What ick's own commands do to the session: ``)restart``, ``)interrupt``, ``)kernel``,
``)save``, ``)clear``, ``)help``, and the session's end (``)quit``, Ctrl-D, ``exit()``,
a dead kernel's restart question).  The table and the parser are in ``reference.py``
and ``commands.py``."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from prompt_toolkit.completion import WordCompleter

from ick.errors import ExitStatus, IckError
from ick.frontends.repl.debugging import Debugging
from ick.frontends.repl.prompts import banner
from ick.frontends.repl.reference import PREFIX
from ick.frontends.repl.state import ReplState
from ick.frontends.shared.recording import NotebookRecorder
from ick.kernel.client import KernelClient
from ick.kernel.connect import KernelTarget, open_kernel
from ick.kernel.errors import KernelError


class SessionCommands:
    """The REPL's :class:`~ick.frontends.repl.commands.CommandTarget`."""

    def __init__(self, *, repl: ReplState, debugging: Debugging) -> None:
        self._repl = repl
        self.debugging = debugging  # )vars and )break are the debugger room's

    def show(self, text: str) -> None:
        self._repl.show(text)

    def show_error(self, text: str) -> None:
        self._repl.show_error(text)

    async def command_for_key(self, name: str) -> str | None:
        """The command a key stands for, as if typed; asks for its argument where it needs one."""
        argument = ""
        try:
            if name == "kernel":
                from ick.kernel.specs import installed_kernels

                names = [spec.name for spec in installed_kernels()]
                argument = await self._repl.stdin_prompt.ask(
                    "Switch to kernel: ", completer=WordCompleter(names)
                )
                if not argument.strip():
                    return None
            elif name == "save":
                default = self.default_save_path()
                argument = await self._repl.stdin_prompt.ask(f"Save the session as [{default}]: ")
                argument = argument.strip() or str(default)
        except (EOFError, KeyboardInterrupt):
            return None
        return f"{PREFIX}{name} {argument}".strip()

    async def confirm_exit(self) -> bool:
        if not self._repl.options.repl.confirm_exit:
            return True
        question = "Exit ick? [y/N] "
        if not self._repl.kernel.owns_kernel:
            question = "Exit ick (the kernel keeps running)? [y/N] "
        try:
            answer = await self._repl.stdin_prompt.ask(question)
        except (EOFError, KeyboardInterrupt):
            return True  # a second Ctrl-D means it
        return answer.strip().lower() in ("y", "yes")

    async def goodbye(self) -> int:
        # A kernel that runs on must not keep ick's breakpoints: they would stop its other
        # clients' code with no one to let it go.
        await self.debugging.leave()
        if not self._repl.kernel.owns_kernel and not self._repl.kernel.is_dead:
            self.show(f"The {self._repl.kernel.name} kernel keeps running (ick attached to it).")
        return ExitStatus.OK

    async def exit_asked(self, *, keep_kernel: bool) -> int:
        """The kernel's ``exit()``; ``exit(keep_kernel=True)`` leaves a kernel ick started up."""
        if keep_kernel and self._repl.kernel.owns_kernel:
            attach = self._repl.kernel.keep_running()
            if attach is not None:
                await self.debugging.leave()
                self.show(
                    f"The {self._repl.kernel.name} kernel keeps running; attach to it with:\n"
                    f"  {attach}"
                )
                return ExitStatus.OK
        return await self.goodbye()

    async def offer_restart(self) -> bool:
        await self._repl.stdin_prompt.no_answer_on_screen.wait()
        self._repl.output.ensure_newline()
        if not self._repl.kernel.owns_kernel:
            # Whoever started it may restart it; ick can only say so and leave.
            return await self.restart_kernel()
        try:
            answer = await self._repl.stdin_prompt.ask("Restart the kernel? [Y/n] ")
        except (EOFError, KeyboardInterrupt):
            return False
        if answer.strip().lower() not in ("", "y", "yes"):
            return False
        return await self.restart_kernel()

    async def restart_kernel(self) -> bool:
        repl = self._repl
        if not repl.kernel.owns_kernel:
            self.show_error("ick: the kernel was started elsewhere, so ick cannot restart it")
            return False
        repl.status.set("restarting")
        repl.fresh_kernel = True
        self.debugging.forget()  # the kernel's debugger and inputs go with its process
        try:
            await repl.kernel.restart(timeout=repl.options.startup_timeout)
        except KernelError as exc:
            repl.status.set("dead")
            self.show_error(f"ick: could not restart the kernel: {exc}")
            return False
        repl.status.set("idle")
        repl.next_count = 1
        repl.widgets.forget_all()
        self.show("Kernel restarted.")
        return True

    async def interrupt_kernel(self) -> None:
        await self._repl.kernel.interrupt()
        self.show(f"Interrupt sent to the {self._repl.kernel.name} kernel.")

    async def switch_kernel(self, name: str) -> None:
        """Start kernel ``name`` and carry on with it; the old one is let go only once it is up."""
        from ick.kernel.specs import installed_kernels

        repl = self._repl
        name = name.strip()
        if not name:
            specs = installed_kernels()
            width = max((len(spec.name) for spec in specs), default=0)
            rows = [
                f"{'*' if spec.name == repl.kernel.name else ' '} {spec.name:<{width}}  "
                f"{spec.language}"
                for spec in specs
            ]
            self.show(f"Kernels (switch with {PREFIX}kernel NAME):\n" + "\n".join(rows))
            return
        target = KernelTarget(name)
        try:
            target.check()
        except IckError as exc:
            self.show_error(f"ick: {exc}")
            return
        self.show(f"Starting the {name} kernel...")
        starting = asyncio.ensure_future(self._start_kernel(target))

        def give_up() -> None:  # Ctrl-C gives up on the new kernel, not on ick
            starting.cancel()

        with repl.sigint.action(give_up):
            try:
                new = await starting
            except asyncio.CancelledError:
                self.show_error(f"ick: not switched; still on the {repl.kernel.name} kernel")
                return
            except (IckError, KernelError) as exc:
                self.show_error(f"ick: {exc}; still on the {repl.kernel.name} kernel")
                return
        await self.debugging.leave()  # the old kernel's debugger, before ick lets it go
        old = repl.kernel
        repl.use_kernel(new)
        # A kernel ick started is shut down; one it attached to (--existing) keeps running.
        await old.shutdown()
        self._start_recording()
        repl.renderer.print(banner(new.name, new.kernel_info))

    async def _start_kernel(self, target: KernelTarget) -> KernelClient:
        kernel = await open_kernel(target)
        try:
            await kernel.wait_ready(self._repl.options.startup_timeout)
        except BaseException:
            await asyncio.shield(kernel.shutdown())
            raise
        return kernel

    def _start_recording(self) -> None:
        """A new kernel's session is a new notebook: --save's file keeps the old one's cells."""
        repl = self._repl
        path = repl.save_path
        if path is not None:
            path = path.with_name(f"{path.stem}-{repl.kernel.name}{path.suffix or '.ipynb'}")
            self.show(f"Recording continues in {path}")
        repl.save_path = path
        repl.recorder = NotebookRecorder(path, repl.kernel.kernelspec, repl.kernel.language_info)

    def default_save_path(self) -> Path:
        """Where ``)save`` alone writes: the ``--save`` file, else a dated name here."""
        if self._repl.save_path is not None:
            return self._repl.save_path
        return Path(datetime.now().strftime("ick-%Y-%m-%d-%H%M%S.ipynb"))

    def save_notebook(self, path: str) -> None:
        repl = self._repl
        target = Path(path.strip()).expanduser() if path.strip() else self.default_save_path()
        if not target.suffix:  # ")save sess" means sess.ipynb, as a notebook's name would be
            target = target.with_name(target.name + ".ipynb")
        try:
            repl.recorder.write(target)
        except OSError as exc:
            self.show_error(f"ick: cannot save to {target}: {exc.strerror or exc}")
            return
        count = len(repl.recorder.cells)
        self.show(f"Saved {count} cell{'s' if count != 1 else ''} to {target}")

    async def operate_widgets(self) -> None:
        await self._repl.widgets.operate(sigint=self._repl.sigint, show_error=self.show_error)

    def clear_screen(self) -> None:
        repl = self._repl
        repl.output.flush()
        if repl.environment.stdout_is_tty:
            repl.environment.stdout.write("\x1b[H\x1b[2J")
            repl.environment.stdout.flush()
