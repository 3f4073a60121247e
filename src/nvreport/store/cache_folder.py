"""Where the cache folder is by default (apart from :mod:`nvreport.store.cache`, which
loads SQLite: a re-run with nothing changed looks here before anything else)."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/nvreport`` on Linux, the platform's cache folder elsewhere."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "nvreport"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("nvreport"))
    except ImportError:
        return Path.home() / ".cache" / "nvreport"
