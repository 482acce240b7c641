"""The interactive front end, one room per concern.

- ``loop.py``: the :class:`~ick.frontends.repl.loop.Repl` itself, reading inputs and
  deciding what each one is (code, a command, the end);
- ``execution.py``: one execution, from Enter to the prompt back (Ctrl-C twice, payloads);
- ``session_commands.py``: what ``)restart``, ``)kernel``, ``)save``... do to the session;
- ``debugging.py``: ``)vars``, ``)break`` and executions that stop in the kernel's debugger,
  ``debug_prompt.py`` the ``(ick-debug)`` prompt that steers them (``debug_vocabulary.py``
  its words);
- ``prompt.py``: the code prompt (layout, prompts, lexer, theme, status line);
- ``key_bindings.py``: every key ick binds, and ``enter.py``, what Enter decides;
- ``stdin_prompt.py``: the kernel's ``input()`` questions, asked at the terminal;
- ``above_prompt.py``: output that arrives while the user types.

Importing this package loads nothing: ``--help`` reads ``commands.py`` and
``reference.py`` without paying for prompt_toolkit.
"""
