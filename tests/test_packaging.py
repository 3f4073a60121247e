"""Installed from a wheel, nvreport finds the taxonomy and the templates it ships
inside its own package, not in a source checkout that is not there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_an_installed_package_finds_its_templates_and_taxonomy(tmp_path: Path) -> None:
    # the layout pyproject.toml gives a wheel: templates/ and taxonomies/ inside nvreport/
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "src" / "nvreport", site / "nvreport")
    shutil.copytree(ROOT / "templates", site / "nvreport" / "templates")
    shutil.copytree(ROOT / "taxonomies", site / "nvreport" / "taxonomies")
    code = (
        "import nvreport, nvreport.story.render as r, nvreport.tagging.taxonomy as t\n"
        "import nvreport.outputs.explorer as e\n"
        "print(nvreport.__file__)\nprint(r.bundled_templates_dir())\n"
        "print(t.bundled_taxonomy_path())\nprint(e._templates_dir())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    module, templates, taxonomy, explorer = done.stdout.splitlines()
    assert Path(module).parent == site / "nvreport"
    assert Path(templates) == Path(explorer) == site / "nvreport" / "templates"
    assert Path(taxonomy) == site / "nvreport" / "taxonomies" / "nara-vard.yaml"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"nvreport.templates" = "templates"' in pyproject
    assert '"nvreport.templates" = ["*.j2", "*.css", "*.js"]' in pyproject  # the explorer's
