"""Hostile taxonomies and codebooks (issue 17): ``taxonomy check|diff|import``,
``tag`` and ``analyse --taxonomy`` must not crash, hang, take all memory, write where
they were not asked to, or write what a file name says into the YAML they make. Each
refusal names the line (or the limit). Every file is made here.

The commands run as separate processes, as a user runs them: each must end within
60 s, with exit 1 (``taxonomy check`` found problems) or 2 (a file refused), never 70
(an internal error), with no traceback and no Python internals in what it prints, and
with a peak memory under 1.5 GiB."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from nvreport.exchange.codebook_import import MAX_CODE_DEPTH, MAX_CODEBOOK_BYTES, import_codebook
from nvreport.tagging.taxonomy import (
    MAX_TAXONOMY_BYTES,
    MAX_TAXONOMY_DEPTH,
    TaxonomyError,
    load_taxonomy,
)
from nvreport.tagging.term_checks import MAX_PATTERN_LENGTH, regex_hazard

ROOT = Path(__file__).parents[1]
LIMIT_SECONDS = 60
LIMIT_BYTES = int(1.5 * 2**30)
INTERNALS = re.compile(
    r"Traceback|\b[A-Z]\w*(Error|Exception)\b|object at 0x|<[a-z_.]+ |\bNoneType\b|"
    r"ScalarNode|SequenceNode|MappingNode|yaml\.|zipfile\.|re\.error"
)
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

THEME = """version: "v1"
areas:
  - id: halsoframjande
    label: Hälsofrämjande
    themes:
      - id: {id}
        label: Hälsosamtal
        description: Riktade hälsosamtal till invånare.
        framework_area: B
        terms:
          - hälsosamtal*
{terms}        examples:
          match:
            - Regionen erbjuder hälsosamtal.
            - Hälsosamtalen genomförs på vårdcentralen.
            - Hälsosamtalsverksamheten har utökats.
            - Kommunen planerar hälsosamtal för 50-åringar.
            - Riktade hälsosamtal saknas ännu i länet.
          no_match:
            - Regionen erbjuder samtal om levnadsvanor.
            - Hälsan i befolkningen har förbättrats.
            - Samtalet hölls på vårdcentralen.
            - Regionen har infört fast vårdkontakt.
            - Personalen har utbildats i motiverande samtal.
"""


def taxonomy(tmp_path: Path, terms: list[str] = (), theme_id: str = "halsosamtal") -> Path:
    listed = "".join(
        f"          - {yaml.safe_dump(t, allow_unicode=True).split(chr(10))[0]}\n" for t in terms
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(THEME.format(id=theme_id, terms=listed), encoding="utf-8")
    return path


def nvreport(*arguments: str, cwd: Path | None = None, env: dict | None = None) -> tuple:
    """Run ``nvreport`` as a user would; (exit code, stdout, stderr, seconds). The
    peak memory is the child's own (``wait4``), whatever other tests ran before."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "nvreport", *arguments],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, **(env or {})},
        )
        timer = threading.Timer(LIMIT_SECONDS + 30, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8"), err.read().decode("utf-8")
    elapsed = time.monotonic() - started
    peak = usage.ru_maxrss * 1024
    assert elapsed < LIMIT_SECONDS, f"took {elapsed:.0f} s"
    assert peak < LIMIT_BYTES, f"peak memory {peak / 2**30:.1f} GiB"
    assert process.returncode != 70, stderr
    assert not INTERNALS.search(stdout + stderr), stdout + stderr
    return process.returncode, stdout, stderr, elapsed


# ------------------------------------------------------------------ taxonomy YAML (4)

ALIAS_BOMB = """version: "v1"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
areas: [*i]
"""


def test_an_alias_bomb_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 1500
    code, out, _, _ = nvreport("taxonomy", "check", str(path))
    assert code == 1
    assert re.search(r"bomb\.yaml:(7|8|9):\d+: this value stands for more than 200,000", out)
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "Region Test 2023.txt").write_text("Regionen erbjuder hälsosamtal.\n", "utf-8")
    code, _, err, _ = nvreport(
        "analyse", str(folder), "-o", str(tmp_path / "out"), "--taxonomy", str(path), "-j", "1"
    )
    assert code == 2
    assert "stands for more than" in err


def test_a_list_as_a_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    path.write_text('version: "v1"\n? [a, b]\n: x\nareas: []\n', encoding="utf-8")
    code, out, _, _ = nvreport("taxonomy", "check", str(path))
    assert code == 1
    assert "key.yaml:2:3: a key must be text" in out


