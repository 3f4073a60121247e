"""Hostile files for the DOCX, HTML and text readers (issue 17): none may crash, hang,
take all memory or lose the text around what is wrong, and a failure a limit caused
is not kept (``transient``). Every file is made here; the Swedish text was written
for these tests."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.readers import docx as docx_reader
from nvreport.ingest.readers.docx import read_docx
from nvreport.models import Block, BlockKind

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
TEXT = "Region Jönköpings län erbjuder hälsosamtal till alla som fyller fyrtio år."


def package_items(path: Path) -> dict[str, bytes]:
    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as package:
        return {member.filename: package.read(member.filename) for member in package.infolist()}


def write_package(path: Path, items: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        for name, data in items.items():
            package.writestr(name, data)
    return path


def word_document(path: Path, body: str, doctype: str = "") -> Path:
    """A Word document whose body is ``body`` (WordprocessingML)."""
    items = package_items(path)
    items["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()
    return write_package(path, items)


def with_headers(path: Path, count: int, size: int) -> Path:
    """A document with ``count`` header parts of ``size`` bytes of dense XML each,
    named ``.bin``: each packs to about a thousandth of its size."""
    items = package_items(path)
    start, end = f'<w:hdr xmlns:w="{W_NS}">'.encode(), b"</w:hdr>"
    header = start + b"<w:p/>" * ((size - len(start) - len(end)) // 6) + end
    types = items["[Content_Types].xml"].decode()
    relationships = items["word/_rels/document.xml.rels"].decode()
    types = types.replace(
        "</Types>",
        "".join(
            f'<Override PartName="/word/header{n}.bin" ContentType="{HEADER_TYPE}"/>'
            for n in range(count)
        )
        + "</Types>",
    )
    relationships = relationships.replace(
        "</Relationships>",
        "".join(
            f'<Relationship Id="rIdH{n}" Type="{RELATIONSHIPS}/header" Target="header{n}.bin"/>'
            for n in range(count)
        )
        + "</Relationships>",
    )
    items["[Content_Types].xml"] = types.encode()
    items["word/_rels/document.xml.rels"] = relationships.encode()
    items["word/document.xml"] = (
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    for n in range(count):
        items[f"word/header{n}.bin"] = header
    return write_package(path, items, level=9)


# -- zip bombs: every part counts, and a limit's refusal is not kept ---------------


def test_header_parts_named_bin_count_towards_the_limit(tmp_path: Path) -> None:
    """300 header parts of a megabyte each, named ``.bin``: a file of half a megabyte
    that unpacks to 300 MB of XML (and would parse to gigabytes)."""
    path = with_headers(tmp_path / "rubriker.docx", 300, 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    reason = caught.value.reason
    assert reason.startswith("looks like a zip bomb: it would unpack to 301 MB")
    assert "more than the limit of 200 MB" in reason
    assert caught.value.transient  # another run, with other limits, reads it again


def test_parts_the_reader_does_not_use_are_never_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headers under the limit are left packed: the body reads, and what was unpacked
    is the few parts the reader uses."""
    path = with_headers(tmp_path / "rubriker.docx", 20, 1024 * 1024)
    unpacked: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        unpacked.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert read_docx(path).blocks == (Block(BlockKind.PARAGRAPH, TEXT),)
    assert not [name for name in unpacked if "header" in name]


