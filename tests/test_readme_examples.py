"""Every ``nvreport`` example in the README runs, as an analyst would type it.

The examples are taken from the README's ``sh`` blocks (after the two commands at the
top) and run one after another in a workspace that holds what they name: the
samples and the bundled taxonomy, a copy of it under the names the examples give
(``min-taxonomi.yaml`` …), a file of sentences, an exported codebook, a copy of the
templates, and the output folders earlier examples write. A line whose input is
outside the workspace (an absolute path such as ``/data/rapporter/2022``) is shown,
not run. Each run must end with exit code 0 or 1 (1: some report could not be read),
never 2 (a usage error) or worse.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NVREPORT = str(Path(sys.executable).with_name("nvreport"))

#: Files the examples name, made in the workspace before they run.
TAXONOMY_COPIES = ("min-taxonomi.yaml", "ny-taxonomi.yaml")
SENTENCES = (
    "Regionen planerar att införa hälsosamtal för 40-åringar under 2023.\n"
    "Samtliga vårdcentraler erbjuder fysisk aktivitet på recept.\n"
    "Mobila team har ännu inte startats i kommunen.\n"
)

REPORTS_2023 = {
    "Region Skåne redovisning 2023.txt": (
        "Region Skåne\n\nRedovisning 2023\n\n"
        "Under 2023 har regionen infört hälsosamtal vid samtliga vårdcentraler.\n\n"
        "Mobila team arbetar nu i alla kommuner i länet.\n"
    ),
    "Region Norrbotten redovisning 2023.txt": (
        "Region Norrbotten\n\nRedovisning 2023\n\n"
        "Regionen planerar att införa fast vårdkontakt under 2024.\n"
    ),
}


def examples() -> list[str]:
    """The ``nvreport`` command lines of the README's examples, in order, each joined
    over its continuation lines and without its comment."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S)[2:]:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("   #", 1)[0].strip()
            if line.startswith("nvreport ") or "| nvreport " in line:
                lines.append(line)
    return lines


def workspace(root: Path) -> Path:
    for name in ("samples", "taxonomies", "templates"):
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    for name in TAXONOMY_COPIES:
        shutil.copy(ROOT / "taxonomies" / "nara-vard.yaml", root / name)
    (root / "meningar.txt").write_text(SENTENCES, encoding="utf-8")
    shutil.copytree(ROOT / "templates", root / "mina-mallar")
    run_line(
        f"nvreport taxonomy export --format qdc -o {shlex.quote('kodbok-från-nvivo.qdc')}", root
    )
    for year in ("2021", "2022"):
        for folder in ("ut", "nvreport-output"):
            prepare(f"nvreport analyse samples/{year} -o {folder}/{year} --quiet", root)
    later = root / "rapporter-2023"  # a third year, for the examples that compare three
    later.mkdir()
    for name, text in REPORTS_2023.items():
        (later / name).write_text(text, encoding="utf-8")
    prepare("nvreport analyse rapporter-2023 -o ut/2023 --quiet", root)
    return root


def prepare(line: str, cwd: Path) -> None:
    done = run_line(line, cwd)
    assert done.returncode == 0, f"{line}\n{done.stderr}"


def run_line(line: str, cwd: Path, cache: Path | None = None) -> subprocess.CompletedProcess:
    command = (
        line.replace("nvreport ", f"{shlex.quote(NVREPORT)} ", 1)
        if "|" not in line
        else (line.replace("| nvreport ", f"| {shlex.quote(NVREPORT)} "))
    )
    environment = {
        **os.environ,
        "NVREPORT_NO_COLOR": "1",
        "XDG_CACHE_HOME": str(cache or cwd / ".cache"),
    }
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
    )


def runnable(line: str) -> bool:
    """False for a line whose input lies outside the workspace."""
    return not any(word.startswith("/") for word in shlex.split(line.split("|")[-1])[1:])


def test_the_readme_has_examples_of_every_command() -> None:
    commands = {shlex.split(line.split("|")[-1])[1] for line in examples()}
    assert {"analyse", "tag", "kwic", "compare", "narrative", "taxonomy", "export"} <= commands


def test_every_readme_example_runs(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    ran = []
    for line in examples():
        if not runnable(line):
            continue
        cwd = ROOT if " main:" in line else root  # a git revision: run in the repository
        done = run_line(line, cwd, root / ".cache")  # never a cache inside the repository
        assert done.returncode in (0, 1), f"{line}\nexit {done.returncode}\n{done.stderr[-2000:]}"
        ran.append(line)
    assert len(ran) >= len(examples()) - 2, ran
