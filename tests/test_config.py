"""The configuration file and ICK_* variables: keys derived from the parser, precedence, errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ick.cli import build_parser, positive_float
from ick.config import ConfigError, config_path, configurable_options, parse_args
from tests.support.terminal import ANY_PROMPT, run_ick, write_config


# -- keys come from the parser ---------------------------------------------------------
def test_every_long_option_but_those_of_one_run_is_a_key():
    keys = set(configurable_options(build_parser()))
    for key in ("kernel", "startup-timeout", "color", "editing-mode", "autosuggest"):
        assert key in keys
    for key in ("no-autosuggest", "confirm-exit", "history-size", "theme", "toolbar"):
        assert key in keys
    for one_run in ("existing", "watch", "save", "list-kernels", "version", "help"):
        assert one_run not in keys


def _parser_with_options_added_later() -> argparse.ArgumentParser:
    """The real parser (whose --images, --mime-order and --server were added by other features
    with no code here) plus options of kinds it lacks so far (a checked number, a flag pair)."""
    parser = build_parser()
    parser.add_argument("--ping", type=positive_float, default=1.0)
    parser.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True)
    return parser


def test_options_added_to_the_parser_are_configurable_without_more_code(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path), "ICK_SERVER": "http://127.0.0.1:8888"}
    write_config(
        env,
        'images = "sixel"\nmime-order = "text/html,text/plain"\nping = 2.5\nverify = false\n',
    )
    args = parse_args(_parser_with_options_added_later, [], env)
    assert args.images == "sixel"
    assert tuple(args.mime_order[:2]) == ("text/html", "text/plain")
    assert args.ping == 2.5
    assert args.verify is False
    assert args.server == "http://127.0.0.1:8888"
    # The command line still wins, option by option.
    args = parse_args(_parser_with_options_added_later, ["--images", "kitty", "--verify"], env)
    assert (args.images, args.verify, args.ping) == ("kitty", True, 2.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('images = "pixels"', "images: invalid choice: 'pixels'"),
        ("ping = -1", "ping: must be more than 0: '-1'"),
        ("ping = true", "ping: expects a value like the command line's, not True"),
        ("verify = 'yes'", "verify: expects true or false, not 'yes'"),
        ('server = ["a", "b"]', "server: expects one value, not a list"),
        ("mime_order = []", "mime_order: unknown option (did you mean 'mime-order'?)"),
    ],
)
def test_a_bad_value_is_named_with_its_key_and_argparses_own_reason(tmp_path, text, message):
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    path = write_config(env, text + "\n")
    with pytest.raises(ConfigError) as caught:
        parse_args(_parser_with_options_added_later, [], env)
    assert str(caught.value).startswith(f"{path}: {message}"), str(caught.value)


def test_config_path_follows_xdg():
    assert config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/ick/config.toml")
    assert config_path({}).parts[-3:] == (".config", "ick", "config.toml")


# -- the real command ------------------------------------------------------------------
def test_help_shows_where_the_file_is(ick_env):
    result = run_ick("--help", env=ick_env)
    assert result.returncode == 0
    assert str(Path(ick_env["XDG_CONFIG_HOME"]) / "ick" / "config.toml") in result.stdout
    assert "ICK_KERNEL" in result.stdout


@pytest.mark.slow  # starts a kernel
def test_command_line_beats_environment_beats_file(ick_env):
    # print(1) is valid R and Python, and they print it differently: "[1] 1" against "1".
    write_config(ick_env, 'kernel = "ir"\n')
    from_file = run_ick("-c", "print(1)", env=ick_env)
    assert from_file.stdout.strip() == "[1] 1", from_file.stderr

    env = {**ick_env, "ICK_KERNEL": "python3"}
    from_env = run_ick("-c", "print(1)", env=env)
    assert from_env.stdout.strip() == "1", from_env.stderr

    from_cli = run_ick("-k", "ir", "-c", "print(1)", env=env)
    assert from_cli.stdout.strip() == "[1] 1", from_cli.stderr


@pytest.mark.slow  # starts a kernel
def test_a_configured_kernel_yields_to_the_one_a_scripts_extension_names(ick_env, tmp_path):
    write_config(ick_env, 'kernel = "ir"\n')
    script = tmp_path / "job.py"
    script.write_text("import sys; print(sys.version_info[0])\n")
    result = run_ick(str(script), env=ick_env)
    assert result.stdout.strip() == "3", result.stderr


@pytest.mark.slow  # starts a kernel
def test_a_configured_timeout_applies_and_the_environment_overrides_it(ick_env):
    write_config(ick_env, "timeout = 0.5\n")
    code = "import time; time.sleep(2)"
    assert run_ick("-c", code, env=ick_env).returncode == 124
    assert run_ick("-c", code, env={**ick_env, "ICK_TIMEOUT": "30"}).returncode == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kernel = ", "not valid TOML"),
        ("kernal = 'ir'", "kernal: unknown option (did you mean 'kernel'?)"),
        ('startup-timeout = "soon"', "startup-timeout: not a number"),
        ('color = "sometimes"', "color: invalid choice: 'sometimes'"),
        ("history-size = 0", "history-size: must be more than 0"),
        ('autosuggest = "no"', "autosuggest: expects true or false"),
    ],
)
def test_an_invalid_file_is_one_line_naming_the_key_and_exit_2(ick_env, text, expected):
    path = write_config(ick_env, text + "\n")
    result = run_ick("-c", "print(1)", env=ick_env)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ick: {path}: ") and expected in lines[0], lines[0]


def test_an_invalid_environment_variable_is_named(ick_env):
    result = run_ick("-c", "print(1)", env={**ick_env, "ICK_STARTUP_TIMEOUT": "-3"})
    assert result.returncode == 2
    assert result.stderr.strip() == ("ick: ICK_STARTUP_TIMEOUT: must be more than 0: '-3'")


def test_repl_options_from_the_file_reach_the_prompt(spawn_ick, ick_env, outside_kernel):
    _, client, connection_file = outside_kernel
    write_config(ick_env, 'editing-mode = "vi"\nother-output-prefix = "[elsewhere]"\n')
    term = spawn_ick("--existing", str(connection_file))
    term.expect(r"\[ins\] " + ANY_PROMPT)
    client.execute("6 * 7")
    term.expect(r"\[elsewhere\] Out\[\d+\]: 42")


def test_the_pager_is_on_unless_the_option_or_the_key_says_no(tmp_path):
    from ick.cli import options_from

    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert options_from(parse_args(build_parser, [], env)).repl.pager is True
    assert options_from(parse_args(build_parser, ["--no-pager"], env)).repl.pager is False
    write_config(env, "pager = false\n")
    assert options_from(parse_args(build_parser, [], env)).repl.pager is False
