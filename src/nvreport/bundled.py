"""Where the files shipped with nvreport are: the taxonomies and the templates.

Both live at the top of a source checkout, where analysts edit them, and are
installed inside the package as ``nvreport/taxonomies`` and ``nvreport/templates``
(see ``pyproject.toml``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_folder(name: str, probe: str) -> Path:
    """The shipped folder ``name`` ("taxonomies" or "templates"): inside the installed
    package when it holds ``probe``, else at the top of the source checkout."""
    installed = Path(str(resources.files("nvreport"))) / name
    if (installed / probe).is_file():
        return installed
    return Path(__file__).resolve().parents[2] / name
