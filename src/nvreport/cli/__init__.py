"""The command line: a thin typer layer over the library."""

from nvreport.cli.app import app, main

__all__ = ["app", "main"]
