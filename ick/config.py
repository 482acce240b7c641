"""Option defaults from a TOML file and ``ICK_*`` environment variables.

Nothing here lists ick's options: the keys are derived from the argparse
parser itself, so an option added to ``ick.cli`` is configurable at once.
A key is a long option without its dashes (``startup-timeout = 30``,
``kernel = "ir"``); a flag takes ``true`` or ``false`` (``false`` on a
``--X/--no-X`` pair means ``--no-X``); an option that takes several values
takes a list.  Values are checked by argparse's own ``type`` and ``choices``,
so the file is held to exactly the rules of the command line.

Precedence: the command line beats the environment, which beats the file,
which beats the built-in defaults.  ``NO_COLOR`` is read where colour is
decided (``--color auto``), so, as no-color.org asks, an explicit ``color``
in the file or on the command line still wins over it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ick.errors import ExitStatus, IckError

#: Options that say what to do in this one run, not how ick should behave: never configured.
ONE_RUN_OPTIONS = frozenset(
    {"help", "version", "files", "code", "list_kernels", "existing", "watch", "save", "attach"}
)

ENV_PREFIX = "ICK_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(IckError):
    status = ExitStatus.USAGE


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ick/config.toml`` (default ``~/.config/ick/config.toml``)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(base) / "ick" / "config.toml"


def configurable_options(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.Action, str]]:
    """Every config key, mapped to its action and the option string it stands for."""
    keys: dict[str, tuple[argparse.Action, str]] = {}
    for action in parser._actions:  # argparse has no public list of its actions
        if action.dest in ONE_RUN_OPTIONS:
            continue
        for option in action.option_strings:
            if option.startswith("--"):
                keys[option[2:]] = (action, option)
    return keys


def env_name(key: str) -> str:
    """``startup-timeout`` → ``ICK_STARTUP_TIMEOUT``."""
    return ENV_PREFIX + key.upper().replace("-", "_")


def _is_flag(action: argparse.Action) -> bool:
    return action.nargs == 0


def _negation(action: argparse.Action, option: str) -> str | None:
    """The ``--no-X`` twin of ``--X`` in a ``BooleanOptionalAction``, if there is one."""
    twin = "--no-" + option[2:]
    return (
        twin
        if isinstance(action, argparse.BooleanOptionalAction) and twin in action.option_strings
        else None
    )


def _tokens(action: argparse.Action, option: str, value: Any) -> list[str]:
    """The command-line words that mean ``key = value``; raises ValueError with the problem."""
    if _is_flag(action):
        if not isinstance(value, bool):
            raise ValueError(f"expects true or false, not {value!r}")
        if value:
            return [option]
        negation = _negation(action, option)
        return [negation] if negation else []
    takes_many = action.nargs in ("*", "+") or (isinstance(action.nargs, int) and action.nargs > 1)
    appends = isinstance(action, argparse._AppendAction)
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not (takes_many or appends):
        raise ValueError(f"expects one value, not a list: {value!r}")
    words: list[str] = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ValueError(f"expects a value like the command line's, not {item!r}")
        words.append(str(item))
    if appends:
        return [f"{option}={word}" for word in words]
    if takes_many:
        return [option, *words]
    return [f"{option}={words[0]}"]


def _convert(
    build_parser: Callable[[], argparse.ArgumentParser], action: argparse.Action, tokens: list[str]
) -> Any:
    """What argparse itself makes of ``tokens``: type conversion and choices included."""
    parser = build_parser()
    parser.exit_on_error = False
    try:
        namespace = parser.parse_args(tokens)
    except argparse.ArgumentError as exc:
        raise ValueError(exc.message) from None
    return getattr(namespace, action.dest)


def _layer(
    build_parser: Callable[[], argparse.ArgumentParser],
    options: dict[str, tuple[argparse.Action, str]],
    values: Iterable[tuple[str, Any]],
    describe: Callable[[str], str],
) -> dict[str, Any]:
    """``{dest: value}`` for ``(key, value)`` pairs; a ConfigError on the first bad one."""
    layer: dict[str, Any] = {}
    for key, value in values:
        if key not in options:
            close = difflib.get_close_matches(key, list(options), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{describe(key)}: unknown option{hint}")
        action, option = options[key]
        try:
            tokens = _tokens(action, option, value)
            if tokens:
                layer[action.dest] = _convert(build_parser, action, tokens)
        except ValueError as exc:
            raise ConfigError(f"{describe(key)}: {exc}") from None
    return layer


def read_file(path: Path) -> dict[str, Any]:
    """The TOML table in ``path`` (empty when the file does not exist)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    # Imported only when there is a file: most runs have none, and start-up waits for imports.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 has no tomllib
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _env_value(action: argparse.Action, text: str) -> Any:
    """An environment variable's text as the value its key would have in the file."""
    if not _is_flag(action):
        return text
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return text  # rejected by _tokens with the usual message


def parse_args(
    build_parser: Callable[[], argparse.ArgumentParser],
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> argparse.Namespace:
    """Parse the command line, then fill what it left out from the environment and the file.

    ``args.configured`` is the set of destinations whose value came from the
    environment or the file, for the few decisions where a default should
    yield (the kernel chosen by a script's extension beats a configured one).
    """
    env = os.environ if env is None else env
    parser = build_parser()
    args = parser.parse_args(argv)  # --help, --version and usage errors end here
    options = configurable_options(parser)

    # What the command line itself set: parse again with every default suppressed.
    bare = build_parser()
    for action in bare._actions:
        action.default = argparse.SUPPRESS
    given = set(vars(bare.parse_args(argv)))

    path = config_path(env)
    from_file = _layer(build_parser, options, read_file(path).items(), lambda key: f"{path}: {key}")
    from_env = _layer(
        build_parser,
        options,
        (
            (key, _env_value(options[key][0], env[env_name(key)]))
            for key in options
            if env_name(key) in env
        ),
        lambda key: env_name(key),
    )
    configured: set[str] = set()
    for dest, value in {**from_file, **from_env}.items():
        if dest not in given:
            setattr(args, dest, value)
            configured.add(dest)
    args.configured = configured
    return args
