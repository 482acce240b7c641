"""One conformance suite, run by the real ``ick`` in a pty against every real kernel.

The kernels are the ones ``scripts/setup-dev`` installs; a missing one makes
its tests fail with the way to install it.  Each kernel gets one ick session
shared by the checks that leave it usable (a check that fails starts a fresh
session for the next one), in the order of the functions below: state first,
interrupts and restarts last.  What differs between kernels lives in
``conformance_kernels.py``.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.frontends.conformance_kernels import KERNELS, Interrupt, KernelCase, Outcome
from tests.support.terminal import (
    CONTINUATION,
    ICK,
    PROJECT_KERNELS,
    WAITING_PROMPT,
    Terminal,
    kill_terminal,
    make_env,
    spawn_terminal,
)

SHIFT_TAB = "\x1b[Z"
ESC_ENTER = "\x1b\r"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Kernelspec names as ``ick --list-kernels`` sees them in the tests' environment."""
    env = make_env(tmp_path_factory.mktemp("list"))
    listing = subprocess.run(
        [*ICK, "--list-kernels"], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return {line.split()[0] for line in listing.stdout.splitlines() if line.strip()}


def kernel_cwd(case: KernelCase) -> Path | None:
    return PROJECT_KERNELS.parent.parent / case.cwd if case.cwd else None


class KernelSession:
    """An ick REPL on one kernel, shared by the checks of one kernel."""

    def __init__(self, case: KernelCase, folder: Path) -> None:
        self.case = case
        self.env = make_env(folder)
        self.term = self._start()
        self.broken = False

    def _start(self) -> Terminal:
        # Suggestions from earlier inputs would mix with the kernel's completions under test.
        args = ["-k", self.case.name, "--no-autosuggest"]
        term = spawn_terminal(args, self.env, kernel_cwd(self.case))
        term.expect(self.case.banner, timeout=60)
        term.expect(WAITING_PROMPT)
        return term

    @contextlib.contextmanager
    def check(self) -> Iterator[Terminal]:
        """The terminal at a prompt; a failure leaves it to be replaced for the next check."""
        if self.broken:
            kill_terminal(self.term)
            self.term = self._start()
            self.broken = False
        try:
            yield self.term
        except BaseException:
            self.broken = True
            raise

    def run(self, code: str) -> None:
        """Type ``code`` and submit it as a complete input."""
        self.term.enter(code)

    def assign(self) -> None:
        """Define ``conformance_value``, for a check that may run in a fresh session."""
        self.run(self.case.assign)
        self.term.expect(WAITING_PROMPT)

    def run_and_expect(self, code: str, pattern: str) -> None:
        self.run(code)
        self.term.expect(pattern)
        self.term.expect(WAITING_PROMPT)

    def accept_restart(self) -> None:
        self.term.expect(r"Restart the kernel\? \[Y/n\]")
        self.term.enter("y")
        self.term.expect(r"Kernel restarted", timeout=60)
        self.term.expect(WAITING_PROMPT)

    def kill_kernel(self) -> None:
        for process in self.term.kernel_processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)

    def close(self) -> None:
        kill_terminal(self.term)


