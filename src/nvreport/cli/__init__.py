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
the cache start fast; ``nvreport --version`` imports nothing but nvreport's version.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Entry point of the console script."""
    if sys.argv[1:] == ["--version"]:  # answered before the commands are loaded
        from nvreport import __version__

        print(f"nvreport {__version__}")
        return
    import nvreport.cli.commands  # noqa: F401  (registers the commands)
    from nvreport.cli.app import main as run

    run()
