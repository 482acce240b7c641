"""Deciding "this input is complete" locally when no kernel could disagree.

Enter normally asks the kernel (``is_complete_request``): only the kernel
knows its language.  That round trip is a third of a tiny execution's
latency, so for one case the answer is given here instead: a single line of
Python 3 that parses as a whole module is complete in every Python kernel.
The shortcut only ever says *complete*; anything it is unsure about (more
than one line, a parse error, IPython syntax such as ``%magic``, ``!cmd`` or
``x?``, another language, Python 2) still goes to the kernel, which stays
authoritative for continuations and indentation.

Where the kernel cannot tell (``unknown``, or no answer in time), ick's own
reading of the input decides instead (``completeness_fallback.py``).
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

from prompt_toolkit.application import get_app_or_none
from prompt_toolkit.lexers import PygmentsLexer

from ick.frontends.repl.completeness_fallback import fallback_verdict
from ick.frontends.repl.enter import LocalVerdict
from ick.frontends.repl.prompt import builtin_lexer_for

COMPLETE: dict[str, Any] = {"status": "complete"}


def is_python3(language_info: dict[str, Any]) -> bool:
    name = str(language_info.get("name") or "").lower()
    version = str(language_info.get("version") or "")
    return name == "python" and version.startswith("3")


def obviously_complete_python(text: str) -> bool:
    """Whether ``text`` is one line of Python that parses on its own as complete statements."""
    if "\n" in text or "\r" in text or text.rstrip().endswith("\\"):
        return False
    try:
        with warnings.catch_warnings():
            # IPython calls a line that warns (``x is 1``) invalid: leave those to the kernel,
            # and never print the warning ourselves.
            warnings.simplefilter("error")
            module = ast.parse(text)
            compile(module, "<input>", "exec", dont_inherit=True)
    except (SyntaxError, Warning, ValueError, OverflowError, MemoryError, RecursionError):
        return False
    # A comment alone is no statement: let the kernel say what it makes of it.
    return bool(module.body)


def local_verdict(language_info: dict[str, Any]) -> LocalVerdict:
    """The verdicts ick can give itself for this kernel's language: the shortcut above,
    and a reading of the input's tokens for when the kernel cannot tell."""
    highlighter = builtin_lexer_for(language_info)
    lexer = highlighter.pygments_lexer if isinstance(highlighter, PygmentsLexer) else None
    fallback = fallback_verdict(lexer)
    if not is_python3(language_info):
        return LocalVerdict(when_kernel_cannot_tell=fallback)

    def verdict(text: str) -> dict[str, Any] | None:
        if obviously_complete_python(text) and not _completion_in_flight():
            return COMPLETE
        return None

    return LocalVerdict(instead_of_asking=verdict, when_kernel_cannot_tell=fallback)


def _completion_in_flight() -> bool:
    """Whether a Tab completion is still loading into the prompt's buffer.

    Its text lands when the kernel's ``complete_reply`` does: answering Enter
    at once would submit the text without it.  The kernel's round trip gives
    it time to land, and the Enter handler re-asks when the text changed.
    """
    app = get_app_or_none()
    return app is not None and app.current_buffer.complete_state is not None
