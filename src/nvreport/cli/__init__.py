"""The ``nvreport`` command line: a thin typer layer over the library.

:mod:`~nvreport.cli.app` holds the typer application, its global options and
:func:`main`, which turns what goes wrong into one message and an exit code. Each
command group has a module that registers its commands on import:
:mod:`~nvreport.cli.analyse` (``analyse``, ``tag``, ``kwic``), :mod:`~nvreport.cli.years`
(``compare``, ``narrative``), :mod:`~nvreport.cli.taxonomy` (``taxonomy …``) and
:mod:`~nvreport.cli.exchange` (``export``); :mod:`~nvreport.cli.options` has the options
they share and :mod:`~nvreport.cli.printing` what they print. Modules that load pandas
are imported inside the commands that need them, so ``--help`` and a run served from
the cache start fast.
"""

from nvreport.cli import analyse, years, exchange  # noqa: F401, I001  (registers the commands, in this order)
from nvreport.cli.app import app, main

__all__ = ["app", "main"]
