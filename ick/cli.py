"""Command-line parsing and dispatch: nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ick import __version__
from ick.errors import ExitStatus, IckError

DESCRIPTION = """\
A terminal front end for Jupyter kernels: a REPL on any installed kernel, and a
script runner with clean stdout and honest exit codes.

  ick                       REPL on the python3 kernel
  ick -k ir                 REPL on another kernelspec
  ick job.py more.py        run files (the kernel is chosen by extension)
  ick -c 'print(1)'         run a string
  cat job.py | ick          run what stdin carries"""

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
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ick",
        description=DESCRIPTION,
        epilog=EPILOG,
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
        "--watch",
        action="store_true",
        help="with --existing: only show what every client runs and prints, sending nothing, "
        "until Ctrl-C",
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
        help="list installed kernelspecs (name, language, display name) and exit",
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
        help="scripts: write images into DIR, one line naming each (default: a temporary folder)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output: auto (when a terminal, unless NO_COLOR is set), always, never",
    )
    parser.add_argument(
        "--startup-timeout",
        metavar="SECONDS",
        type=positive_float,
        default=60.0,
        help="how long to wait for the kernel to answer at start (default: %(default)g)",
    )
    parser.add_argument("-V", "--version", action="version", version=f"ick {__version__}")
    return parser


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


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
    from ick.kernel.specs import DEFAULT_KERNEL, kernel_for_file

    if args.list_kernels:
        return list_kernels()
    scripted = bool(args.files) or args.code is not None or not sys.stdin.isatty()
    if args.existing is not None:
        target = KernelTarget("existing", find_connection_file(args.existing))
    elif args.kernel or not args.files:
        target = KernelTarget(args.kernel or DEFAULT_KERNEL)
    else:
        target = KernelTarget(kernel_for_file(args.files[0]))
    if args.watch:
        return entry.run_watch(target, args.color)
    if not scripted:
        return entry.run_interactive(
            target, args.startup_timeout, args.color, args.save, args.other_output
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
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
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
