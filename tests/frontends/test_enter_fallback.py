"""Enter where the kernel cannot tell: ick reads the input with the language's lexer.

bash_kernel answers ``unknown`` to every is_complete_request, and a kernel may
not answer in time; then ick's own reading decides (completeness_fallback.py).
The real bash_kernel and a scripted kernel that never answers is_complete, in a
pty; the reading itself in-process, beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pygments.lexers import get_lexer_by_name

from ick.frontends.repl.completeness import local_verdict
from ick.frontends.repl.completeness_fallback import fallback_verdict
from ick.frontends.repl.enter import EnterDecision, decide

from ..support.scripted_kernel import DEFAULT_KERNEL_INFO, ScriptedKernel

PROMPT = r"In \[{}\]: "
CONTINUATION = r"\.\.\.:\s*\Z"
WAITING = r"In \[{}\]:\s*\Z"


def test_bash_runs_a_complete_line_on_one_enter_and_a_block_as_one_input(spawn_ick):
    term = spawn_ick("-k", "bash")
    term.expect(WAITING.format(1), timeout=60)
    term.enter('echo "hel""lo"')
    term.expect(r"\nhello\n")
    term.expect(WAITING.format(2))

    for lines, shown in [
        (["for i in 1 2; do", 'echo "loop-$i"', "done"], r"loop-1\nloop-2\n"),
        (["if true; then", 'echo "then-""branch"', "fi"], r"\nthen-branch\n"),
        (["cat <<END", "heredoc  line", "if and for stay text", "END"], r"\nheredoc  line\nif"),
    ]:
        *opening, last = lines
        for line in opening:
            term.enter(line)
            term.expect(CONTINUATION)
        term.enter(last)
        term.expect(shown)
    # Three blocks, three inputs: the prompt counts each once.
    term.expect(WAITING.format(5))

    # A paste arrives as one input, whatever its lines would do typed one by one.
    term.send('\x1b[200~echo "one"\necho "two"\x1b[201~')
    term.send("\r")
    term.expect(r"\none\ntwo\n")
    term.expect(WAITING.format(6))


@pytest.fixture
def silent_octave(tmp_path: Path) -> Iterator[ScriptedKernel]:
    """A kernel of an Octave-like language that never answers is_complete."""
    info: dict[str, Any] = {
        **DEFAULT_KERNEL_INFO,
        "language_info": {"name": "octave", "file_extension": ".m"},
    }
    kernel = ScriptedKernel(
        tmp_path / "kernel-silent.json", silent_to={"is_complete_request"}, kernel_info=info
    )
    with kernel:
        yield kernel
    assert not kernel.errors


def executed(kernel: ScriptedKernel) -> list[str]:
    return [body["code"] for body in kernel.requests_of("execute_request") if not body["silent"]]


def test_a_kernel_that_never_answers_gets_ick_s_reading_of_its_language(spawn_ick, silent_octave):
    term = spawn_ick("--existing", str(silent_octave.connection_file))
    term.expect(WAITING.format(r"\d+"), timeout=30)
    # Each Enter waits for the kernel in vain, then ick decides.
    term.enter("x = 1")
    term.expect(WAITING.format(r"\d+"))
    for line in ["for i = 1:2", "y(end + 1) = i;"]:
        term.enter(line)
        term.expect(CONTINUATION)
    term.enter("end")
    term.expect(WAITING.format(r"\d+"))
    assert executed(silent_octave) == ["x = 1", "for i = 1:2\n  y(end + 1) = i;\n  end"]
    assert len(silent_octave.requests_of("is_complete_request")) == 4


# -- ick's reading, in-process --------------------------------------------------------------


def reader(language: str) -> Callable[[str], str]:
    verdict = fallback_verdict(get_lexer_by_name(language))
    return lambda text: verdict(text)["status"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("echo hello", "complete"),
        ("echo done if then", "complete"),  # reserved words as arguments
        ("for i in 1 2; do", "incomplete"),
        ("for i in 1 2\ndo\n  echo $i\ndone", "complete"),
        ("while true", "incomplete"),
        ("if true; then echo a; fi", "complete"),
        ("if true; then\n  for i in 1; do\n    echo\n  done", "incomplete"),
        ("case $x in\n  a) echo a;;", "incomplete"),
        ("case $x in\n  a) echo a;;\nesac", "complete"),
        ("f() {", "incomplete"),
        ("{ echo a; }", "complete"),
        ("x=$(ls", "incomplete"),
        ("echo $((1 << 2))", "complete"),
        ("cat <<EOF\nbody", "incomplete"),
        ("cat <<EOF\nbody\nEOF", "complete"),
        ("cat <<-'EOF'\n\tbody\n\tEOF", "complete"),
        ("cat <<A <<B\na\nA\nb", "incomplete"),
        ("cat <<<word", "complete"),
        ("cat <<EOF\nfor x\nEOF", "complete"),  # a heredoc's words are text
        ("echo 'it", "incomplete"),
        ('echo "open', "incomplete"),
        ("x=`ls", "incomplete"),
        ("echo a \\", "incomplete"),
        ("# a comment \\", "complete"),
        ("echo a |", "incomplete"),
        ("true &&", "incomplete"),
    ],
)
def test_the_shell_reading(text, status):
    assert reader("bash")(text) == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("x = 1", "complete"),
        ("for i = 1:2", "incomplete"),
        ("for i = 1:2\n  disp(i)\nend", "complete"),
        ("function y = f(x)", "incomplete"),
        ("function y = f(x)\n  y = x;\nend", "complete"),
        ("if x, y, end", "complete"),
        ("x(end) = 1", "complete"),  # an index, not a block's end
        ("do\n  x++\nuntil x > 3", "complete"),
        ("try\n  x\ncatch\n  y\nend", "complete"),
        ("methods(obj)", "complete"),
        ("classdef A\n  properties\n    x\n  end", "incomplete"),
        ("disp('end')", "complete"),
        ("x = [1 2", "incomplete"),
        ("x = 1 + ...", "incomplete"),
        ("x = 1 + ... % the rest", "incomplete"),
        ("%{\na block comment", "incomplete"),
        ("s = 'unclosed", "complete"),  # an error Octave explains
    ],
)
def test_the_matlab_like_reading(text, status):
    assert reader("octave")(text) == status
    assert reader("matlab")(text) == status


def test_octave_s_own_block_ends():
    octave = reader("octave")
    assert octave("function y = f(x)\n  y = x;\nendfunction") == "complete"
    assert octave("try\n  x\ncatch\n  y\nend_try_catch") == "complete"
    assert octave("unwind_protect\n  x\nunwind_protect_cleanup") == "incomplete"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("x = 1", "complete"),
        ("for i in x:", "incomplete"),
        ("for i in x:\n    print(i)", "incomplete"),  # a blank line ends it
        ("@decorator", "incomplete"),
        ("x = (1,", "incomplete"),
        ("'''open", "incomplete"),
        ("x = 1 \\", "incomplete"),
        ("# comment \\", "complete"),
    ],
)
def test_the_python_reading_for_a_kernel_that_does_not_answer_in_time(text, status):
    assert reader("python3")(text) == status


def test_other_languages_get_brackets_and_strings_and_unknown_languages_nothing():
    r = reader("r")
    assert r("f <- function(x) {") == "incomplete"
    assert r("f <- function(x) {\n  x\n}") == "complete"
    assert r("print('(')") == "complete"
    assert fallback_verdict(None)("x = (") == {"status": "unknown"}
    assert fallback_verdict(get_lexer_by_name("text"))("x = (") == {"status": "unknown"}


def test_the_indent_goes_one_step_in_only_after_a_line_that_opens():
    verdict = fallback_verdict(get_lexer_by_name("bash"))
    assert verdict("for i in 1 2; do") == {"status": "incomplete", "indent": "  "}
    assert verdict("for i in 1 2; do\n  echo") == {"status": "incomplete", "indent": "  "}
    # Spaces would become part of a heredoc's body.
    assert verdict("cat <<EOF") == {"status": "incomplete", "indent": ""}


def test_enter_takes_ick_s_reading_only_where_the_kernel_cannot_tell():
    language = {"name": "bash", "codemirror_mode": "shell", "file_extension": ".sh"}
    fallback = local_verdict(language).when_kernel_cannot_tell
    assert decide("echo hi", {"status": "unknown"}, fallback) == EnterDecision(submit=True)
    assert decide("echo hi", None, fallback) == EnterDecision(submit=True)
    assert decide("if true; then", None, fallback) == EnterDecision(False, "  ")
    assert decide("if true; then\n", {"status": "unknown"}, fallback) == EnterDecision(True)
    # The kernel's own verdict stands, right or wrong.
    assert decide("echo hi", {"status": "incomplete"}, fallback) == EnterDecision(False)
    # A language Pygments does not know: the blank-line rule, as before.
    unknown = local_verdict({"name": "no-such-language"}).when_kernel_cannot_tell
    assert decide("x", {"status": "unknown"}, unknown) == EnterDecision(False)
