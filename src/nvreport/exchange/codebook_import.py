"""A REFI-QDA codebook (``.qdc``, or the codebook of a ``.qdpx`` project) read back as a taxonomy.

:func:`import_codebook` turns another QDA tool's codes into the YAML of an nvreport
taxonomy, for an analyst to review: codes become themes (their parents areas), and what
nvreport wrote into a code's description on export (terms, excludes, ids) is read back.
The file is parsed with limits on its size, depth and number of codes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nvreport.exchange.qda import QdaError
from nvreport.exchange.refi import (
    AREA_PREFIX,
    EXCLUDE_PREFIX,
    FACET_PREFIX,
    FRAMEWORK_PREFIX,
    ID_FORM,
    ID_PREFIX,
    MATCH_PREFIX,
    MISSING_DESCRIPTION,
    NEAR_PREFIX,
    NO_MATCH_PREFIX,
    PROJECT_FILE,
    TERMS_PREFIX,
    parse_items,
    parse_near,
    split_old_near,
)
from nvreport.tagging.taxonomy import SUBTHEME, THEME

# ---------------------------------------------------------------- codebook import


@dataclass
class _ImportedCode:
    name: str
    description: str
    children: list[_ImportedCode]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


#: Limits of ``taxonomy import`` (issue 17: a hostile codebook must not crash, hang
#: or take all memory). Codes nested deeper than this are refused: a codebook made by
#: a QDA program has two to five levels.
MAX_CODE_DEPTH = 50
#: Bytes of XML read, unpacked, up to the end of the codebook (a ``.qdpx`` member's
#: declared size counts too): a codebook is kilobytes, a project's XML before it small.
MAX_CODEBOOK_BYTES = 64 * 2**20
#: Codes in a codebook.
MAX_CODES = 100_000
_CHUNK = 2**20


def _read_code(element: ET.Element) -> _ImportedCode:
    """The code and its subcodes (depth checked while parsing: at most
    :data:`MAX_CODE_DEPTH`, so this recursion stays shallow)."""
    description = _child(element, "Description")
    return _ImportedCode(
        name=(element.get("name") or "").strip(),
        description=(description.text or "") if description is not None else "",
        children=[_read_code(child) for child in element if _local(child.tag) == "Code"],
    )


def _xml_stream(path: Path) -> tuple[zipfile.ZipFile | None, io.BufferedIOBase]:
    """The codebook's XML as a stream: the file, or a ``.qdpx``'s ``project.qde``
    (refused when its declared size passes :data:`MAX_CODEBOOK_BYTES`)."""
    if not zipfile.is_zipfile(path):
        return None, path.open("rb")
    archive = zipfile.ZipFile(path)
    try:
        info = archive.getinfo(PROJECT_FILE)
        if info.file_size > MAX_CODEBOOK_BYTES:
            raise QdaError(
                f"{path}: {PROJECT_FILE} would unpack to {info.file_size / 2**20:,.0f} MiB: "
                f"nvreport reads at most {MAX_CODEBOOK_BYTES // 2**20} MiB of it"
            )
        return archive, archive.open(info)
    except BaseException:
        archive.close()
        raise


def _parse_codebook(path: Path) -> ET.Element:
    """The ``CodeBook`` element (or a root without one), parsed as a stream that stops
    at the codebook's end; at most :data:`MAX_CODEBOOK_BYTES` are read, whatever a
    zip member declares, and codes at most :data:`MAX_CODE_DEPTH` deep."""
    parser = ET.XMLPullParser(events=("start", "end"))
    archive, stream = _xml_stream(path)
    root: ET.Element | None = None
    codebook: ET.Element | None = None
    depth = deepest = codes = 0
    read = 0
    try:
        with stream:
            while codebook is None:
                chunk = stream.read(_CHUNK)
                read += len(chunk)
                if read > MAX_CODEBOOK_BYTES:
                    raise QdaError(
                        f"{path}: the codebook's XML runs past "
                        f"{MAX_CODEBOOK_BYTES // 2**20} MiB unpacked: nvreport reads no more"
                    )
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, element in parser.read_events():
                    name = _local(element.tag)
                    if event == "start":
                        root = root if root is not None else element
                        if name == "Code":
                            depth += 1
                            codes += 1
                            deepest = max(deepest, depth)
                        continue
                    if name == "Code":
                        depth -= 1
                    if name == "CodeBook" or element is root:
                        codebook = element
                        break
                if deepest > MAX_CODE_DEPTH:
                    raise QdaError(
                        f"{path}: codes are nested more than {MAX_CODE_DEPTH} levels deep: "
                        f"nvreport reads at most {MAX_CODE_DEPTH}"
                    )
                if codes > MAX_CODES:
                    raise QdaError(
                        f"{path}: the codebook has more than {MAX_CODES:,} codes: "
                        "nvreport reads no more"
                    )
                if not chunk:
                    break
    except (OSError, KeyError, zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise QdaError(f"{path}: cannot read the codebook: {_reason(error)}") from None
    except ET.ParseError as error:
        raise QdaError(f"{path}: not valid XML: {error}") from None
    except (RuntimeError, NotImplementedError, EOFError, zlib.error) as error:
        # zipfile: an encrypted member, an unknown compression, a truncated stream
        raise QdaError(f"{path}: cannot read the codebook: {_reason(error)}") from None
    finally:
        if archive is not None:
            archive.close()
    if codebook is None:
        raise QdaError(f"{path}: not valid XML: the document ends before its root closes")
    return codebook


def _reason(error: BaseException) -> str:
    """What went wrong, in words: the message without Python's class name or repr."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, KeyError):
        return f"the archive has no {PROJECT_FILE}"
    text = str(error).strip().strip("'\"")
    return text or "the file is damaged"


