"""The ``nvreport`` application with every command registered.

The command modules register their commands on :data:`nvreport.cli.app.app` when
they are imported, here, in the order ``--help`` lists them; the ``taxonomy`` group
comes last. :func:`nvreport.cli.main` imports this module before it runs a command,
so that ``nvreport --version`` needs none of them.
"""

from __future__ import annotations

# isort: off
# the order --help lists them in
from nvreport.cli import analyse, years, exchange  # noqa: F401  (registers the commands)

# isort: on
from nvreport.cli.app import app
from nvreport.cli.taxonomy import taxonomy_app

app.add_typer(taxonomy_app, name="taxonomy")

__all__ = ["app"]