def test_the_limit_holds_while_unpacking_whatever_the_sizes_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is kept on the bytes actually unpacked too, part by part."""
    path = word_document(
        tmp_path / "stor.docx",
        "".join(f"<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>" for _ in range(400)),
    )
    monkeypatch.setattr(docx_reader, "_is_textual", lambda member: False)  # sizes "lie"
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED_BYTES", 20_000)
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason == (
        "looks like a zip bomb: its XML unpacks to more than the limit of 0 MB"
    )
    assert caught.value.transient


def test_a_part_that_unpacks_past_its_declared_size_is_not_read_past_it(tmp_path: Path) -> None:
    """word/document.xml declares a kilobyte in the zip's directory but inflates to
    far more: nothing past the kilobyte is unpacked, and the file is damaged."""
    path = word_document(
        tmp_path / "ljuger.docx",
        "".join(f"<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>" for _ in range(2000)),
    )
    data = bytearray(path.read_bytes())
    name = data.rfind(b"word/document.xml")  # in the central directory, at the end
    entry = name - 46  # the directory entry starts 46 bytes before its file name
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 24 : entry + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as package:
        assert package.getinfo("word/document.xml").file_size == 1024
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason == (
        "not a valid Word document (a part of its zip archive is damaged)"
    )
    assert not caught.value.transient
    # even were its checksum to match, no more than the kilobyte would be unpacked
    unpacked: list[int] = []
    original = zipfile.ZipExtFile.read

    def counted(self, n=-1):  # type: ignore[no-untyped-def]
        chunk = original(self, n)
        if self.name == "word/document.xml":
            unpacked.append(len(chunk))
        return chunk

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipExtFile, "read", counted)
        patch.setattr(zipfile.ZipExtFile, "_update_crc", lambda self, data: None)
        with pytest.raises(
            UnreadableDocumentError, match=r"not a valid Word document \(broken XML"
        ):
            read_docx(path)
    assert sum(unpacked) == 1024


def test_running_out_of_memory_is_a_transient_failure_not_broken_xml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = word_document(tmp_path / "minne.docx", f"<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>")
    for failure in (MemoryError(), etree.XMLSyntaxError("unknown error", 1, 0, 0)):

        def fail(document, failure=failure):  # type: ignore[no-untyped-def]
            raise failure

        monkeypatch.setattr(docx_reader, "_Extras", fail)
        with pytest.raises(UnreadableDocumentError) as caught:
            read_docx(path)
        assert caught.value.transient
        assert "ran out of memory" in caught.value.reason
        assert "broken XML" not in caught.value.reason


def test_a_document_too_large_for_the_memory_limit_fails_transiently(tmp_path: Path) -> None:
    """In a process whose address space is capped, as the pipeline's workers are, a
    document whose XML parses to more than the cap fails as "ran out of memory"."""
    path = tmp_path / "många stycken.docx"
    items = package_items(path)
    draw = random.Random(17)
    paragraphs = b"".join(b'<w:p w:rsidR="%08X"/>' % draw.getrandbits(32) for _ in range(1_500_000))
    items["word/document.xml"] = (
        f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + paragraphs + b"</w:body></w:document>"
    )
    write_package(path, items, level=1)
    script = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from nvreport.ingest.readers.docx import read_docx
        from nvreport.errors import UnreadableDocumentError
        resource.setrlimit(resource.RLIMIT_AS, (450 * 2**20, resource.RLIM_INFINITY))
        try:
            read_docx(Path({str(path)!r}))
        except UnreadableDocumentError as error:
            print(error.transient, error.reason)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.startswith("True too large to read: it ran out of memory"), (
        done.stdout + done.stderr
    )


# -- malformed values and entities: the text stays ------------------------------


@pytest.mark.parametrize(
    "properties",
    ['<w:sz w:val="22.5"/>', '<w:b w:val=""/>', '<w:sz w:val="abc"/>', '<w:i w:val="kanske"/>'],
)
def test_a_malformed_formatting_value_is_ignored_and_the_text_kept(
    tmp_path: Path, properties: str
) -> None:
    path = word_document(
        tmp_path / "formatering.docx",
        f"<w:p><w:r><w:rPr>{properties}</w:rPr><w:t>Fast vårdkontakt</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>",
    )
    texts = [block.text for block in read_docx(path).blocks]
    assert texts == ["Fast vårdkontakt", TEXT]


def test_a_malformed_value_in_a_style_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "stil.docx"
    items = package_items(path)
    styles = items["word/styles.xml"].decode()
    styles = styles.replace(
        "</w:styles>",
        (
            '<w:style w:type="character" w:styleId="Fet"><w:name w:val="Fet"/>'
            '<w:rPr><w:b w:val="ja"/><w:sz w:val="tjugo"/></w:rPr></w:style></w:styles>'
        ),
    )
    items["word/styles.xml"] = styles.encode()
    items["word/document.xml"] = (
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        '<w:p><w:r><w:rPr><w:rStyle w:val="Fet"/></w:rPr><w:t>Mobila team</w:t></w:r></w:p>'
        f"<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    write_package(path, items)
    assert [block.text for block in read_docx(path).blocks] == ["Mobila team", TEXT]


def test_the_text_around_an_unresolved_entity_is_kept_and_the_entity_never_resolved(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT-INNEHÅLL", encoding="utf-8")
    doctype = (
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        '<!ENTITY natt SYSTEM "http://127.0.0.1:9/dtd">'
        '<!ENTITY intern "Region Kalmar län">]>'
    )
    path = word_document(
        tmp_path / "entitet.docx",
        "<w:p><w:r><w:t>XXE[&xxe;]Region Jönköpings län</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Nätet &natt; och &intern; erbjuder hälsosamtal.</w:t></w:r></w:p>",
        doctype,
    )
    result = read_docx(path)
    assert [block.text for block in result.blocks] == [
        "XXE[]Region Jönköpings län",
        "Nätet och erbjuder hälsosamtal.",
    ]
    assert result.account is not None and result.account.layer_words == 8


# -- messages in plain words ----------------------------------------------------


def test_messages_name_no_python_internals(tmp_path: Path) -> None:
    """A part python-docx cannot make sense of is described in words, without
    exception names or Python's own phrasing."""
    path = tmp_path / "utan typ.docx"
    items = package_items(path)
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"word/document.xml", b"word/annat.xml"
    )
    write_package(path, items)
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    reason = caught.value.reason
    assert reason.startswith("not a valid Word document (")
    for internal in ("Error", "KeyError", "'", "<", "PackURI", "invalid literal", "partname"):
        assert internal not in reason, reason