def _read_codes(path: Path) -> list[_ImportedCode]:
    """The top-level codes of a ``.qdc`` codebook, a ``.qde`` project or a ``.qdpx``."""
    element = _parse_codebook(path)
    codebook = element if _local(element.tag) == "CodeBook" else None
    codes = _child(codebook, "Codes") if codebook is not None else None
    if codes is None:
        raise QdaError(f"{path}: not a REFI-QDA codebook (no CodeBook/Codes element)")
    return [_read_code(child) for child in codes if _local(child.tag) == "Code"]


@dataclass
class _Description:
    """A code's description split into the text and nvreport's lines (the prefixes
    of :mod:`nvreport.exchange.refi`)."""

    text: str = ""
    entry_id: str = ""
    area_id: str = ""
    facet_id: str = ""
    terms: list[str] = field(default_factory=list)
    near: list[tuple[str, list[str], int]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    framework_area: str = ""
    match: list[str] = field(default_factory=list)
    no_match: list[str] = field(default_factory=list)
    #: lines that start with a prefix but cannot be read: kept in a comment
    unread: list[str] = field(default_factory=list)


def _after(line: str, prefix: str) -> str | None:
    """What follows ``prefix`` (its trailing space optional) on ``line``, or None."""
    head = prefix.strip()
    return line[len(head) :].strip() if line.startswith(head) else None


def _split_description(description: str) -> _Description:
    result = _Description()
    kept = []
    for line in description.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if (value := _after(stripped, ID_PREFIX)) is not None:
            result.entry_id = value
        elif (value := _after(stripped, AREA_PREFIX)) is not None:
            result.area_id = value
        elif (value := _after(stripped, FACET_PREFIX)) is not None:
            result.facet_id = value
        elif (value := _after(stripped, TERMS_PREFIX)) is not None:
            for item in parse_items(value):
                if (old_rule := split_old_near(item)) is not None:
                    result.near.append(old_rule)  # as nvreport wrote it before 2026.2
                else:
                    result.terms.append(item)
        elif (value := _after(stripped, NEAR_PREFIX)) is not None:
            rule = parse_near(value)
            if rule is not None and rule[1]:
                result.near.append(rule)
            else:
                result.unread.append(stripped)
        elif (value := _after(stripped, EXCLUDE_PREFIX)) is not None:
            result.exclude += parse_items(value)
        elif (value := _after(stripped, FRAMEWORK_PREFIX)) is not None:
            if value in ("A", "B", "C"):
                result.framework_area = value
            else:
                result.unread.append(stripped)
        elif (value := _after(stripped, MATCH_PREFIX)) is not None:
            if value:
                result.match.append(value)
        elif (value := _after(stripped, NO_MATCH_PREFIX)) is not None:
            if value:
                result.no_match.append(value)
        else:
            kept.append(stripped)
    result.text = " ".join(" ".join(kept).split())
    return result


_TRANSLITERATION = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})


