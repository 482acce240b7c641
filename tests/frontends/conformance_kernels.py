"""What each real kernel is expected to do in the conformance suite: the one table.

``test_conformance.py`` runs the same checks against every row; everything that
differs between kernels (the code in its language, what its answer looks like,
which features it lacks and why) is data here, never an ``if kernel ==`` there.

Patterns are regular expressions matched against the visible screen *after*
the code was echoed, so each expected text is built by the code (``"out" +
"-ok"`` prints ``out-ok``) and never appears in the code itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

# A 1×1 PNG, for kernels whose image call takes base64.
PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="  # noqa: E501

#: What ick prints when a kernel has no documentation for the name under the cursor.
NO_DOCUMENTATION = r"no documentation for"


class Outcome(Enum):
    """What Ctrl-C during a long execution leads to."""

    #: The kernel stops the execution and keeps its state.
    STOPS = "stops"
    #: The kernel dies (SIGINT kills it); ick reports the death and offers a restart.
    DIES = "dies"
    #: The kernel never answers; a second Ctrl-C gives up on it and ick offers a restart.
    IGNORED = "ignored"


@dataclass(frozen=True)
class Interrupt:
    code: str
    #: Printed by ``code`` before it blocks, so that Ctrl-C lands while it runs.
    started: str
    outcome: Outcome
    #: Shown after the interrupt (for STOPS); empty when the kernel shows nothing.
    shown: str = ""


@dataclass(frozen=True)
class KernelCase:
    name: str
    #: The banner's language part.
    banner: str
    #: Defines ``conformance_value`` as 4242.
    assign: str
    #: An expression of ``conformance_value`` whose value (4243) the kernel shows.
    value: str
    stdout: str
    stderr: str
    #: Code that fails, and what of the error is shown.
    error: tuple[str, str]
    #: Lines typed one Enter each: every line but the last opens a continuation line, the last
    #: runs the whole input, which prints 107 and 114.
    continuation: tuple[str, ...]
    #: A line the kernel (or, where it cannot tell, ick) calls incomplete, rightly or wrongly;
    #: Esc-Enter runs it anyway and the pattern shows the kernel's verdict on it.
    force_submit: tuple[str, str]
    #: Typed before Tab; Tab completes it to text whose value shows 4242 when run.
    completion: str
    #: Typed before Shift-Tab, and what of the documentation is shown.
    inspect: tuple[str, str]
    interrupts: tuple[Interrupt, ...]
    #: Computes for 20 seconds without a word, then prints ``computed``.
    computation: str
    #: Code answered with ``input()``-like stdin: (code, its prompt); it prints ``hello Ada``.
    #: ``None`` with the reason when the kernel has no stdin.
    stdin: tuple[str, str] | None = None
    no_stdin_reason: str = ""
    #: Script-mode code that makes a PNG (written into --image-dir), or ``None`` with a reason.
    image: str | None = None
    no_image_reason: str = ""
    #: Seconds to wait after an error before the next execution: tslab aborts every request
    #: arriving within 200 ms of an error, whatever the client asks.
    after_error: float = 0.0
    #: Whether the kernel answers heartbeat pings while it computes (IRkernel and tslab
    #: answer only between executions).
    heartbeat_while_busy: bool = True
    #: Where the kernel must start, under the project's .kernels folder: tslab finds the
    #: TypeScript types of Node (``console``...) and its own module only from its cwd.
    cwd: str | None = None


_PY_SLEEP = 'print("sleep" + "ing", flush=True); import time; time.sleep(60)'
_PY_IMAGE = (
    "import base64\nfrom IPython.display import Image, display\n"
    f"display(Image(base64.b64decode('{PNG_BASE64}')))"
)
# A synchronous loop: the kernel's own thread is as busy as it can be.
_JS_COMPUTE = (
    "{ const until = Date.now() + 20000; while (Date.now() < until) {} } "
    'console.log("comp" + "uted")'
)
# What Deno, tslab, jslab and ijavascript run alike.
_JAVASCRIPT = {
    "value": "conformance_value + 1",
    "stdout": 'console.log("out" + "-ok")',
    "stderr": 'console.error("err" + "-ok")',
    "error": ('throw new Error("bo" + "om")', r"boom"),
    "continuation": ("for (let i = 1; i < 3; i++) {", "console.log(i * 7 + 100)", "}"),
    "completion": "conformance_val",
    "computation": _JS_COMPUTE,
}
_JS_SPIN = 'console.log("spin" + "ning"); while (true) {}'
_JS_PNG_BYTES = f'Uint8Array.from(atob("{PNG_BASE64}"), (c) => c.charCodeAt(0))'


# tslab, in its TypeScript and JavaScript modes.
_TSLAB = KernelCase(
    name="tslab",
    banner=r"(?i)typescript",
    assign="let conformance_value = 4242",
    # The value is printed on stdout (no execute_result); the error goes to stderr.
    **_JAVASCRIPT,
    no_stdin_reason="tslab sends no input_request",
    force_submit=("console.log(1 +", r"(?i)expected|error"),
    inspect=("conformance_value", r"number"),
    image=f'import * as tslab from "tslab"; tslab.display.png({_JS_PNG_BYTES})',
    # tslab stops a busy loop on SIGINT, saying so on stderr.
    interrupts=(Interrupt(_JS_SPIN, "spinning", Outcome.STOPS, r"interrupted by .?SIGINT"),),
    after_error=0.4,
    heartbeat_while_busy=False,
    cwd="npm",
)

_IPYKERNEL = KernelCase(
    name="python3",
    banner=r"Python 3",
    assign="conformance_value = 4242",
    value="conformance_value + 1",
    stdout='print("out" + "-ok")',
    stderr='import sys; print("err" + "-ok", file=sys.stderr)',
    error=("1 / 0", r"ZeroDivisionError"),
    stdin=('print("hello " + input("your name: "))', "your name:"),
    continuation=("for i in range(1, 3):", "print(i * 7 + 100)", ""),
    force_submit=("print(1 +", r"SyntaxError"),
    completion="conformance_val",
    inspect=("len", r"Return the number of items"),
    image=_PY_IMAGE,
    computation='import time; time.sleep(20); print("comp" + "uted")',
    interrupts=(
        Interrupt(
            _PY_SLEEP,
            "sleeping",
            Outcome.STOPS,
            r"KeyboardInterrupt",
        ),
    ),
)

KERNELS: tuple[KernelCase, ...] = (
    _IPYKERNEL,
    replace(
        _IPYKERNEL,
        name="xpython",
        # xeus names the error "<class 'ZeroDivisionError'>", which still says ZeroDivisionError.
        force_submit=("print(1 +", r"SyntaxError|unexpected EOF|was never closed"),
        # SIGINT kills xeus-python, and interrupt_request does not stop it either.
        interrupts=(Interrupt(_PY_SLEEP, "sleeping", Outcome.DIES),),
    ),
    KernelCase(
        name="ir",
        banner=r"R 4\.",
        assign="conformance_value <- 4242",
        value="conformance_value + 1",
        stdout='cat(paste0("out", "-ok"), "\\n")',
        stderr='message(paste0("err", "-ok"))',
        # IRkernel's ename is "ERROR"; the message is in evalue and the plain traceback.
        error=('stop(paste0("bo", "om"))', r"boom"),
        stdin=('cat(paste("hello", readline("your name: ")), "\\n")', "your name:"),
        continuation=("for (i in 1:2) {", "print(i * 7 + 100)", "}"),
        force_submit=("print(1 +", r"unexpected end of input"),
        completion="conformance_val",
        # R's help comes with backspace overstrike, which ick cleans up.
        inspect=("sum", r"Sum of Vector Elements"),
        image="plot(1:10)",
        computation='Sys.sleep(20); cat(paste0("comp", "uted"), "\\n")',
        heartbeat_while_busy=False,
        # IRkernel answers an interrupted request with status "abort".
        interrupts=(
            Interrupt(
                'cat(paste0("sleep", "ing"), "\\n"); Sys.sleep(60)',
                "sleeping",
                Outcome.STOPS,
                r"aborted",
            ),
        ),
    ),
    KernelCase(
        name="deno",
        banner=r"(?i)typescript",
        assign="var conformance_value = 4242",
        **_JAVASCRIPT,
        stdin=('console.log("hello " + prompt("your name:"))', "your name:"),
        force_submit=("console.log(1 +", r"(?i)error"),
        inspect=("conformance_value", NO_DOCUMENTATION),  # Deno answers found: false
        image=f'await Deno.jupyter.display({{"image/png": "{PNG_BASE64}"}}, {{raw: true}})',
        interrupts=(
            # With interrupt_mode "message" a synchronous loop stops (an error reply, no
            # error message); a pending await cannot be interrupted at all.
            Interrupt(_JS_SPIN, "spinning", Outcome.STOPS, r"Execution failed|Interrupted|rror"),
            Interrupt(
                'console.log("wait" + "ing"); await new Promise(() => {})',
                "waiting",
                Outcome.IGNORED,
            ),
        ),
    ),
    _TSLAB,
    replace(
        _TSLAB,
        name="jslab",
        banner=r"(?i)javascript",
        image=f'require("tslab").display.png({_JS_PNG_BYTES})',
    ),
    KernelCase(
        name="javascript",
        banner=r"(?i)javascript",
        assign="var conformance_value = 4242",
        **_JAVASCRIPT,
        no_stdin_reason="ijavascript sends no input_request",
        # ijavascript calls invalid code "incomplete": only Esc-Enter gets it to the kernel.
        force_submit=("1 +* 2", r"SyntaxError"),
        inspect=("conformance_value", r"4242|number"),
        image=f'$$.png("{PNG_BASE64}")',
        # SIGINT leaves it alive but the busy request is never answered.
        interrupts=(Interrupt(_JS_SPIN, "spinning", Outcome.IGNORED),),
    ),
    KernelCase(
        name="bash",
        banner=r"(?i)bash",
        assign="conformance_value=4242",
        value="echo $((conformance_value + 1))",
        stdout='echo "out""-ok"',
        stderr='echo "err""-ok" >&2',  # merged into stdout by the kernel's pty
        # bash_kernel's error is ename "", evalue = the exit status, no traceback.
        error=("ls /nonexistent-conformance-dir", r"No such file or directory"),
        no_stdin_reason="bash_kernel sends no input_request (read blocks the kernel)",
        # bash_kernel answers "unknown" to every is_complete: ick's own reading decides.
        continuation=("for i in 1 2; do", "echo $((i * 7 + 100))", "done"),
        # An argument ``{`` is a brace ick's reading leaves open; bash prints it.
        force_submit=('echo "forced""-ok" {', r"forced-ok \{"),
        completion="echo $conformance_val",
        inspect=("echo", NO_DOCUMENTATION),  # found: false
        image=f"echo {PNG_BASE64} | base64 -d | display",
        interrupts=(
            Interrupt('echo "sleep""ing"; sleep 60', "sleeping", Outcome.STOPS, r"aborted"),
        ),
        computation='sleep 20; echo "comp""uted"',
    ),
    KernelCase(
        name="octave",
        banner=r"(?i)octave",
        assign="conformance_value = 4242;",
        value="conformance_value + 1",  # "ans = 4243" on stdout, with \r\n
        stdout='disp(["out" "-ok"])',
        stderr='fprintf(2, "%s\\n", ["err" "-ok"])',
        # Octave's errors come as stdout text with an "ok" reply.
        error=('error(["bo" "om"])', r"error: boom"),
        stdin=('printf("hello %s\\n", input("your name: ", "s"))', "your name:"),
        continuation=("for i = 1:2", "disp(i * 7 + 100)", "end"),
        force_submit=("if true", r"input was incomplete"),  # metakernel says so
        completion="conformance_val",
        inspect=("disp", r"Display the value"),
        no_image_reason="Octave has no graphics toolkit here (gnuplot would be needed)",
        interrupts=(Interrupt('disp(["sleep" "ing"]); pause(60)', "sleeping", Outcome.STOPS),),
        computation='pause(20); disp(["comp" "uted"])',
    ),
)
