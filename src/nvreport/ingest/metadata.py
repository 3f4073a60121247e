"""Who wrote a report and for which year: from the manifest, the file name, the
folder, or the report's first pages, in that order.

``manifest.csv`` (optional, in the input folder) has exactly the columns
``file,actor,actor_type,lan,year``; ``file`` is relative to the input folder. A
non-empty manifest cell overrides everything; empty cells are inferred.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from nvreport.errors import UsageError
from nvreport.ingest.gazetteer import ACTOR_TYPES, Actor, Gazetteer
from nvreport.models import DocumentMeta, SourceFile

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "actor", "actor_type", "lan", "year")
FIRST_YEAR, LAST_YEAR = 2010, 2040

_YEAR = re.compile(r"(?<!\d)(20[1-4]\d)(?!\d)")
_DATE = re.compile(r"(?<!\d)20[1-4]\d-\d{2}-\d{2}(?!\d)")
# A year named as the year reported on: "Helårsredovisning 2022", "verksamhetsåret 2022".
_REPORTED_YEAR = re.compile(
    r"(?:redovisning|rapport|uppföljning|verksamhetsåret|verksamhetsår|året|överenskommelsen)"
    r"[^\n.;]{0,40}?(?<!\d)(20[1-4]\d)(?!\d)(?!-\d)"
    r"|(?<!\d)(20[1-4]\d) års (?:redovisning|rapport|arbete|insatser|överenskommelse)",
    re.IGNORECASE,
)


#: Characters no name of an actor, län or file holds on purpose: C0 and C1 control
#: characters (a terminal runs ESC sequences; openpyxl refuses most of them) and the
#: marks and overrides that turn text right to left ("Region Hal\u202ednall" shows
#: as another name than it is).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """A metadata value (an actor, a län, a name made from a file name) as one line of
    plain text: control and bidirectional formatting characters left out, tabs and
    line breaks made spaces, runs of spaces made one."""
    return " ".join(_CONTROL.sub("", value).split())


@dataclass(frozen=True)
class ManifestRow:
    actor: str
    actor_type: str
    lan: str
    year: int | None


def read_manifest(root: Path) -> dict[str, ManifestRow]:
    """Read ``root/manifest.csv`` if there is one, keyed by ``file``.

    Accepts what Excel writes: a BOM, Windows-1252, and ``;`` as separator.
    Raises :class:`UsageError` naming the file, line and problem when it is malformed.
    """
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = tuple(name.strip() for name in (reader.fieldnames or ()))
    if sorted(columns) != sorted(MANIFEST_COLUMNS):
        raise UsageError(
            f"{path}: the columns must be exactly {','.join(MANIFEST_COLUMNS)}; "
            f"found {','.join(columns) or 'none'}"
        )
    rows: dict[str, ManifestRow] = {}
    for line, record in enumerate(reader, start=2):
        record = {
            key.strip(): (value or "") if key.strip() == "file" else clean_text(value or "")
            for key, value in record.items()
            if key
        }
        record["file"] = record["file"].strip()  # matched against the file's own name
        file = PurePosixPath(record["file"].replace("\\", "/")).as_posix()
        if not record["file"]:
            raise UsageError(f"{path}, line {line}: the file column is empty")
        actor_type = record["actor_type"].lower()
        if actor_type and actor_type not in ACTOR_TYPES:
            raise UsageError(
                f"{path}, line {line}: actor_type must be one of {', '.join(ACTOR_TYPES)}; "
                f'found "{record["actor_type"]}"'
            )
        year: int | None = None
        if record["year"]:
            if not (record["year"].isdigit() and FIRST_YEAR <= int(record["year"]) <= LAST_YEAR):
                raise UsageError(
                    f"{path}, line {line}: year must be a year such as 2022; "
                    f'found "{record["year"]}"'
                )
            year = int(record["year"])
        if file in rows:
            raise UsageError(f"{path}, line {line}: {file} is listed twice")
        rows[file] = ManifestRow(record["actor"], actor_type, record["lan"], year)
    return rows


def year_from_name(name: str) -> int | None:
    """The year in a file or folder name: "Skåne_2022_slutrapport" -> 2022.

    With several years ("2021-2022"), the last one is the year reported on.
    """
    years = [int(year) for year in _YEAR.findall(name)]
    return years[-1] if years else None


def year_from_text(text: str) -> int | None:
    """The year a report covers, from its first pages.

    A year named with the report ("Helårsredovisning 2022") wins; otherwise the year
    mentioned most often, dates left out (a report on 2022 is often dated 2023).
    """
    match = _REPORTED_YEAR.search(text)
    if match:
        return int(match.group(1) or match.group(2))
    counts: dict[int, int] = {}
    for year in _YEAR.findall(_DATE.sub(" ", text)):
        counts[int(year)] = counts.get(int(year), 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], -year))


def infer_metadata(
    source: SourceFile,
    root: Path,
    first_text: str,
    gazetteer: Gazetteer,
    manifest: ManifestRow | None = None,
) -> tuple[DocumentMeta, list[str]]:
    """Work out actor, actor type, län and year; return them with warnings for gaps."""
    fields: dict[str, tuple[object, str]] = {}
    if manifest is not None:
        for name in ("actor", "actor_type", "lan", "year"):
            value = getattr(manifest, name)
            if value not in ("", None):
                fields[name] = (value, "manifest")

    if "actor" not in fields or "actor_type" not in fields or "lan" not in fields:
        hint_type = str(fields.get("actor_type", ("", ""))[0])
        found: Actor | None = None
        source_name = "unknown"
        if "actor" in fields:
            found = gazetteer.identify(str(fields["actor"][0]), hint_type)
            source_name = "manifest"
        if found is None:
            found = gazetteer.from_filename(PurePosixPath(source.relpath).stem, hint_type)
            source_name = "filename"
        if found is None and first_text:
            found = gazetteer.from_text(first_text)
            source_name = "text"
        if found is not None:
            fields.setdefault("actor", (found.name, source_name))
            fields.setdefault("actor_type", (found.actor_type, source_name))
            fields.setdefault("lan", (found.lan, source_name))
    if "lan" in fields and fields["lan"][1] == "manifest":
        lan = gazetteer.lan_named(str(fields["lan"][0]))
        if lan is not None:
            fields["lan"] = (lan.name, "manifest")

    if "year" not in fields:
        name_year = year_from_name(PurePosixPath(source.relpath).name)
        if name_year is not None:
            fields["year"] = (name_year, "filename")
        else:
            folders = [*PurePosixPath(source.relpath).parent.parts[::-1], root.resolve().name]
            folder_year = next((y for part in folders if (y := year_from_name(part))), None)
            if folder_year is not None:
                fields["year"] = (folder_year, "folder")
            elif (text_year := year_from_text(first_text)) is not None:
                fields["year"] = (text_year, "text")

    warnings = [
        f"could not tell the {label}; recorded as unknown"
        for name, label in (
            ("actor", "actor"),
            ("actor_type", "actor type"),
            ("lan", "län"),
            ("year", "year"),
        )
        if name not in fields
    ]
    meta = DocumentMeta(
        actor=clean_text(str(fields.get("actor", ("", ""))[0])),
        actor_type=clean_text(str(fields.get("actor_type", ("", ""))[0])),
        lan=clean_text(str(fields.get("lan", ("", ""))[0])),
        year=fields["year"][0] if "year" in fields else None,  # type: ignore[arg-type]
        actor_source=fields.get("actor", ("", "unknown"))[1],
        actor_type_source=fields.get("actor_type", ("", "unknown"))[1],
        lan_source=fields.get("lan", ("", "unknown"))[1],
        year_source=fields.get("year", ("", "unknown"))[1],
    )
    return meta, warnings
