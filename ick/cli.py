"""Command-line parsing and dispatch: nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ick import __version__
from ick.errors import ExitStatus, IckError
from ick.render.capabilities import IMAGES_CHOICES, ImagesChoice
from ick.render.mime_order import DEFAULT_MIME_ORDER, parse_mime_order

Number = TypeVar("Number", int, float)

DESCRIPTION = """\
A terminal front end for Jupyter kernels: a REPL on any installed kernel, and a
script runner with clean stdout and honest exit codes.

  ick                       REPL on the python3 kernel
  ick -k ir                 REPL on another kernelspec
  ick job.py more.py        run files (the kernel is chosen by extension)
  ick -c 'print(1)'         run a string
  cat job.py | ick          run what stdin carries
  ick --existing            attach to the newest running local kernel
  ick --server URL          REPL on a new kernel of a Jupyter server or gateway
                            (token from --token, the URL's ?token= or JUPYTER_TOKEN)"""

EPILOG = """\
scripts:
  With FILE, -c or a non-terminal stdin, ick prints only the program's output
  (stdout) and errors (stderr): no banner, no prompts. Code is run as one cell,
  or one cell per '%%' marker written with the language's comment prefix
  ('# %%' in Python, R and bash; '// %%' in JavaScript). input() answers come
  from stdin, or from the terminal when stdin carried the script.

exit status:
  0    everything ran (REPL: ended with Ctrl-D)
  1    the code raised an error (scripts: the first failing cell stops the run)
  2    usage error (bad option, unknown kernel, unreadable file)
  3    the kernel could not be started, or died
  124  an execution ran longer than --timeout and was interrupted
  130  interrupted by Ctrl-C
  141  the output pipe was closed (e.g. `ick job.py | head -1`)

keys at the prompt:
  Enter        run the input when the kernel says it is complete
  Esc Enter    run the input now (Alt-Enter in most terminals)
  Ctrl-C       clear the input; during an execution, interrupt the kernel
               (a second Ctrl-C a second later gives up on a kernel that ignores it)
  Ctrl-D       exit (on an empty line); the kernel ick started is shut down
  Tab          complete, asking the kernel (typing never waits for it)
  Shift-Tab    show the kernel's documentation for the name before the cursor
  Up / Down    history, by prefix;  Ctrl-R searches it
  Right, End   accept the grey suggestion from history (also Ctrl-F, Ctrl-E)
  F2, C-x C-e  edit the input in $VISUAL / $EDITOR; what you save is run
  F1           help for keys and commands (also the command )help)
  Ctrl-Z       suspend ick (fg resumes it)

commands (typed alone on a line, never sent to the kernel):
{commands}

configuration:
  {config}
  Every long option can be set there, without its dashes: kernel = "ir",
  startup-timeout = 30, editing-mode = "vi", autosuggest = false (not those of
  one run: -c, --existing, --watch, --save, --list-kernels).  Each is also
  read from ICK_<OPTION> (ICK_KERNEL, ICK_EDITING_MODE, ...).  The command line
  beats the environment, which beats the file.  NO_COLOR turns colour off unless
  --color (or color in the file) says otherwise.
"""


def build_parser() -> argparse.ArgumentParser:
    from ick.config import config_path
    from ick.frontends.repl.commands import commands_help

    parser = argparse.ArgumentParser(
        prog="ick",
        description=DESCRIPTION,
        epilog=EPILOG.format(commands=commands_help(indent=2), config=config_path()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="script files to run, in order")
    parser.add_argument("-c", dest="code", metavar="CODE", help="run CODE and exit")
    parser.add_argument(
        "-k",
        "--kernel",
        metavar="NAME",
        help="kernelspec to start (default: python3, or by the files' extension)",
    )
    parser.add_argument(
        "--existing",
        nargs="?",
        const="",
        metavar="CONNECTION_FILE",
        help="attach to a running kernel (default: the newest one in the Jupyter runtime dir; "
        "a bare name is looked up there); ick leaves it running on exit",
    )
    parser.add_argument(
        "--ssh",
        metavar="HOST",
        help="with --existing: reach the kernel's ports through SSH tunnels to [user@]HOST[:port]",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="use a kernel of the Jupyter Server, Kernel Gateway or Enterprise Gateway at URL "
        "(a new one, deleted on exit, unless --attach names a running one)",
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help="with --server: the server's token (default: the URL's ?token=, else $JUPYTER_TOKEN)",
    )
    parser.add_argument(
        "--attach",
        metavar="KERNEL_ID",
        help="with --server: attach to this running kernel (ick leaves it running on exit)",
    )
    parser.add_argument(
        "--kernel-env",
        metavar="K=V",
        action="append",
        type=env_assignment,
        default=[],
        help="with --server: pass an environment variable with the kernel's start request "
        "(gateways take KERNEL_* variables; Enterprise Gateway needs KERNEL_USERNAME); repeatable",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="with --existing or --server … --attach: only show what every client runs and "
        "prints, sending nothing, until Ctrl-C",
    )
    parser.add_argument(
        "--no-other-output",
        dest="other_output",
        action="store_false",
        help="REPL: hide what other clients of the same kernel run and print",
    )
    parser.add_argument(
        "--list-kernels",
        action="store_true",
        help="list installed kernelspecs (name, language, display name) and exit; "
        "with --server, the server's kernelspecs and running kernels",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="scripts: run the remaining cells after an error (the status is still 1)",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=positive_float,
        help="scripts: interrupt an execution after SECONDS and exit 124 (default: none)",
    )
    parser.add_argument(
        "--save",
        metavar="FILE.ipynb",
        type=Path,
        help="record what runs and its outputs as a notebook (REPL and scripts)",
    )
    parser.add_argument(
        "--image-dir",
        metavar="DIR",
        type=Path,
        help="scripts: write images into DIR, one line naming each, instead of drawing them "
        "(the default when stdout is not a terminal, into a temporary folder)",
    )
    parser.add_argument(
        "--mime-order",
        metavar="TYPE,...",
        type=mime_order,
        help="the representations to prefer, in order, before the usual ones "
        "(e.g. text/html,text/plain); the usual order is: " + ", ".join(DEFAULT_MIME_ORDER),
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output: auto (when a terminal, unless NO_COLOR is set), always, never",
    )
    parser.add_argument(
        "--images",
        choices=IMAGES_CHOICES,
        help="how images are drawn on a terminal: auto (ask the terminal; character art "
        "inside tmux/screen), kitty, iterm, sixel (a protocol; in tmux/screen, passed through), "
        "blocks (character art), none (default: $ICK_IMAGES, else auto)",
    )
    parser.add_argument(
        "--startup-timeout",
        metavar="SECONDS",
        type=positive_float,
        default=60.0,
        help="how long to wait for the kernel to answer at start (default: %(default)g)",
    )
    add_repl_options(parser)
    parser.add_argument("-V", "--version", action="version", version=f"ick {__version__}")
    return parser


def add_repl_options(parser: argparse.ArgumentParser) -> None:
    """How the interactive prompt behaves: mostly set once, in the configuration file."""
    repl = parser.add_argument_group("REPL options (usually set in the configuration file)")
    repl.add_argument(
        "--editing-mode",
        choices=("emacs", "vi"),
        default="emacs",
        help="key bindings for editing the input (default: %(default)s)",
    )
    repl.add_argument(
        "--autosuggest",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="suggest the rest of the line from history, in grey (default: on)",
    )
    repl.add_argument(
        "--confirm-exit",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="ask before Ctrl-D or )quit ends the session (default: off)",
    )
    repl.add_argument(
        "--toolbar",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="status line under the prompt: kernel, busy/idle/dead, last run time (default: on)",
    )
    repl.add_argument(
        "--title",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="set the terminal window's title to the kernel's name (default: on)",
    )
    repl.add_argument(
        "--theme",
        choices=("auto", "dark", "light"),
        default="auto",
        help="colours for a dark or light background; auto asks the terminal (default: auto)",
    )
    repl.add_argument(
        "--history-size",
        metavar="N",
        type=positive_int,
        default=10000,
        help="inputs kept in each language's history file (default: %(default)d)",
    )
    repl.add_argument(
        "--other-output-prefix",
        metavar="TEXT",
        default="[other]",
        help="label on what other clients of the kernel run and print (default: %(default)s)",
    )


def positive_int(text: str) -> int:
    return _positive(text, int, "a whole number")


def positive_float(text: str) -> float:
    return _positive(text, float, "a number")


def _positive(text: str, convert: Callable[[str], Number], noun: str) -> Number:
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def env_assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return name, value


def check_combinations(args: argparse.Namespace) -> None:
    """Options that only make sense together, or never together: one line saying which.

    Only what was asked for in this run counts: a configured token or kernel is a
    default for when it applies, not a request.
    """
    configured: set[str] = getattr(args, "configured", set())

    def given(dest: str) -> bool:
        return bool(getattr(args, dest)) and dest not in configured

    for option, dest in (
        ("--token", "token"),
        ("--attach", "attach"),
        ("--kernel-env", "kernel_env"),
    ):
        if given(dest) and args.server is None:
            raise IckError(f"{option} needs --server URL", ExitStatus.USAGE)
    if given("ssh") and args.existing is None:
        raise IckError("--ssh needs --existing", ExitStatus.USAGE)
    if args.server is not None and args.existing is not None:
        raise IckError("--server and --existing cannot be used together", ExitStatus.USAGE)
    if args.attach and given("kernel"):
        raise IckError("--attach and -k cannot be used together", ExitStatus.USAGE)


def mime_order(text: str) -> tuple[str, ...]:
    try:
        return parse_mime_order(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def list_kernels() -> int:
    from ick.kernel.specs import installed_kernels

    specs = installed_kernels()
    width = max((len(spec.name) for spec in specs), default=4)
    lang_width = max((len(spec.language) for spec in specs), default=8)
    for spec in specs:
        print(f"{spec.name:<{width}}  {spec.language:<{lang_width}}  {spec.display_name}")
    return ExitStatus.OK


def dispatch(args: argparse.Namespace) -> int:
    from ick.frontends import entry
    from ick.kernel.connect import KernelTarget, find_connection_file
    from ick.kernel.remote.address import RemoteTarget, ServerAddress
    from ick.kernel.specs import DEFAULT_KERNEL, kernel_for_file

    check_combinations(args)
    address = ServerAddress.parse(args.server, args.token) if args.server is not None else None
    if args.list_kernels:
        if address is not None:
            from ick.frontends.listing import list_server_kernels

            return list_server_kernels(address)
        return list_kernels()
    scripted = bool(args.files) or args.code is not None or not sys.stdin.isatty()
    # A configured default kernel yields to the one a script's extension names.
    kernel = args.kernel if not args.files or "kernel" not in args.configured else None
    if address is not None:
        script = args.files[0] if args.files else None
        remote = RemoteTarget(address, kernel, args.attach, tuple(args.kernel_env), script)
        target = KernelTarget(kernel or "remote", remote=remote)
    elif args.existing is not None:
        target = KernelTarget("existing", find_connection_file(args.existing), ssh=args.ssh)
    elif kernel or not args.files:
        target = KernelTarget(kernel or DEFAULT_KERNEL)
    else:
        target = KernelTarget(kernel_for_file(args.files[0]))
    images: ImagesChoice = args.images or "auto"  # ICK_IMAGES comes in through config.py
    mime_order = args.mime_order or DEFAULT_MIME_ORDER
    if args.watch:
        return entry.run_watch(target, args.color, images, mime_order)
    if not scripted:
        from ick.frontends.settings import ReplSettings

        return entry.run_interactive(
            target,
            args.startup_timeout,
            args.color,
            args.save,
            args.other_output,
            images,
            mime_order,
            ReplSettings.from_args(args),
        )
    return entry.run_script(
        target,
        args.startup_timeout,
        args.color,
        args.files,
        args.code,
        args.keep_going,
        args.timeout,
        args.save,
        args.image_dir,
        images,
        mime_order,
    )


def main(argv: Sequence[str] | None = None) -> int:
    from ick.config import parse_args

    try:
        return dispatch(parse_args(build_parser, argv))
    except IckError as exc:
        print(f"ick: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except Exception as exc:  # a bug in ick: still one line, with the way to see more
        if os.environ.get("ICK_DEBUG"):
            raise
        print(
            f"ick: internal error: {type(exc).__name__}: {exc} (ICK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return ExitStatus.ERROR


if __name__ == "__main__":
    raise SystemExit(main())