@pytest.fixture(scope="module", params=KERNELS, ids=[case.name for case in KERNELS])
def session(
    request: pytest.FixtureRequest, installed: set[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KernelSession]:
    case: KernelCase = request.param
    if case.name not in installed:
        pytest.fail(
            f"the {case.name} kernel is not installed: run scripts/setup-dev "
            f"(installed: {', '.join(sorted(installed)) or 'none'})"
        )
    kernel_session = KernelSession(case, tmp_path_factory.mktemp(case.name))
    yield kernel_session
    kernel_session.close()


def test_state_persists_and_the_value_of_an_expression_is_shown(session: KernelSession) -> None:
    # The value comes as execute_result, display_data (R) or stdout text (tslab, octave, bash).
    with session.check():
        session.assign()
        session.run_and_expect(session.case.value, r"\b4243\b")


def test_stdout_and_stderr_are_shown(session: KernelSession) -> None:
    with session.check():
        session.run_and_expect(session.case.stdout, r"\bout-ok\b")
        session.run_and_expect(session.case.stderr, r"\berr-ok\b")


def test_an_error_is_shown(session: KernelSession) -> None:
    code, shown = session.case.error
    with session.check():
        session.run_and_expect(code, shown)
        time.sleep(session.case.after_error)


# Only kernels that ask for input: the others (their reasons are in the table) never send an
# input_request, so there is nothing for ick to answer.
_WITH_STDIN = [case for case in KERNELS if case.stdin is not None]


@pytest.mark.parametrize(
    "session", _WITH_STDIN, ids=[case.name for case in _WITH_STDIN], indirect=True, scope="module"
)
def test_input_is_answered_at_the_prompt(session: KernelSession) -> None:
    assert session.case.stdin is not None
    code, prompt = session.case.stdin
    with session.check() as term:
        session.run(code)
        term.expect(rf"(?m)^{prompt}")
        term.enter("Ada")
        term.expect(r"hello Ada")
        term.expect(WAITING_PROMPT)


def test_is_complete_opens_continuation_lines(session: KernelSession) -> None:
    *opening, last = session.case.continuation
    with session.check() as term:
        for line in opening:
            term.enter(line)
            term.expect(CONTINUATION)
        term.enter(last)
        term.expect(r"107\n(?:.*\n)?.*114")
        term.expect(WAITING_PROMPT)


def test_esc_enter_submits_what_the_kernel_calls_incomplete(session: KernelSession) -> None:
    code, shown = session.case.force_submit
    with session.check() as term:
        term.enter(code)
        term.expect(CONTINUATION)
        term.send(ESC_ENTER)
        term.expect(shown)
        term.expect(WAITING_PROMPT)
        time.sleep(session.case.after_error)


def test_tab_completes_from_the_kernel(session: KernelSession) -> None:
    with session.check() as term:
        session.assign()
        term.send(session.case.completion)
        term.expect(session.case.completion.replace("$", r"\$"))
        mark = len(term.raw)
        # prompt_toolkit draws only what changed: the completion's missing "ue".  A kernel's
        # first completion can outlast ick's timeout on a loaded machine (jedi starting up):
        # then, as a user would, press Tab again.
        for _ in range(3):
            term.send("\t")
            deadline = time.monotonic() + 6
            while "ue" not in term.raw[mark:] and time.monotonic() < deadline:
                term._read(0.2)
            if "ue" in term.raw[mark:]:
                break
        assert "ue" in term.raw[mark:], f"no completion arrived: {term.raw[mark:]!r}"
        term.send("\r")
        term.expect(r"\b4242\b")
        term.expect(WAITING_PROMPT)


def test_shift_tab_shows_the_documentation(session: KernelSession) -> None:
    code, shown = session.case.inspect
    with session.check() as term:
        term.send(code)
        term.expect(code)
        term.send(SHIFT_TAB)
        term.expect(shown)
        # The prompt is back under it (long documentation was paged: the pager has Ctrl-C).
        term.expect(rf"In \[\d+\]: {code}")
        term.send("\x03")  # clears the line
        term.expect(WAITING_PROMPT)


def _interrupt(session: KernelSession, interrupt: Interrupt) -> None:
    term = session.term
    session.run(interrupt.code)
    term.expect(rf"{interrupt.started}\s*\n")  # printed by the code: the kernel is running it
    term.child.sendintr()
    if interrupt.outcome is Outcome.STOPS:
        if interrupt.shown:
            term.expect(interrupt.shown)
        term.expect(WAITING_PROMPT, timeout=30)
        time.sleep(session.case.after_error)  # an interrupted execution is an error too
        session.run_and_expect(session.case.value, r"\b4243\b")  # the state survived
    elif interrupt.outcome is Outcome.DIES:
        term.expect(r"kernel died")
        session.accept_restart()
    else:
        # ick says so when the kernel has not stopped, and a second Ctrl-C then gives up on it.
        term.expect(r"press Ctrl-C again to stop waiting for it")
        term.child.sendintr()
        term.expect(r"did not respond to the interrupt")
        session.accept_restart()


def test_ctrl_c_interrupts_or_ick_offers_a_restart(session: KernelSession) -> None:
    with session.check():
        session.assign()
        for interrupt in session.case.interrupts:
            _interrupt(session, interrupt)


def test_a_dead_kernel_is_restarted_and_works(session: KernelSession) -> None:
    with session.check() as term:
        session.kill_kernel()
        term.expect(r"kernel died", timeout=15)
        session.accept_restart()
        session.run_and_expect(session.case.stdout, r"\bout-ok\b")


_WITH_IMAGES = [case for case in KERNELS if case.image is not None]


@pytest.mark.parametrize("case", _WITH_IMAGES, ids=[case.name for case in _WITH_IMAGES])
def test_an_image_is_written_to_the_image_dir(
    case: KernelCase, installed: set[str], tmp_path: Path
) -> None:
    assert case.image is not None
    if case.name not in installed:
        pytest.fail(f"the {case.name} kernel is not installed: run scripts/setup-dev")
    images = tmp_path / "images"
    result = subprocess.run(
        [*ICK, "-k", case.name, "--image-dir", str(images), "-c", case.image],
        env=make_env(tmp_path),
        cwd=kernel_cwd(case),
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(images.glob("*.png"))
    assert written, f"no image written; stdout: {result.stdout!r} stderr: {result.stderr!r}"
    assert written[0].read_bytes().startswith(b"\x89PNG")
    # The notice naming it is ick's, on stderr; the kernel's placeholder text is not shown.
    assert f"saved to {written[0]}]" in result.stderr
    assert "saved to" not in result.stdout and "plot without title" not in result.stdout
