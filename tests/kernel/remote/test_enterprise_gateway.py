"""ick on kernels of a real Jupyter Enterprise Gateway on 127.0.0.1 (from its own venv)."""

from __future__ import annotations

from tests.support.servers import Server, interrupt_a_sleep
from tests.support.terminal import PROMPT, run_ick


def test_kernel_env_reaches_the_gateway_and_the_kernel(enterprise: Server):
    base = ("--server", enterprise.url, "--token", enterprise.token)
    before = enterprise.kernel_ids()
    result = run_ick(
        *base, "--kernel-env", "KERNEL_USERNAME=ick",
        "-c", "import os; print(os.environ['KERNEL_USERNAME'], input('who? '))",
        stdin="answered\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ick answered" in result.stdout
    assert enterprise.kernel_ids() == before


def test_a_refused_user_is_one_line(enterprise: Server):
    # Enterprise Gateway refuses kernels to root by default, and says so.
    result = run_ick(
        "--server", enterprise.url, "--token", enterprise.token,
        "--kernel-env", "KERNEL_USERNAME=root", "-c", "1",
    )  # fmt: skip
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "KERNEL_USERNAME" in lines[0], result.stderr


def test_repl_interrupt(spawn_ick, enterprise: Server):
    term = spawn_ick(
        "--server", enterprise.url, "--token", enterprise.token,
        "--kernel-env", "KERNEL_USERNAME=ick",
    )  # fmt: skip
    term.expect(PROMPT.format(1))
    interrupt_a_sleep(term, prompt_after=2)
    term.send("\x04")
    assert term.wait_exit() == 0
