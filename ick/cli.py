"""Command-line parsing and dispatch: nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ick import __version__
from ick.errors import ExitStatus, IckError

DESCRIPTION = "A terminal front end for Jupyter kernels: a REPL on any installed kernel."

EPILOG = """\
exit status:
  0    ick ended normally (Ctrl-D)
  1    an error ick could not recover from
  2    usage error (bad option, unknown kernel)
  3    the kernel could not be started, or died and was not restarted
  130  interrupted by Ctrl-C before the REPL started

keys at the prompt:
  Enter        run the input when the kernel says it is complete
  Esc Enter    run the input now (Alt-Enter in most terminals)
  Ctrl-C       clear the input; during an execution, interrupt the kernel
  Ctrl-D       exit (on an empty line); the kernel ick started is shut down
  Up / Down    history, by prefix;  Ctrl-R searches it
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ick",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-k",
        "--kernel",
        metavar="NAME",
        default="python3",
        help="kernelspec to start (default: %(default)s; see --list-kernels)",
    )
    parser.add_argument(
        "--list-kernels",
        action="store_true",
        help="list installed kernelspecs (name, language, display name) and exit",
    )
    parser.add_argument(
        "--startup-timeout",
        metavar="SECONDS",
        type=float,
        default=60.0,
        help="how long to wait for the kernel to answer at start (default: %(default)g)",
    )
    parser.add_argument("-V", "--version", action="version", version=f"ick {__version__}")
    return parser


def list_kernels() -> int:
    from ick.kernel.specs import installed_kernels

    specs = installed_kernels()
    width = max((len(spec.name) for spec in specs), default=4)
    lang_width = max((len(spec.language) for spec in specs), default=8)
    for spec in specs:
        print(f"{spec.name:<{width}}  {spec.language:<{lang_width}}  {spec.display_name}")
    return ExitStatus.OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.list_kernels:
            return list_kernels()
        from ick.frontends.interactive import run_interactive

        return run_interactive(args.kernel, startup_timeout=args.startup_timeout)
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
