"""The HTML draft in a real browser: headless Chromium (Debian's ``chromium``, which
``.ci/run`` installs where it is missing) loads it, its headings and charts are
there, nothing failed to load, and a screenshot is saved.

Set ``NVREPORT_SCREENSHOTS=DIR`` to keep the screenshots after the run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nvreport.cli.commands import app

SAMPLES = Path(__file__).parents[1] / "samples"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PROBLEMS = re.compile(
    r"Failed to load|net::ERR_|Refused to|Uncaught|Content Security Policy|:CONSOLE", re.I
)


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("no Chromium on this machine; .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("utkast") / "arsberattelse-2022.html"
    result = CliRunner().invoke(
        app,
        [
            "narrative", str(SAMPLES / "2022"), "--previous", str(SAMPLES / "2021"),
            "-o", str(target), "--date", "2026-11-23", "-q", "--no-cache",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return target


def test_the_browser_shows_headings_and_charts_and_loads_nothing(draft, tmp_path) -> None:
    result = chromium(tmp_path, "--dump-dom", draft.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert re.search(r"<h1>Omställningen till nära vård 2022</h1>", dom)
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", dom)
    assert headings[:2] == ["Inledning", "Trender i korthet"]
    assert [h.split(". ", 1)[0] for h in headings[2:8]] == ["1", "2", "3", "4", "5", "6"]
    assert len(re.findall(r'<figure class="chart"', dom)) == 6
    assert dom.count('<div class="bars"') == 6
    assert dom.count('<span class="frame"') > 6 * 10
    problems = [line for line in result.stderr.splitlines() if PROBLEMS.search(line)]
    assert not problems, problems


@pytest.mark.parametrize(("name", "size"), [("skrivbord", "1280,6000"), ("mobil", "390,3000")])
def test_a_screenshot_is_saved(draft, tmp_path, name: str, size: str) -> None:
    shot = tmp_path / f"arsberattelse-{name}.png"
    result = chromium(tmp_path, f"--window-size={size}", f"--screenshot={shot}", draft.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    problems = [line for line in result.stderr.splitlines() if PROBLEMS.search(line)]
    assert not problems, problems
    keep = os.environ.get("NVREPORT_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
