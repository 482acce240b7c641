"""ick's own verdict on an input when the kernel cannot tell whether it is complete.

The messaging spec leaves ``unknown`` to the front end's heuristics
(bash_kernel answers nothing else), and a kernel that does not answer in time
leaves the same gap.  The verdict here reads the input with the language's
Pygments lexer, so that brackets, quotes and keywords inside strings and
comments do not count:

* for every language: an unclosed ``(``, ``[`` or ``{``, a string or block
  comment still open at the end (a word appended after the input is lexed as
  part of it), a quote the lexer could not close, a trailing backslash;
* for shells: an open ``if``/``fi``, ``case``/``esac``, ``for``, ``while``,
  ``until`` or ``select`` … ``done``, a heredoc without its terminator, an
  open backquote, a line ending in ``|``, ``&&`` or ``||``;
* for MATLAB-like languages (Octave, MATLAB, Scilab): an open ``function``,
  ``for``, ``if``, ``while``, ``switch``, ``try``, ``do`` … ``end``, and a
  ``...`` continuation;
* for Python: a line ending in ``:`` or a decorator, which a blank line ends.

Anything else is complete: it runs on the first Enter, and the kernel
explains a mistake.  A language Pygments does not know gets ``unknown``, and
the blank-line rule decides.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pygments.lexer import Lexer as PygmentsLexerBase
from pygments.token import Comment, Error, Keyword, Name, Operator, Punctuation, String, _TokenType

Verdict = dict[str, Any]

COMPLETE: Verdict = {"status": "complete"}
UNKNOWN: Verdict = {"status": "unknown"}

#: Appended on a line of its own: a name to every lexer, unless a string or comment is open.
_PROBE_WORD = "ickprobeword"
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_QUOTES = frozenset(("'", '"', "`"))

_SHELLS = frozenset(("bash", "sh", "ksh", "zsh", "shell"))
#: Shell reserved words that open a compound command, and the word that closes it.
_SHELL_BLOCKS = {"if": "fi", "case": "esac", "for": "done", "while": "done", "until": "done"}
_SHELL_BLOCKS["select"] = "done"
#: Shell reserved words after which a command starts (``then echo``): a reserved word
#: elsewhere is an argument (``echo done``).
_SHELL_LEAD_INTO_A_COMMAND = frozenset(("then", "do", "else", "elif", "if", "while", "until"))
_SHELL_CONTINUED_BY = frozenset(("|", "&&", "||"))
_HEREDOC = re.compile(r"(?<!<)<<(-?)[ \t]*(['\"]?)([A-Za-z0-9_]+)\2")

_MATLAB_LIKE = frozenset(("octave", "matlab", "scilab"))
_MATLAB_OPENERS = frozenset(
    ("function", "for", "parfor", "while", "if", "switch", "try", "do", "unwind_protect")
) | frozenset(("spmd", "classdef"))
#: Blocks only a ``classdef`` has: elsewhere ``methods(obj)`` is a function call.
_MATLAB_CLASS_SECTIONS = frozenset(("methods", "properties", "events", "enumeration"))
_MATLAB_CLOSERS = frozenset(("end", "until", "end_try_catch", "end_unwind_protect")) | {
    f"end{word}"
    for word in (
        "function", "for", "parfor", "while", "if", "switch", "spmd", "classdef",
        "methods", "properties", "events", "enumeration",
    )
}  # fmt: skip

_PYTHONS = frozenset(("python", "python3", "py", "py3", "ipython", "ipython3"))


@dataclass(frozen=True)
class _Token:
    start: int
    kind: _TokenType
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_code(self) -> bool:
        """Not inside a string or a comment: brackets and keywords here count."""
        return self.kind not in String and self.kind not in Comment

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def fallback_verdict(lexer: PygmentsLexerBase | None) -> Callable[[str], Verdict]:
    """The verdict on inputs in the language ``lexer`` reads (``None``: a language
    Pygments does not know)."""
    aliases = {alias.lower() for alias in lexer.aliases} if lexer is not None else set()
    if lexer is None or "text" in aliases:  # plain text: no tokens to read
        return lambda text: UNKNOWN
    if aliases & _SHELLS:
        family = _shell
    elif aliases & _MATLAB_LIKE:
        family = _matlab_like
    elif aliases & _PYTHONS:
        family = _python
    else:
        family = _any_language

    def verdict(text: str) -> Verdict:
        if not text.strip():
            return COMPLETE
        try:
            tokens = _lex(lexer, text)
        except Exception:  # a lexer's bug must not take Enter with it
            return UNKNOWN
        if _inside_a_string(text, tokens):
            return _incomplete("")  # spaces would become part of the string
        return family(text, [token for token in tokens if token.start < len(text)])

    return verdict


def _lex(lexer: PygmentsLexerBase, text: str) -> list[_Token]:
    probed = f"{text}\n{_PROBE_WORD}\n"
    lexed = lexer.get_tokens_unprocessed(probed)
    return [_Token(start, kind, value) for start, kind, value in lexed]


def _inside_a_string(text: str, tokens: list[_Token]) -> bool:
    """Whether the input ends inside a string or a block comment.

    Either the word on the line after it is lexed as part of one, or the
    lexer found a quote it could not close (Pygments' bash lexer calls an
    unclosed ``'`` an error).
    """
    probe_at = len(text) + 1
    for token in tokens:
        if token.start <= probe_at < token.end and not token.is_code:
            return True
        if token.start < len(text) and token.kind in Error and token.text.strip() in _QUOTES:
            return True
    return False


def _incomplete(indent: str) -> Verdict:
    return {"status": "incomplete", "indent": indent}


def _indent_of_last_line(text: str) -> str:
    last = text.rsplit("\n", 1)[-1]
    return last[: len(last) - len(last.lstrip(" \t"))]


def _bracket_depth(tokens: Iterable[_Token], depth: int = 0) -> int:
    """How many brackets are open after ``tokens``; a closer with none open (a shell's
    case pattern ``a)``) is ignored."""
    for token in tokens:
        for char in token.text:
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING and depth:
                depth -= 1
    return depth


def _last_line_start(text: str) -> int:
    return text.rfind("\n") + 1


def _any_language(
    text: str,
    tokens: list[_Token],
    code: list[_Token] | None = None,
    blocks: tuple[int, int] = (0, 0),
    indent: str = "",
) -> Verdict:
    """The rules for every language, given its ``code`` tokens (default: all outside
    strings and comments), how many blocks its own rules found open before the last
    line and after it, and the indent a line inside a new block adds."""
    if code is None:
        code = [token for token in tokens if token.is_code]
    backslash = len(text) - 1
    if text.endswith("\\") and not any(
        token.start <= backslash < token.end and token.kind in Comment for token in tokens
    ):
        return _incomplete(_indent_of_last_line(text))
    last_line = _last_line_start(text)
    depth_before = _bracket_depth(token for token in code if token.start < last_line)
    depth = _bracket_depth((token for token in code if token.start >= last_line), depth_before)
    if not depth and not blocks[1]:
        return COMPLETE
    # The last line opened something: the next one goes one step in.
    deeper = depth > depth_before or blocks[1] > blocks[0]
    return _incomplete(_indent_of_last_line(text) + (indent if deeper else ""))


def _shell(text: str, tokens: list[_Token]) -> Verdict:
    code = [token for token in tokens if token.is_code]
    # Where a heredoc operator can be: code, and the first line of a heredoc Pygments
    # recognised (lexed as one string: ``cat <<A <<B`` has a second operator there).
    operators = code + [
        _Token(token.start, token.kind, token.text.split("\n", 1)[0])
        for token in tokens
        if token.kind in String and token.text.startswith("<<")
    ]
    bodies: list[tuple[int, int]] = []
    searched_from = 0  # a heredoc's body starts after the end of the one before
    for match in _HEREDOC.finditer(text):
        at = match.start()
        if any(start <= at < end for start, end in bodies):
            continue
        if not any(token.start <= at < token.end for token in operators):
            continue  # in a string or a comment
        if _bracket_depth(token for token in code if token.start < at):
            continue  # ``$((1 << 2))`` shifts
        body = text.find("\n", max(match.end(), searched_from))
        end = _heredoc_end(text, body + 1, match.group(3), match.group(1) == "-")
        if body < 0 or end is None:
            return _incomplete("")  # spaces would become part of the body
        bodies.append((body + 1, end))
        searched_from = end
    # Pygments lexes a heredoc it does not recognise as code: its words are no keywords.
    code = [token for token in code if not any(a <= token.start < b for a, b in bodies)]
    if sum(token.kind in String.Backtick and token.text == "`" for token in tokens) % 2:
        return _incomplete("")
    significant = [token for token in code if not token.is_blank]
    if significant and significant[-1].text in _SHELL_CONTINUED_BY:
        return _incomplete(_indent_of_last_line(text))
    return _any_language(text, tokens, code, _shell_blocks(code, _last_line_start(text)), "  ")


def _heredoc_end(text: str, start: int, word: str, strip_tabs: bool) -> int | None:
    """Where the line that ends the heredoc body begun at ``start`` ends; ``None`` if no
    line does yet."""
    position = start
    while 0 < position <= len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end]
        if (line.lstrip("\t") if strip_tabs else line) == word:
            return end
        position = end + 1
    return None


def _shell_blocks(code: list[_Token], last_line: int) -> tuple[int, int]:
    """How many blocks are open before the line starting at ``last_line``, and after it."""
    closers: list[str] = []  # of the blocks open, innermost last
    before_last_line = None
    command_starts = True
    for token in code:
        if before_last_line is None and token.start >= last_line:
            before_last_line = len(closers)
        if token.is_blank:
            command_starts = command_starts or "\n" in token.text
            continue
        word = token.text
        if token.kind in Keyword and command_starts:
            if word in _SHELL_BLOCKS:
                closers.append(_SHELL_BLOCKS[word])
            elif word in closers:
                # Closes the innermost block of its kind, and any left open inside it.
                del closers[len(closers) - 1 - closers[::-1].index(word) :]
        command_starts = (
            token.kind in Keyword and (word in _SHELL_LEAD_INTO_A_COMMAND or word.endswith("("))
        ) or (token.kind in (Operator, Punctuation) and word[-1] in ";&|(){")
    return (len(closers) if before_last_line is None else before_last_line), len(closers)


def _matlab_like(text: str, tokens: list[_Token]) -> Verdict:
    last_line = _last_line_start(text)
    last_code = "".join(
        token.text for token in tokens if token.start >= last_line and token.kind not in Comment
    )
    if last_code.rstrip().endswith("..."):
        return _incomplete(_indent_of_last_line(text))
    code = [token for token in tokens if token.is_code]
    blocks: list[str] = []
    before_last_line = None
    depth = 0
    for token in code:
        if before_last_line is None and token.start >= last_line:
            before_last_line = len(blocks)
        word = token.text
        # Inside brackets ``end`` is an index (``x(end)``): it closes nothing.
        if token.kind in Keyword and not depth:
            in_class = "classdef" in blocks
            if word in _MATLAB_OPENERS or (word in _MATLAB_CLASS_SECTIONS and in_class):
                blocks.append(word)
            elif word in _MATLAB_CLOSERS and blocks:
                blocks.pop()
        depth = _bracket_depth([token], depth)
    counts = (len(blocks) if before_last_line is None else before_last_line), len(blocks)
    return _any_language(text, tokens, code, counts, "  ")


def _python(text: str, tokens: list[_Token]) -> Verdict:
    """A compound statement's header or a decorator opens a block a blank line ends."""
    code = [token for token in tokens if token.is_code]
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    line_ends: dict[int, _Token] = {}
    for token in code:
        if not token.is_blank:
            line_ends[bisect.bisect(newlines, token.start)] = token
    headers = [
        line
        for line, token in line_ends.items()
        if (token.kind in Punctuation and token.text == ":") or token.kind in Name.Decorator
    ]
    last = len(newlines)
    counts = len([line for line in headers if line != last]), len(headers)
    return _any_language(text, tokens, code, counts, "    ")
