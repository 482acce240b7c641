"""``program(options, environment)``: which kernel, and which front end runs on it.

Like httpie's ``core.program(args, env)``: everything after argument parsing,
with no reach into ``sys`` of its own, so that it can be called with the
options and streams a test chose.
"""

from __future__ import annotations

from ick.options import Options
from ick.render.environment import Environment


def program(options: Options, environment: Environment) -> int:
    from ick.frontends import entry
    from ick.kernel.connect import KernelTarget, find_connection_file
    from ick.kernel.remote.address import RemoteTarget, ServerAddress
    from ick.kernel.specs import DEFAULT_KERNEL, kernel_for_file

    address = (
        ServerAddress.parse(options.server, options.token) if options.server is not None else None
    )
    if options.list_kernels:
        from ick.frontends.listing import list_local_kernels, list_server_kernels

        return list_server_kernels(address) if address is not None else list_local_kernels()
    scripted = bool(options.files) or options.code is not None or not environment.stdin_is_tty
    # A configured default kernel yields to the one a script's extension names.
    kernel = options.kernel if not options.files or not options.kernel_from_config else None
    if address is not None:
        script = options.files[0] if options.files else None
        if script is not None and kernel is None:
            from ick.frontends.notebook_runner import kernel_named_by

            # A notebook's metadata names the server's kernel as it names a local one.
            kernel, script = kernel_named_by(script)
        remote = RemoteTarget(address, kernel, options.attach, options.kernel_env, script)
        target = KernelTarget(kernel or "remote", remote=remote)
    elif options.existing is not None:
        target = KernelTarget("existing", find_connection_file(options.existing), ssh=options.ssh)
    elif kernel or not options.files:
        target = KernelTarget(kernel or DEFAULT_KERNEL)
    else:
        from ick.frontends.notebook_runner import kernel_for_script

        target = KernelTarget(kernel_for_script(options.files[0], kernel_for_file))
    if options.watch:
        return entry.run_watch(target=target, options=options, environment=environment)
    if not scripted:
        return entry.run_repl(target=target, options=options, environment=environment)
    return entry.run_scripts(target=target, options=options, environment=environment)
