"""The console script ends the process without Python's teardown (:func:`nvreport.cli.run`):
what it prints, writes and exits with must be what :func:`nvreport.cli.main` gives
when Python ends the process as usual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "2022"


def _both(arguments: list[str], tmp_path: Path) -> list[subprocess.CompletedProcess]:
    """The command run through run() (python -m nvreport) and through main()."""
    done = []
    for number, entry in enumerate(("run", "main")):
        output = tmp_path / f"out-{number}"
        command = [
            sys.executable,
            "-c",
            f"import sys; from nvreport.cli import {entry}; "
            f"sys.argv[1:] = {arguments!r}; {entry}()",
        ]
        passage = tmp_path / "passage.txt"
        passage.write_text("Regionen har infört mobila team i hemsjukvården.\n", encoding="utf-8")
        command = [
            part.replace("OUT", str(output)).replace("PASSAGE", str(passage)) for part in command
        ]
        done.append(
            subprocess.run(
                command,
                capture_output=True,
                text=True,
                env={"XDG_CACHE_HOME": str(tmp_path / f"cache-{number}"), "PATH": ""},
                cwd=ROOT,
                timeout=300,
            )
        )
    return done


@pytest.mark.parametrize(
    "arguments",
    [
        ["--version"],
        ["--help"],
        ["analyse", "no-such-folder", "-o", "OUT"],  # a usage error: status 2
        ["tag", "PASSAGE"],
    ],
)
def test_run_ends_as_python_would(arguments: list[str], tmp_path: Path) -> None:
    ran, as_usual = _both(arguments, tmp_path)
    assert ran.returncode == as_usual.returncode
    assert ran.stdout == as_usual.stdout
    assert ran.stderr.replace("out-0", "out-1") == as_usual.stderr


def test_run_writes_every_output_and_its_status(tmp_path: Path) -> None:
    ran, as_usual = _both(["analyse", str(SAMPLES), "-o", "OUT", "-q"], tmp_path)
    assert ran.returncode == as_usual.returncode == 0, ran.stderr
    written = sorted(path.name for path in (tmp_path / "out-0").iterdir())
    assert written == sorted(path.name for path in (tmp_path / "out-1").iterdir())
    assert "passages.csv" in written and "run.json" in written
    for name in ("passages.csv", "coverage.csv", "documents.csv"):
        assert (tmp_path / "out-0" / name).read_bytes() == (tmp_path / "out-1" / name).read_bytes()


def test_module_and_console_script_use_run() -> None:
    main_module = (ROOT / "src" / "nvreport" / "__main__.py").read_text(encoding="utf-8")
    assert "run()" in main_module
    assert 'nvreport = "nvreport.cli:run"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
