"""A report written the way regions write theirs, in Word, with a contents page and
numbered headings, sent as the Word file and as LibreOffice's PDF of it: both read
every word, give the same themes, sections and pages (issue 15)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from nvreport.analysis.document import read_document
from nvreport.analysis.run import analyse_folder
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.passages import split_passages
from nvreport.models import SourceFile
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

TITLE = "Region Testberga"
SUBTITLE = "Redovisning av arbetet med god och nära vård 2022"

#: (number, heading, level, paragraphs); each chapter (level 1) starts a new page
CHAPTERS = [
    (
        "1.",
        "Inledning",
        1,
        [
            "Region Testberga redovisar i denna rapport hur arbetet med omställningen till "
            "en god och nära vård har bedrivits under verksamhetsåret. Redovisningen har "
            "tagits fram i samverkan med länets kommuner.",
        ],
    ),
    (
        "2.",
        "Personcentrerat arbetssätt",
        1,
        [
            "Regionen har under året fortsatt att utbilda medarbetare i personcentrerat "
            "arbetssätt, och samtliga vårdcentraler har deltagit i utbildningen.",
        ],
    ),
    (
        "2.1",
        "Fast vårdkontakt",
        2,
        [
            "Alla patienter med kroniska sjukdomar erbjuds en fast vårdkontakt på sin "
            "vårdcentral. Kontakten samordnar vården och följer upp patientens plan.",
        ],
    ),
    (
        "2.2",
        "Mobila team",
        2,
        [
            "Mobila team med sjuksköterskor och läkare besöker sköra äldre i hemmet. "
            "Teamen arbetar tillsammans med den kommunala hemsjukvården.",
        ],
    ),
    (
        "3.",
        "Hälsofrämjande arbete",
        1,
        [
            "Regionen planerar att införa riktade hälsosamtal för invånare som fyller "
            "40, 50 och 60 år. Införandet påbörjas under nästa verksamhetsår.",
            "Fysisk aktivitet på recept förskrivs vid samtliga vårdcentraler och följs "
            "upp av fysioterapeuter.",
        ],
    ),
]


def _heading(number: str, text: str) -> str:
    return f"{number} {text}"


def _write_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(SUBTITLE)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Innehåll:").runs[0].bold = True
    page = 3
    for number, text, level, _ in CHAPTERS:
        if level == 1 and number != "1.":
            page += 1
        indent = "    " if level == 2 else ""
        document.add_paragraph(f"{indent}{_heading(number, text)} {'.' * 30} {page}")
    for number, text, level, paragraphs in CHAPTERS:
        if level == 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(_heading(number, text), level=level)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("needs LibreOffice (soffice)")
    folder = tmp_path_factory.mktemp("region")
    (folder / "word").mkdir()
    word = _write_docx(folder / "word" / "Region Testberga 2022.docx")
    pdf_folder = folder / "pdf"
    pdf_folder.mkdir()
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_folder),
            str(word),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return {"docx": word, "pdf": pdf_folder / "Region Testberga 2022.pdf"}


def _passages(path: Path):
    result = read_document(SourceFile(path, path.name))
    return result, split_passages("d", result.blocks)


def test_the_pdf_keeps_every_chapter_after_its_contents_page(reports) -> None:
    result, passages = _passages(reports["pdf"])
    texts = " ".join(passage.text for passage in passages)
    for _, _, _, paragraphs in CHAPTERS:
        for paragraph in paragraphs:
            assert paragraph in texts
    # the contents entries are not passages
    assert not any("....." in passage.text for passage in passages)
    assert result.account is not None
    assert result.account.page_words[1] > 0  # the contents page's words were read


def test_numbered_headings_open_sections_with_their_numbers(reports) -> None:
    for kind in ("docx", "pdf"):
        _, passages = _passages(reports[kind])
        teams = next(passage for passage in passages if passage.text.startswith("Mobila team med"))
        assert teams.section == "2. Personcentrerat arbetssätt > 2.2 Mobila team", kind
        headings = [passage.text for passage in passages if passage.kind.value == "heading"]
        assert [_heading(number, text) for number, text, *_ in CHAPTERS] == [
            heading for heading in headings if heading[0].isdigit()
        ], kind


def test_every_chapter_is_quoted_with_its_page(reports) -> None:
    _, passages = _passages(reports["pdf"])
    page = 2
    expected: dict[str, int] = {}
    for _, _, level, paragraphs in CHAPTERS:
        if level == 1:
            page += 1
        for paragraph in paragraphs:
            expected[paragraph] = page
    found = {passage.text: passage.page for passage in passages if passage.text in expected}
    assert found == expected


def test_word_file_and_its_pdf_give_the_same_themes(reports, tmp_path) -> None:
    tagger = Tagger(load_taxonomy())
    counts: dict[str, Counter] = {}
    for kind, path in reports.items():
        analysis = analyse_folder(path.parent, Gazetteer.load(), tagger, cache_dir=None)
        (record,) = analysis.documents
        assert record.status.value in {"ok", "warning"}, record.message
        assert "reach a passage" not in record.message
        assert "yield" not in record.message
        frame = analysis.passages_frame()
        counts[kind] = Counter(
            theme.split(":")[0]
            for themes in frame["themes"].dropna()
            for theme in str(themes).split(";")
            if theme
        )
    assert counts["pdf"] == counts["docx"]
    assert {"fasta_kontakter", "mobila_team", "halsosamtal", "far"} <= {
        theme.strip() for theme in counts["pdf"]
    }