def _slug(name: str) -> str:
    """An id from a code name: lower-case ASCII, å/ä to a, ö to o, the rest to ``_``."""
    text = name.lower().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "kod"


def _unique(preferred: str, name: str, taken: set[str]) -> str:
    """``preferred`` (an ``nvreport-id``) if usable, else the name's slug, made unique."""
    base = preferred if ID_FORM.fullmatch(preferred or "") else _slug(name)
    chosen, number = base, 2
    while chosen in taken:
        chosen, number = f"{base}_{number}", number + 1
    taken.add(chosen)
    return chosen


_INFINITE = float("inf")
# What YAML takes as a line break, or refuses in a stream, besides \n and \r.
_NOT_IN_COMMENT = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _yaml(text: str) -> str:
    """``text`` as a YAML scalar, written by PyYAML's emitter: plain when that is safe,
    else quoted with escapes, never with a raw line break (a code or file name must
    not be able to add keys to the skeleton)."""
    dump = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=_INFINITE)
    scalar = dump.strip()[1:-1]
    if any(character in scalar for character in "\n\r\x85\u2028\u2029"):
        dump = yaml.safe_dump(
            [text], default_flow_style=True, default_style='"', allow_unicode=True, width=_INFINITE
        )
        scalar = dump.strip()[1:-1]
    return scalar


def _comment(text: str) -> str:
    """``text`` fit for a YAML comment: on one line, without characters YAML refuses."""
    return _NOT_IN_COMMENT.sub("\ufffd", " ".join(text.split()))


def _descendants(code: _ImportedCode, trail: tuple[str, ...] = ()) -> list[str]:
    names = []
    for child in code.children:
        names.append(" > ".join((*trail, child.name)))
        names += _descendants(child, (*trail, child.name))
    return names


def _list_lines(indent: str, key: str, items: list[str]) -> list[str]:
    """``key:`` and its items, one per line, each through the YAML emitter."""
    if not items:
        return [f"{indent}{key}: []"]
    return [f"{indent}{key}:", *(f"{indent}  - {_yaml(item)}" for item in items)]


def _is_subtheme(code: _ImportedCode) -> bool:
    """A code inside a theme that nvreport exported as a sub-theme (it has an id)."""
    return bool(_split_description(code.description).entry_id)


def _entry_lines(
    code: _ImportedCode,
    entry_id: str,
    kind: str,
    indent: str,
    taken: set[str],
    note: str = "",
) -> list[str]:
    parts = _split_description(code.description)
    lines = []
    if note:
        lines.append(f"{indent}# {_comment(note)}")
    subthemes = [child for child in code.children if kind == THEME and _is_subtheme(child)]
    flattened = _ImportedCode(
        code.name, code.description, [c for c in code.children if c not in subthemes]
    )
    merged = _descendants(flattened)
    if merged:
        lines.append(f"{indent}# Subcodes flattened into this theme: {_comment('; '.join(merged))}")
    for unread in parts.unread:
        lines.append(f"{indent}# Not understood in the codebook: {_comment(unread)}")
    lines.append(f"{indent}- id: {_yaml(entry_id)}")
    inner = indent + "  "
    lines.append(f"{inner}label: {_yaml(code.name or entry_id)}")
    if kind == THEME:
        lines.append(f"{inner}description: {_yaml(parts.text or MISSING_DESCRIPTION)}")
        lines.append(f"{inner}framework_area: {parts.framework_area or 'B'}")
    else:
        if parts.text:
            lines.append(f"{inner}description: {_yaml(parts.text)}")
        if parts.framework_area and kind != SUBTHEME:
            lines.append(f"{inner}framework_area: {parts.framework_area}")
    lines += _list_lines(inner, "terms", parts.terms)
    if parts.exclude:
        lines += _list_lines(inner, "exclude", parts.exclude)
    if parts.near:
        lines.append(f"{inner}near:")
        for term, near, window in parts.near:
            lines.append(f"{inner}  - term: {_yaml(term)}")
            lines += _list_lines(inner + "    ", "near", near)
            lines.append(f"{inner}    window: {window}")
    if parts.match or parts.no_match:
        lines.append(f"{inner}examples:")
        lines += _list_lines(inner + "  ", "match", parts.match)
        lines += _list_lines(inner + "  ", "no_match", parts.no_match)
    elif kind in (THEME, SUBTHEME):
        lines.append(f"{inner}examples: {{match: [], no_match: []}}")
    if subthemes:
        lines.append(f"{inner}subthemes:")
        for sub in subthemes:
            sub_id = _unique(_split_description(sub.description).entry_id, sub.name, taken)
            lines += _entry_lines(sub, sub_id, SUBTHEME, inner + "  ", taken)
    return lines


