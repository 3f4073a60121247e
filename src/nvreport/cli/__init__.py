"""The ``nvreport`` command line: a thin typer layer over the library.

:mod:`~nvreport.cli.app` holds the typer application, its global options and
:func:`main`, which turns what goes wrong into one message and an exit code. Each
command group has a module that registers its commands on import
(:mod:`~nvreport.cli.commands` imports them all):
:mod:`~nvreport.cli.analyse` (``analyse``, ``tag``, ``kwic``), :mod:`~nvreport.cli.years`
(``compare``, ``narrative``), :mod:`~nvreport.cli.taxonomy` (``taxonomy …``) and
:mod:`~nvreport.cli.exchange` (``export``); :mod:`~nvreport.cli.options` has the options
they share and :mod:`~nvreport.cli.printing` what they print. Modules that load pandas
are imported inside the commands that need them, so ``--help`` and a run served from
the cache start fast; ``nvreport --version`` imports nothing but nvreport's version,
and the same ``analyse`` command again with nothing changed is answered before the
commands are loaded (:mod:`~nvreport.cli.again`).
"""

from __future__ import annotations

import sys

__all__ = ["command_line", "main", "run"]

#: The arguments the running command was given, when it runs from :func:`main`.
_command_line: tuple[str, ...] | None = None


def command_line() -> tuple[str, ...] | None:
    """The arguments the running command was given on the command line (None when
    it was not started by :func:`main`, as in a test's runner)."""
    return _command_line


def main() -> None:
    """Entry point of the console script."""
    global _command_line
    arguments = sys.argv[1:]
    if arguments == ["--version"]:  # answered before the commands are loaded
        from nvreport import __version__

        print(f"nvreport {__version__}")
        return
    if arguments[:1] == ["analyse"]:
        # the same command again, with nothing changed: print what it printed
        from nvreport.cli.again import analyse_again

        try:
            code = analyse_again(arguments)
        except BrokenPipeError:  # as the command would: stop quietly
            from nvreport.cli.app import stdout_gone

            stdout_gone()
            sys.exit(0)
        except KeyboardInterrupt:
            print("nvreport: interrupted; earlier outputs are left as they were", file=sys.stderr)
            sys.exit(130)
        if code is not None:
            sys.exit(code)
    _command_line = tuple(arguments)
    import gc

    gc.disable()  # loading the commands leaves the collector nothing to free (3-5% of it)
    import nvreport.cli.commands  # noqa: F401  (registers the commands)
    from nvreport.cli.app import main as run

    gc.enable()
    run()


def run() -> None:
    """Entry point of the console script and of ``python -m nvreport``: :func:`main`,
    then the end of the process as Python ends it (other threads joined, ``atexit``
    handlers run, standard output and error flushed, the same exit status), less
    the tearing down of every module and object that follows, which takes a fifth
    of a second once pandas and pyarrow are loaded (a tenth of a small folder's
    run) and frees nothing a process that exits needs freed. An exception other
    than SystemExit ends the process as Python does."""
    import atexit
    import os
    import threading

    try:
        main()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as Python does with sys.exit("message")
        print(code, file=sys.stderr)
        status = 1
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            status = status or 120  # as Python ends when it cannot flush at exit
    os._exit(status)
