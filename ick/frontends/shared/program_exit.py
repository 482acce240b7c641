"""A program that ends itself (``sys.exit(3)``, ``exit()``, R's ``q()``): where a script stops,
and with which status, as ``python`` would give it.

The Jupyter protocol has no message for it; what kernels do:

- IPython's shell (ipykernel, xeus-python) catches ``SystemExit`` and reports it
  as an error whose ``ename`` is ``"SystemExit"`` (xeus-python:
  ``"<class 'SystemExit'>"``) and ``evalue`` the exception's ``str()``: ``""``
  for none, ``"3"``, or the message of ``sys.exit("bye")``.
  That is the general mechanism, read here; it prints IPython's "To exit: use
  'exit'..." warning too.  Its own ``exit()`` / ``quit()`` raise nothing: they
  send the ``ask_exit`` payload, and the rest of the cell runs on.
- IRkernel's ``quit()`` / ``q()`` send ``ask_exit`` too, and ignore ``status=``.
- Deno's ``Deno.exit(n)`` ends the kernel's process (a dead kernel, status 3);
  bash_kernel's ``exit`` restarts its bash and carries on.

So that a script on IPython's shell ends as under ``python`` (no warning,
``exit(2)`` stops there with status 2), the script runner first sends
:data:`PYTHON_EXIT_AS_PYTHON_DOES` to a Python kernel it started; on other
Python kernels the code does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ick.messages import Message, content, msg_type

#: ``ename`` as ipykernel gives it, and as xeus-python does (the class's ``str()``).
EXIT_EXCEPTION_NAMES = frozenset({"SystemExit", "<class 'SystemExit'>"})

PYTHON_EXIT_AS_PYTHON_DOES = """\
def _ick_exit_as_python_does():
    try:
        shell = get_ipython()
    except NameError:
        return
    import warnings
    warnings.filterwarnings("ignore", "To exit: use 'exit', 'quit', or Ctrl-D.")

    class Quitter:
        def __init__(self, name):
            self.name = name

        def __repr__(self):
            return f"Use {self.name}() or Ctrl-D (i.e. EOF) to exit"

        def __call__(self, code=None):
            raise SystemExit(code)

    for name in ("exit", "quit"):
        shell.user_ns[name] = shell.user_ns_hidden[name] = Quitter(name)


_ick_exit_as_python_does()
del _ick_exit_as_python_does
"""
"""Run silently before a script: ``exit()`` / ``quit()`` raise ``SystemExit`` as in Python,
and IPython's warning about ``SystemExit`` (meant for an interactive user) is not printed."""


@dataclass(frozen=True, kw_only=True)
class ProgramExit:
    status: int
    message: str | None = None
    """What Python prints to stderr on the way out (``sys.exit("bye")``)."""


def is_exit_error(msg: Message) -> bool:
    """An ``error`` output that is the program ending itself, not a failure to show."""
    return msg_type(msg) == "error" and content(msg).get("ename") in EXIT_EXCEPTION_NAMES


def exit_of(value: str) -> ProgramExit:
    """Python's exit status for a ``SystemExit`` whose ``str()`` is ``value``."""
    text = value.strip()
    if text in ("", "None"):
        return ProgramExit(status=0)
    try:
        return ProgramExit(status=int(text) & 0xFF)  # the status the system keeps
    except ValueError:
        return ProgramExit(status=1, message=value)


def program_exit(reply: dict[str, Any], *, exit_requested: bool) -> ProgramExit | None:
    """How the program ended in this execution, if it did: ``SystemExit`` or ``ask_exit``."""
    if reply.get("status") == "error" and reply.get("ename") in EXIT_EXCEPTION_NAMES:
        return exit_of(str(reply.get("evalue") or ""))
    if exit_requested:
        return ProgramExit(status=0)
    return None
