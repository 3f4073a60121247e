"""The ``nvreport`` command: a thin typer layer over the library.

Commands parse their options, call the library, and print. Errors the library
raises on purpose (:class:`~nvreport.errors.NvreportError`) become one line,
"nvreport: error: …", and a named exit code, in one place (:func:`main`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from typer.core import TyperGroup

from nvreport import __version__
from nvreport.errors import ExitCode, NvreportError
from nvreport.store.files import readable_name


class _ReportingGroup(TyperGroup):
    """Runs a command and turns what goes wrong into one message and an exit code."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except NvreportError as error:
            if ctx.meta.get("nvreport.traceback"):
                raise
            error_console().print(f"nvreport: error: {error}", markup=False, highlight=False)
            raise typer.Exit(ExitCode.USAGE) from None
        except KeyboardInterrupt:
            error_console().print("nvreport: interrupted; earlier outputs are left as they were")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            stdout_gone()
            raise typer.Exit(0) from None
        except OSError as error:  # a file or folder the system would not let us use
            if ctx.meta.get("nvreport.traceback"):
                raise
            error_console().print(
                f"nvreport: error: {_os_problem(error)}", markup=False, highlight=False
            )
            raise typer.Exit(ExitCode.USAGE) from None
        except Exception as error:
            if _is_command_line_exception(error) or ctx.meta.get("nvreport.traceback"):
                raise
            error_console().print(
                "nvreport: internal error: something went wrong that nvreport does not "
                "expect; earlier outputs are left as they were (run it again as "
                "'nvreport --traceback COMMAND …', the option before the command, and "
                "report what it prints)",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


#: What the system's refusal to open or write a file means, in plain words.
_OS_PROBLEMS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EIO: "the disk could not be read or written",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EMFILE: "too many files open at once",
}


def _os_problem(error: OSError) -> str:
    """``error`` as "path: what is wrong", without Python's way of putting it."""
    what = _OS_PROBLEMS.get(error.errno or 0) or (
        (error.strerror or "the system refused").lower().rstrip(".")
    )
    named = next((name for name in (error.filename, error.filename2) if name), None)
    return (
        f"{readable_name(os.fsdecode(named) if isinstance(named, bytes) else str(named))}: {what}"
        if named
        else what
    )


#: Exceptions of the command-line layer that carry their own message and exit code
#: (a bad option is a usage error, exit 2): click's, or the copy of click that recent
#: typer versions vendor, so they are told apart by name rather than by class.
_COMMAND_LINE_EXCEPTIONS = frozenset({"ClickException", "Exit", "Abort"})


def _is_command_line_exception(error: BaseException) -> bool:
    return any(kind.__name__ in _COMMAND_LINE_EXCEPTIONS for kind in type(error).__mro__)


def error_console() -> Console:
    return Console(stderr=True, soft_wrap=True, emoji=False)


app = typer.Typer(
    cls=_ReportingGroup,
    name="nvreport",
    help="Read the yearly God och nära vård reports of regions and municipalities "
    "and tell who reports what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"nvreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """Read the yearly God och nära vård reports and tell who reports what."""
    ctx.meta["nvreport.traceback"] = traceback


def stdout_gone() -> None:
    """The reader of our output (``head``, ``less``) has gone: stop quietly, as Unix
    tools do, without Python complaining about the pipe at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def stdout_is_devnull() -> bool:
    """Is standard output the null device? Click points it there when the pipe it
    wrote into was closed."""
    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), os.stat(os.devnull))
    except (AttributeError, OSError, ValueError):
        return False


def main() -> None:
    """Entry point of the console script."""
    to_null = stdout_is_devnull()
    try:
        app()
    except BrokenPipeError:  # while --help or a usage message was printed
        stdout_gone()
        sys.exit(0)
    except SystemExit as stop:
        # click ends with 1, its output sent to the null device, when the pipe it
        # printed --help into was closed early (``nvreport --help | head``)
        if stop.code == 1 and not to_null and stdout_is_devnull():
            sys.exit(0)
        raise