@pytest.mark.parametrize("key", ["1", "true", "null", "<<", "{a: b}"])
def test_any_key_that_is_not_text_is_refused(tmp_path: Path, key: str) -> None:
    path = tmp_path / "key.yaml"
    path.write_text(f'version: "v1"\nbase: &base {{x: 1}}\n{key}: *base\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line 3, column 1: a key must be text"):
        load_taxonomy(path)


def test_an_alias_inside_its_own_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    path.write_text('version: "v1"\nareas: &loop\n  - *loop\n', encoding="utf-8")
    code, out, _, _ = nvreport("taxonomy", "check", str(path))
    assert code == 1
    assert "self.yaml:3:5: the alias *loop stands inside the value &loop names" in out


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    text = taxonomy(tmp_path).read_text("utf-8")
    text = text.replace(
        "            - Regionen erbjuder hälsosamtal.\n",
        "            - &first Regionen erbjuder hälsosamtal.\n",
    )
    text = text.replace(
        "            - Hälsosamtalen genomförs",
        "            - *first\n            - Hälsosamtalen genomförs",
    )
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_taxonomy(path).themes[0].examples_match[1] == "Regionen erbjuder hälsosamtal."


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_at_the_limit(tmp_path: Path, style: str) -> None:
    depth = 500
    if style == "flow":
        text = 'version: "v1"\nareas: ' + "[" * depth + "]" * depth + "\n"
    else:  # a list of mappings of lists ..., one level a line
        text = 'version: "v1"\nareas:\n' + "".join(
            " " * level + "- x:\n" for level in range(0, depth * 2, 2)
        )
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _, _ = nvreport("taxonomy", "check", str(path))
    assert code == 1
    assert f"values are nested more than {MAX_TAXONOMY_DEPTH} levels deep" in out


def test_a_file_past_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = taxonomy(tmp_path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * MAX_TAXONOMY_BYTES + "\n")
    with pytest.raises(
        TaxonomyError, match=f"a taxonomy may be at most {MAX_TAXONOMY_BYTES // 2**20} MiB"
    ):
        load_taxonomy(path)


def test_messages_about_values_name_no_python_objects(tmp_path: Path) -> None:
    text = taxonomy(tmp_path).read_text("utf-8")
    text = text.replace("framework_area: B", "framework_area: {x: 1}")
    text = text.replace('version: "v1"', "version: 2024-01-01")
    path = tmp_path / "values.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    message = str(raised.value)
    assert "framework_area: should be one of A, B or C, not a mapping" in message
    assert (
        "the taxonomy, version: should be text or a number, not a value of another kind "
        "(a date or binary data)" in message
    )
    assert "{" not in message.split("\n", 1)[1] and "datetime" not in message


# ------------------------------------------------------------------ theme ids (18)


def test_an_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    path = taxonomy(tmp_path, theme_id='"halsosamtal\\n"')
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert "the id 'halsosamtal\\n' may hold only a-z, 0-9 and _" in str(raised.value)
    text = path.read_text("utf-8").replace("id: halsoframjande", 'id: "halsoframjande\\n"')
    path.write_text(text.replace('"halsosamtal\\n"', "halsosamtal"), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line 3, column 9: the id 'halsoframjande\\n'"):
        load_taxonomy(path)


def test_an_id_and_the_same_id_with_a_newline_are_not_two_themes(tmp_path: Path) -> None:
    text = taxonomy(tmp_path).read_text("utf-8")
    theme = text[text.index("      - id: halsosamtal") :]
    path = tmp_path / "twice.yaml"
    path.write_text(text + theme.replace("id: halsosamtal", 'id: "halsosamtal\\n"'), "utf-8")
    with pytest.raises(TaxonomyError, match="may hold only a-z, 0-9 and _"):
        load_taxonomy(path)


# ------------------------------------------------------------------ regular expressions (5)

CATASTROPHIC = ["(a+)+$", "(a|aa)+$", "(.*)*$", r"(\w+\s?)+$", "(a|a)+$", r"(x\w+)+!"]
SAFE = [
    r"(?i)\b(slipper|slapp|sluppit)\s+(\w+\s+){0,2}?(att\s+)?(resa|åka|ta\s+sig)\b",
    r"\b1177\b",
    r"(\w+ )+vård",
    r"(\d+,)+\d",
    r"(a|ab)+c",
    r"vård\w*",
    r"^(\s*-\s*\w+)+$",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_found(pattern: str) -> None:
    assert regex_hazard(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_patterns_without_backtracking_traps_are_kept(pattern: str) -> None:
    assert regex_hazard(pattern) is None


@pytest.mark.parametrize("pattern", SAFE)
def test_kept_patterns_are_fast_on_the_texts_that_trap_the_others(pattern: str) -> None:
    compiled = re.compile(pattern)
    started = time.monotonic()
    for text in ("a" * 5000 + "!", "aa " * 2000 + "!", "1," * 3000, "- ab " * 1000 + "!"):
        list(compiled.finditer(text))
    assert time.monotonic() - started < 5


def test_a_catastrophic_term_is_refused_by_check_tag_and_analyse(tmp_path: Path) -> None:
    path = taxonomy(tmp_path, ["re:(a|aa)+$"])
    code, out, _, _ = nvreport("taxonomy", "check", str(path))
    assert code == 1
    assert "the regular expression 're:(a|aa)+$' of 'halsosamtal' could take hours" in out
    assert (
        f"hostile.yaml:{path.read_text('utf-8').splitlines().index('          - re:(a|aa)+$') + 1}:"
        in out
    )

    passages = tmp_path / "passages.txt"
    passages.write_text("a" * 40 + "!\n", encoding="utf-8")
    code, _, err, _ = nvreport("tag", str(passages), "--taxonomy", str(path))
    assert code == 2
    assert "could take hours" in err

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "Region Test 2023.txt").write_text("a" * 40 + "!\n", "utf-8")
    code, _, err, _ = nvreport(
        "analyse", str(folder), "-o", str(tmp_path / "out"), "--taxonomy", str(path), "-j", "1"
    )
    assert code == 2
    assert "could take hours" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_very_long_pattern_is_refused(tmp_path: Path) -> None:
    path = taxonomy(tmp_path, ["re:" + "(?:ab)" * (MAX_PATTERN_LENGTH // 6 + 1)])
    with pytest.raises(TaxonomyError, match=f"at most {MAX_PATTERN_LENGTH} are allowed"):
        load_taxonomy(path)


def test_every_kind_of_regular_expression_is_analysed_without_error() -> None:
    for pattern in (
        r"(?P<x>a)(?P=x)+",
        r"(a)?(?(1)b|c)+",
        r"(?=a)+b",
        r"(?>a+)+b",
        r"a++b",
        r"[^\W\d]+",
        r"[\u4e00-\u9fff]+",
        r"(?i:ÅÄÖ)+",
        r"\x00+",
        r"(?s:.)+",
    ):
        regex_hazard(pattern)  # must not raise


# ------------------------------------------------------------------ check is linear (6)


def test_check_with_ten_thousand_terms_takes_seconds(tmp_path: Path) -> None:
    path = taxonomy(tmp_path, [f"ordet{number}x" for number in range(10_000)])
    code, out, _, elapsed = nvreport("taxonomy", "check", str(path))
    assert code == 0, out
    assert elapsed < 40


def test_unreachable_terms_are_still_found_among_many(tmp_path: Path) -> None:
    terms = [f"ordet{number}x" for number in range(500)] + ["fast vårdkontakt", "vårdkontakt"]
    terms += ["fast vårdkontakt"]
    path = taxonomy(tmp_path, terms)
    from nvreport.exchange.taxonomy_tools import check_taxonomy

    messages = [finding.message for finding in check_taxonomy(path).findings]
    assert (
        "halsosamtal: the term 'fast vårdkontakt' is unreachable: 'vårdkontakt' already "
        "matches wherever it does" in messages
    )
    assert "halsosamtal: the term 'fast vårdkontakt' is listed twice" in messages
    assert not any("'vårdkontakt' is unreachable" in message for message in messages)


# ------------------------------------------------------------------ taxonomy import (3, 16)


def codebook(path: Path, body: str) -> Path:
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{CODEBOOK_NS}"><Codes>'
        f"{body}</Codes></CodeBook>\n",
        encoding="utf-8",
    )
    return path


def nested(depth: int) -> str:
    return (
        "".join(
            f'<Code guid="{number:08X}-0000-0000-0000-000000000000" name="Kod {number}" '
            'isCodable="true">'
            for number in range(depth)
        )
        + "</Code>" * depth
    )


def test_a_codebook_nested_500_deep_is_refused(tmp_path: Path) -> None:
    path = codebook(tmp_path / "djup.qdc", nested(500))
    code, _, err, _ = nvreport("taxonomy", "import", str(path))
    assert code == 2
    assert f"codes are nested more than {MAX_CODE_DEPTH} levels deep" in err


def test_a_codebook_at_the_depth_limit_imports(tmp_path: Path) -> None:
    path = codebook(tmp_path / "djup.qdc", nested(MAX_CODE_DEPTH))
    data = yaml.safe_load(import_codebook(path))
    assert data["areas"][0]["themes"][0]["label"] == "Kod 1"


def test_a_qdpx_that_unpacks_to_2_gib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdpx"
    chunk = b" " * 2**24
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("project.qde", "w", force_zip64=True) as member,
    ):
        member.write(b'<Project xmlns="urn:QDA-XML:project:1.0">')
        for _ in range(2**31 // len(chunk)):
            member.write(chunk)
        member.write(b"</Project>")
    assert path.stat().st_size < 20 * 2**20
    code, _, err, _ = nvreport("taxonomy", "import", str(path))
    assert code == 2
    assert f"nvreport reads at most {MAX_CODEBOOK_BYTES // 2**20} MiB" in err


def test_a_member_that_unpacks_past_its_declared_size_is_not_read_past_it(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.qdc"
    codebook(
        good,
        '<Code guid="00000000-0000-0000-0000-000000000001" name="Kod" '
        'isCodable="true"/>' + "<!-- " + "x" * 2**20 + " -->",
    )
    path = tmp_path / "lies.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(good, "project.qde")
    data = bytearray(path.read_bytes())
    real = good.stat().st_size.to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    assert data.count(real) == 2  # the local header and the central directory
    path.write_bytes(bytes(data).replace(real, small))
    code, _, err, _ = nvreport("taxonomy", "import", str(path))
    assert code == 2
    assert "cannot read the codebook" in err or "not valid XML" in err


def test_the_xml_after_the_codebook_is_never_read(tmp_path: Path) -> None:
    body = '<Code guid="00000000-0000-0000-0000-000000000001" name="Kod" isCodable="true"/>'
    path = tmp_path / "project.qde"
    path.write_text(
        f'<Project xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes>{body}</Codes></CodeBook>'
        + "<Sources>"
        + "<x/>" * (MAX_CODEBOOK_BYTES // 4 + 1)
        + "</Sources></Project>",
        encoding="utf-8",
    )
    assert yaml.safe_load(import_codebook(path))["areas"][0]["label"] == "Kod"


@pytest.mark.parametrize(
    "name",
    [
        "kod\nfacets:\n  - id: injected",
        "kod\rfacets: []",
        "kod\u2028facets: []",
        "kod\x85facets: []",
        "kod: #x",
        "- [x]",
        "'\"\\",
        "yes",
    ],
)
def test_names_cannot_add_yaml(tmp_path: Path, name: str) -> None:
    escaped = "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in name)
    body = (
        f'<Code guid="00000000-0000-0000-0000-000000000001" name="{escaped}" isCodable="false">'
        f"<Description>{escaped}&#10;facets:&#10;  - x</Description>"
        f'<Code guid="00000000-0000-0000-0000-000000000002" name="{escaped}" isCodable="true">'
        f"<Description>{escaped}</Description></Code></Code>"
    )
    data = yaml.safe_load(import_codebook(codebook(tmp_path / "codebook.qdc", body)))
    assert set(data) == {"version", "name", "areas"}
    assert data["areas"][0]["label"] == name
    assert data["areas"][0]["themes"][0]["label"] == name


def test_a_file_name_with_a_newline_stays_in_its_comment(tmp_path: Path) -> None:
    path = codebook(
        tmp_path / "kod.qdc\nfacets:\n  - id: injected\n    label: x\n    values: []\n#",
        '<Code guid="00000000-0000-0000-0000-000000000001" name="Kod" isCodable="true"/>',
    )
    text = import_codebook(path)
    data = yaml.safe_load(text)
    assert "facets" not in data
    assert data["name"] == path.stem
    code, out, _, _ = nvreport("taxonomy", "import", str(path))
    assert code == 0
    assert "facets" not in yaml.safe_load(out)


# ------------------------------------------------------------------ taxonomy diff (17)


def test_diff_passes_no_option_to_git(tmp_path: Path) -> None:
    target = tmp_path / "written"
    after = taxonomy(tmp_path)
    code, _, err, _ = nvreport(
        "taxonomy", "diff", f"--output={target}:taxonomies/nara-vard.yaml", str(after), cwd=ROOT
    )
    assert code == 2
    assert not target.exists()
    code, _, err, _ = nvreport(
        "taxonomy", "diff", "--", f"--output={target}:x", str(after), cwd=ROOT
    )
    assert code == 2
    assert "not a git revision:path" in err
    assert not target.exists()


def test_diff_against_a_revision_leaves_no_temporary_file(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    code, out, err, _ = nvreport(
        "taxonomy",
        "diff",
        "HEAD:taxonomies/nara-vard.yaml",
        "taxonomies/nara-vard.yaml",
        cwd=ROOT,
        env={"TMPDIR": str(temporary)},
    )
    assert code == 0, err
    assert "Taxonomy change" in out
    assert list(temporary.iterdir()) == []


def test_diff_refuses_a_tree_and_names_no_internals(tmp_path: Path) -> None:
    code, _, err, _ = nvreport(
        "taxonomy", "diff", "HEAD:taxonomies", "taxonomies/nara-vard.yaml", cwd=ROOT
    )
    assert code == 2
    assert "not a file in git (it is a tree)" in err


def test_a_taxonomy_built_in_code_cannot_bring_a_catastrophic_pattern() -> None:
    from nvreport.tagging.terms import compile_term

    with pytest.raises(TaxonomyError, match="nested in a repetition"):
        compile_term("re:(a+)+$")
    assert compile_term(r"re:\b1177\b").pattern is not None
