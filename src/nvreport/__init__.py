"""nvreport: reads the yearly God och nära vård reports and tells who reports what."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up when first asked for: importlib.metadata takes
    # longer to import than a re-run with nothing to do takes in all (README "Measured")
    if name != "__version__":
        raise AttributeError(f"module 'nvreport' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("nvreport")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