def import_codebook(path: Path) -> str:
    """A taxonomy skeleton, as YAML text, from a REFI-QDA codebook made elsewhere.

    ``path`` is a ``.qdc`` codebook (a ``.qde`` project or ``.qdpx`` archive also
    works: its codebook is read). Top-level codes become areas and the codes nested
    in them themes; a code inside a theme with an ``nvreport-id:`` line becomes a
    sub-theme, other deeper codes are flattened into their theme, named in a comment.
    A top-level code without subcodes becomes an area with one theme of the same
    name. Top-level codes marked ``nvreport-facet:`` (as :func:`export_codebook`
    writes them) become facets with their values.

    Ids come from the ``nvreport-id:`` (``-area:``, ``-facet:``) lines of the
    descriptions when present, else from the names: lower-case ASCII, å and ä to
    ``a``, ö to ``o``, anything else to ``_``, made unique with ``_2``, ``_3`` …
    Terms, near rules, excludes, the framework area and example sentences are read
    from the description lines :func:`export_codebook` writes (``Termer:``,
    ``Nära:``, ``Undantag:``, ``Ramverksområde:``, ``Exempel:``, ``Motexempel:``;
    see :mod:`nvreport.exchange.refi`), so an exported taxonomy imports whole. What
    a description does not say is left empty (``framework_area: B``), for the
    analyst to fill in before ``nvreport taxonomy check`` passes.
    Raises :class:`QdaError` for a file that is not a REFI-QDA codebook.
    """
    path = Path(path)
    codes = _read_codes(path)
    if not codes:
        raise QdaError(f"{path}: the codebook has no codes")
    groups_taken: set[str] = set()
    entries_taken: set[str] = set()
    areas: list[str] = []
    facets: list[str] = []
    for code in codes:
        parts = _split_description(code.description)
        is_facet = bool(parts.facet_id) and bool(code.children)
        group_id = _unique(parts.facet_id or parts.area_id, code.name, groups_taken)
        lines = [f"  - id: {_yaml(group_id)}", f"    label: {_yaml(code.name or group_id)}"]
        if parts.text:
            lines.append(f"    description: {_yaml(parts.text)}")
        lines.append("    values:" if is_facet else "    themes:")
        kind = "facet" if is_facet else THEME
        if code.children:
            for child in code.children:
                child_parts = _split_description(child.description)
                entry_id = _unique(child_parts.entry_id, child.name, entries_taken)
                lines += _entry_lines(child, entry_id, kind, "      ", entries_taken)
        else:
            entry_id = _unique(parts.entry_id, code.name, entries_taken)
            alone = _ImportedCode(code.name, code.description, [])
            note = f"«{code.name}» has no subcodes in the codebook: it is the area's only theme."
            lines += _entry_lines(alone, entry_id, THEME, "      ", entries_taken, note)
        (facets if is_facet else areas).append("\n".join(lines))

    header = [
        "# Taxonomy skeleton imported by nvreport from the REFI-QDA codebook "
        f"{_comment(path.name)}.",
        "#",
        "# Check it with `nvreport taxonomy check` and complete what it finds missing.",
        "# What the codebook's descriptions say in nvreport's lines (Termer, Nära,",
        "# Undantag, Ramverksområde, Exempel, Motexempel) is imported as terms, near",
        "# rules, excludes, framework_area and examples; what they do not say is left",
        "# empty, and framework_area is then B. Every theme and facet value needs",
        "# terms, every theme and sub-theme five `match` and five `no_match` example",
        "# sentences. Format: README, section 'Taxonomy format'.",
        "",
        'version: "0.1"',
        f"name: {_yaml(path.stem)}",
        "areas:" if areas else "areas: []",
    ]
    text = "\n".join(header) + "\n" + "".join(area + "\n" for area in areas)
    if facets:
        text += "facets:\n" + "\n".join(facets) + "\n"
    return text
