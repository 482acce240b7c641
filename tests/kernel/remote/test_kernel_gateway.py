"""ick on kernels of a real Jupyter Kernel Gateway on 127.0.0.1: same API, its own quirks."""

from __future__ import annotations

from tests.support.servers import Server, interrupt_a_sleep
from tests.support.terminal import PROMPT, run_ick


def test_a_script_with_stdin_and_exit_statuses(gateway: Server):
    base = ("--server", gateway.url, "--token", gateway.token)
    before = gateway.kernel_ids()
    result = run_ick(*base, "-c", "print('gateway says', input('who? '))", stdin="hello\n")
    assert result.returncode == 0, result.stderr
    assert "gateway says hello" in result.stdout
    failed = run_ick(*base, "-c", "raise ValueError('on the gateway')")
    assert failed.returncode == 1
    assert "ValueError: on the gateway" in failed.stderr
    assert gateway.kernel_ids() == before  # both kernels were created by ick, so deleted


def test_repl_stdin_and_interrupt(spawn_ick, gateway: Server):
    term = spawn_ick("--server", gateway.url, "--token", gateway.token)
    term.expect(PROMPT.format(1))
    term.enter("answer = input('your answer: ')")
    term.expect(r"(?m)^your answer:")
    term.enter("forty-two")
    term.expect(PROMPT.format(2))
    interrupt_a_sleep(term, prompt_after=3)
    term.enter("answer")
    term.expect(r"Out\[3\]: 'forty-two'")
    term.expect(PROMPT.format(4))
    term.send("\x04")
    assert term.wait_exit() == 0


def test_a_wrong_token_is_one_line(gateway: Server):
    result = run_ick("--server", gateway.url, "--token", "wrong", "-c", "1")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the token (HTTP 401)" in lines[0], result.stderr


def test_list_kernels_and_attach(gateway: Server):
    kernel_id = gateway.start_kernel()
    try:
        base = ("--server", gateway.url, "--token", gateway.token)
        listing = run_ick(*base, "--list-kernels")
        assert listing.returncode == 0, listing.stderr
        assert kernel_id in listing.stdout
        attached = run_ick(*base, "--attach", kernel_id, "-c", "print('attached')")
        assert (attached.stdout, attached.returncode) == ("attached\n", 0), attached.stderr
        assert kernel_id in gateway.kernel_ids()
    finally:
        gateway.call("DELETE", f"kernels/{kernel_id}")
