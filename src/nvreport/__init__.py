"""nvreport: reads the yearly God och nära vård reports and tells who reports what."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nvreport")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
