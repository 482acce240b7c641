"""Command-line parsing and dispatch: the arguments become one :class:`~ick.options.Options`
and the process one :class:`~ick.render.environment.Environment`, handed to
:func:`ick.core.program`; nothing else lives here."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ick import __version__
from ick.core import program
from ick.errors import ExitStatus, IckError
from ick.options import Options, ReplOptions
from ick.render.capabilities import IMAGES_CHOICES
from ick.render.environment import Environment
from ick.render.mime_order import DEFAULT_MIME_ORDER, parse_mime_order

Number = TypeVar("Number", int, float)

DESCRIPTION = """\
A terminal front end for Jupyter kernels: a REPL on any installed kernel, and a
script runner with clean stdout and honest exit codes.

  ick                       REPL on the python3 kernel
  ick -k ir                 REPL on another kernelspec
  ick job.py more.py        run files (the kernel is chosen by extension)
  ick analysis.ipynb        run a notebook's code cells on the kernel it names
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
  from stdin, or from the terminal when stdin carried the script. A notebook
  (.ipynb) runs its code cells in order; with --save, it is written back executed.

exit status:
{statuses}

keys at the prompt:
{keys}

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


@functools.cache
def epilog() -> str:
    """Made when help is shown, once (the configuration layer builds the parser again for
    every configured key)."""
    import textwrap

    from ick.config import config_path
    from ick.frontends.repl.reference import commands_help, keys_help

    statuses = "\n".join(
        textwrap.fill(
            status.description,
            width=78,
            initial_indent=f"  {status.value:<5}",
            subsequent_indent=" " * 7,
        )
        for status in ExitStatus
    )
    return EPILOG.format(
        statuses=statuses,
        keys=keys_help(indent=2, width=80),
        commands=commands_help(indent=2, width=80),
        config=config_path(),
    )


class _Parser(argparse.ArgumentParser):
    """Writes its epilog (the keys, commands and exit statuses) only when help is shown."""

    def format_help(self) -> str:
        self.epilog = epilog()
        return super().format_help()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ick",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kernel = parser.add_argument_group("choosing a kernel")
    kernel.add_argument(
        "-k",
        "--kernel",
        metavar="NAME",
        help="kernelspec to start (default: python3, or by the files' extension)",
    )
    kernel.add_argument(
        "--existing",
        nargs="?",
        const="",
        metavar="CONNECTION_FILE",
        help="attach to a running kernel (default: the newest one in the Jupyter runtime dir; "
        "a bare name is looked up there); ick leaves it running on exit",
    )
    kernel.add_argument(
        "--ssh",
        metavar="HOST",
        help="with --existing: reach the kernel's ports through SSH tunnels to [user@]HOST[:port]",
    )
    kernel.add_argument(
        "--list-kernels",
        action="store_true",
        help="list installed kernelspecs (name, language, display name) and exit; "
        "with --server, the server's kernelspecs and running kernels",
    )
    kernel.add_argument(
        "--startup-timeout",
        metavar="SECONDS",
        type=positive_float,
        default=60.0,
        help="how long to wait for the kernel to answer at start (default: %(default)g)",
    )
    remote = parser.add_argument_group("kernels on a Jupyter server or gateway")
    remote.add_argument(
        "--server",
        metavar="URL",
        help="use a kernel of the Jupyter Server, Kernel Gateway or Enterprise Gateway at URL "
        "(a new one, deleted on exit, unless --attach names a running one)",
    )
    remote.add_argument(
        "--token",
        metavar="TOKEN",
        help="with --server: the server's token (default: the URL's ?token=, else $JUPYTER_TOKEN)",
    )
    remote.add_argument(
        "--attach",
        metavar="KERNEL_ID",
        help="with --server: attach to this running kernel (ick leaves it running on exit)",
    )
    remote.add_argument(
        "--kernel-env",
        metavar="K=V",
        action="append",
        type=env_assignment,
        default=[],
        help="with --server: pass an environment variable with the kernel's start request "
        "(gateways take KERNEL_* variables; Enterprise Gateway needs KERNEL_USERNAME); repeatable",
    )
    scripts = parser.add_argument_group("scripts (FILE, -c, or a non-terminal stdin)")
    scripts.add_argument("files", nargs="*", metavar="FILE", help="script files to run, in order")
    scripts.add_argument("-c", dest="code", metavar="CODE", help="run CODE and exit")
    scripts.add_argument(
        "--keep-going",
        action="store_true",
        help="scripts: run the remaining cells after an error (the status is still 1)",
    )
    scripts.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=positive_float,
        help="scripts: interrupt an execution after SECONDS and exit 124 (default: none)",
    )
    scripts.add_argument(
        "--image-dir",
        metavar="DIR",
        type=Path,
        help="scripts: write images into DIR, one line naming each, instead of drawing them "
        "(the default when stdout is not a terminal, into a temporary folder)",
    )
    watching = parser.add_argument_group("watching and other clients")
    watching.add_argument(
        "--watch",
        action="store_true",
        help="with --existing or --server … --attach: only show what every client runs and "
        "prints, sending nothing, until Ctrl-C",
    )
    watching.add_argument(
        "--no-other-output",
        dest="other_output",
        action="store_false",
        help="REPL: hide what other clients of the same kernel run and print",
    )
    output = parser.add_argument_group("output and images")
    output.add_argument(
        "--save",
        metavar="FILE.ipynb",
        type=Path,
        help="record what runs and its outputs as a notebook (REPL and scripts)",
    )
    output.add_argument(
        "--mime-order",
        metavar="TYPE,...",
        type=mime_order,
        help="the representations to prefer, in order, before the usual ones "
        "(e.g. text/html,text/plain); the usual order is: " + ", ".join(DEFAULT_MIME_ORDER),
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output: auto (when a terminal, unless NO_COLOR is set), always, never",
    )
    output.add_argument(
        "--images",
        choices=IMAGES_CHOICES,
        help="how images are drawn on a terminal: auto (ask the terminal; character art "
        "inside tmux/screen), kitty, iterm, sixel (a protocol; in tmux/screen, passed through), "
        "blocks (character art), none (default: $ICK_IMAGES, else auto)",
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
        "--pager",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="documentation taller than the terminal (obj?, Shift-Tab) through $PAGER, "
        "else less -R (default: on)",
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


def options_from(args: argparse.Namespace) -> Options:
    """The one options object of this run, from what argparse and the configuration gave."""
    configured: set[str] = getattr(args, "configured", set())
    return Options(
        files=tuple(args.files),
        code=args.code,
        watch=args.watch,
        list_kernels=args.list_kernels,
        kernel=args.kernel,
        kernel_from_config="kernel" in configured,
        existing=args.existing,
        ssh=args.ssh,
        server=args.server,
        token=args.token,
        attach=args.attach,
        kernel_env=tuple(args.kernel_env),
        startup_timeout=args.startup_timeout,
        keep_going=args.keep_going,
        timeout=args.timeout,
        image_dir=args.image_dir,
        save=args.save,
        mime_order=args.mime_order or DEFAULT_MIME_ORDER,
        color=args.color,
        images=args.images or "auto",  # ICK_IMAGES comes in through config.py
        repl=ReplOptions(
            editing_mode=args.editing_mode,
            autosuggest=args.autosuggest,
            confirm_exit=args.confirm_exit,
            toolbar=args.toolbar,
            title=args.title,
            theme=args.theme,
            history_size=args.history_size,
            other_output_prefix=args.other_output_prefix,
            show_other_output=args.other_output,
            pager=args.pager,
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    from ick.config import parse_args

    try:
        args = parse_args(build_parser, argv)
        check_combinations(args)
        options = options_from(args)
        environment = Environment.from_system(color=options.color, images=options.images)
        return program(options, environment)
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
