"""Reading .txt and .md reports, and mending words hyphenated at a line end."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.readers import text as text_reader
from nvreport.ingest.readers.hyphenation import join_hyphenated
from nvreport.ingest.readers.text import read_text
from nvreport.models import Block, BlockKind

H = BlockKind.HEADING
P = BlockKind.PARAGRAPH
LI = BlockKind.LIST_ITEM
ROW = BlockKind.TABLE_ROW


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def kinds_texts_levels(path: Path) -> list[tuple[BlockKind, str, int | None]]:
    return [(block.kind, block.text, block.level) for block in read_text(path).blocks]


# -- join_hyphenated -----------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        # a compound broken by the line: the hyphen goes
        (
            "Regionen tecknar patient-",
            "kontrakt med alla.",
            "Regionen tecknar patientkontrakt med alla.",
        ),
        ("stöd till egen-", "vård", "stöd till egenvård"),
        ("primärvårds-", "reformen", "primärvårdsreformen"),
        # a shortened compound: hyphen and space stay
        ("inom hälso-", "och sjukvården", "inom hälso- och sjukvården"),
        ("på kommun-", "eller regionnivå", "på kommun- eller regionnivå"),
        ("läkar-", "respektive sjuksköterskebesök", "läkar- respektive sjuksköterskebesök"),
        ("från sjukhus-", "till primärvård", "från sjukhus- till primärvård"),
        ("barn-", "samt ungdomsmottagningar", "barn- samt ungdomsmottagningar"),
        ("vård-", "resp. omsorgsgivare", "vård- resp. omsorgsgivare"),
        # the hyphen belongs to the spelling: it stays, without a space
        ("fler ST-", "läkare", "fler ST-läkare"),
        ("FaR-", "recept", "FaR-recept"),
        ("en SIP-", "mall", "en SIP-mall"),
        ("satsningen på e-", "hälsa", "satsningen på e-hälsa"),
        ("covid-19-", "pandemin", "covid-19-pandemin"),
        ("samarbetet Stockholm-", "Gotland", "samarbetet Stockholm-Gotland"),
        ("år 2023-", "2024", "år 2023-2024"),
        ("(KBT-", "behandling)", "(KBT-behandling)"),
        # other hyphen characters
        ("patient\u2010", "kontrakt", "patientkontrakt"),
        ("ST\u00ad", "läkare", "ST-läkare"),
        # a dash standing alone is not a hyphenated word
        ("vården -", "inte bara sjukhusen", "vården - inte bara sjukhusen"),
    ],
)
def test_join_hyphenated(left: str, right: str, joined: str) -> None:
    assert join_hyphenated(left, right) == joined


def test_join_hyphenated_strips_the_next_lines_indentation() -> None:
    assert join_hyphenated("vård-", "   centralen") == "vårdcentralen"


# -- decoding ------------------------------------------------------------------


def test_utf8_paragraphs_split_at_blank_lines_and_lines_joined(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rapport.txt",
        "Regionen har infört fast vårdkontakt för patienter\n"
        "med kroniska sjukdomar.\n"
        "\n"
        "\n"
        "Arbetet med patient-\n"
        "kontrakt fortsätter inom hälso-\n"
        "och sjukvården, och fler ST-\n"
        "läkare har anställts.\n",
    )
    result = read_text(path)
    assert result.blocks == (
        Block(P, "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar."),
        Block(
            P,
            "Arbetet med patientkontrakt fortsätter inom hälso- och sjukvården, "
            "och fler ST-läkare har anställts.",
        ),
    )
    assert result.warnings == ()
    assert result.pages is None


def test_utf8_with_bom_and_crlf_line_ends(tmp_path: Path) -> None:
    text = "Kommunen samverkar med regionen.\r\n\r\nÄldreomsorgen följs upp årligen.\r\n"
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = read_text(path)
    assert [block.text for block in result.blocks] == [
        "Kommunen samverkar med regionen.",
        "Äldreomsorgen följs upp årligen.",
    ]
    assert result.warnings == ()


def test_windows_1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    text = "Vårdcentralerna i länet erbjuder hälsosamtal till äldre över 75 år.\n"
    path = write(tmp_path, "ansi.txt", text.encode("cp1252"))
    result = read_text(path)
    assert [block.text for block in result.blocks] == [text.strip()]
    assert result.warnings == ("not valid UTF-8; read as Windows-1252",)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    text = "Mobila vårdteam når patienter i särskilt boende.\n\nUppföljningen sker i öppenvården.\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own BOM
        data = ("\ufeff" + text).encode(encoding)
    path = write(tmp_path, "utf16.txt", data)
    result = read_text(path)
    assert [block.text for block in result.blocks] == [
        "Mobila vårdteam når patienter i särskilt boende.",
        "Uppföljningen sker i öppenvården.",
    ]
    assert result.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read_with_a_warning(tmp_path: Path, encoding) -> None:
    text = "Region Västernorrland\n\nRegionen erbjuder hälsosamtal för 40-åringar.\n"
    result = read_text(write(tmp_path, "utan bom.txt", text.encode(encoding)))
    assert [block.text for block in result.blocks] == [
        "Region Västernorrland",
        "Regionen erbjuder hälsosamtal för 40-åringar.",
    ]
    assert result.warnings == ("no byte order mark; read as UTF-16 by its zero bytes",)


def test_text_with_a_stray_nul_byte_is_still_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "trasig.txt", b"Flens kommun\n\nKommunen erbjuder\x00 FaR.\n")
    with pytest.raises(UnreadableDocumentError, match="binary file, not text"):
        read_text(path)


def test_nul_bytes_without_utf16_bom_mean_a_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_text(path)
    assert caught.value.reason == "binary file, not text"
    assert caught.value.path == path


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match="cannot open the file"):
        read_text(tmp_path / "finns-inte.txt")


def test_empty_file_gives_no_blocks(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "tom.txt", "\n\n  \n")).blocks == ()


# -- Markdown ------------------------------------------------------------------


def test_markdown_headings_lists_and_emphasis(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rapport.md",
        "# Nära vård i Region Exempel #\n"
        "\n"
        "Regionen har **prioriterat** omställningen till en `god och nära vård`.\n"
        "## Fast vårdkontakt\n"
        "\n"
        "Målbild 2027\n"
        "============\n"
        "\n"
        "Uppföljning\n"
        "-----------\n"
        "\n"
        "Under året har regionen:\n"
        "\n"
        "- infört __fast läkarkontakt__ på samtliga\n"
        "  vårdcentraler\n"
        "  - med särskilt fokus på\n"
        "    multisjuka äldre\n"
        "    - i ordinärt boende\n"
        "* utbildat personal i [personcentrerat arbetssätt](https://example.se/pca)\n"
        "+ startat mobila team\n"
        "• följt upp patientnöjdheten\n"
        "\n"
        "1. Kartläggning av behov\n"
        "2) Plan för genomförande\n",
    )
    assert kinds_texts_levels(path) == [
        (H, "Nära vård i Region Exempel", 1),
        (P, "Regionen har prioriterat omställningen till en god och nära vård.", None),
        (H, "Fast vårdkontakt", 2),
        (H, "Målbild 2027", 1),
        (H, "Uppföljning", 2),
        (P, "Under året har regionen:", None),
        (LI, "infört fast läkarkontakt på samtliga vårdcentraler", 1),
        (LI, "med särskilt fokus på multisjuka äldre", 2),
        (LI, "i ordinärt boende", 3),
        (LI, "utbildat personal i personcentrerat arbetssätt", 1),
        (LI, "startat mobila team", 1),
        (LI, "följt upp patientnöjdheten", 1),
        (LI, "Kartläggning av behov", 1),
        (LI, "Plan för genomförande", 1),
    ]


def test_markdown_list_levels_with_four_space_indentation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lista.md",
        "- Primärvården\n"
        "    - Vårdcentraler\n"
        "        - Hälsocentralen i Norrby\n"
        "    - Barnavårdscentraler\n"
        "- Kommunal hälso- och sjukvård\n",
    )
    assert [(block.text, block.level) for block in read_text(path).blocks] == [
        ("Primärvården", 1),
        ("Vårdcentraler", 2),
        ("Hälsocentralen i Norrby", 3),
        ("Barnavårdscentraler", 2),
        ("Kommunal hälso- och sjukvård", 1),
    ]


def test_markdown_list_item_continues_after_blank_line_only_when_indented(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "fortsattning.md",
        "- Regionen har inrättat en samverkansgrupp.\n"
        "\n"
        "  Gruppen träffas varje månad.\n"
        "\n"
        "Kommunerna deltar i arbetet.\n",
    )
    assert kinds_texts_levels(path) == [
        (LI, "Regionen har inrättat en samverkansgrupp. Gruppen träffas varje månad.", 1),
        (P, "Kommunerna deltar i arbetet.", None),
    ]


def test_markdown_table_rows_without_separator_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tabell.md",
        "Tabellen visar läget i länet.\n"
        "\n"
        "| Kommun | Fast vårdkontakt | Andel |\n"
        "|:-------|:----------------:|------:|\n"
        "| **Norrby** | Införd | 85 % |\n"
        "| Söderås |  | 40 % |\n"
        "\n"
        "Uppgifterna avser december.\n",
    )
    assert kinds_texts_levels(path) == [
        (P, "Tabellen visar läget i länet.", None),
        (ROW, "Kommun | Fast vårdkontakt | Andel", None),
        (ROW, "Norrby | Införd | 85 %", None),
        (ROW, "Söderås | 40 %", None),
        (P, "Uppgifterna avser december.", None),
    ]


def test_markdown_rule_lines_and_block_quotes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ovrigt.md",
        "Inledande stycke.\n\n---\n\n> Citat ur regionens\n> handlingsplan.\n\n***\n",
    )
    assert kinds_texts_levels(path) == [
        (P, "Inledande stycke.", None),
        (P, "Citat ur regionens handlingsplan.", None),
    ]


# -- plain text ----------------------------------------------------------------


def test_txt_numbered_section_headings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rapport.txt",
        "2 Fast vårdkontakt\n"
        "\n"
        "2.1 Primärvårdens uppdrag\n"
        "\n"
        "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar.\n"
        "\n"
        "3.2.1 Uppföljning\n"
        "\n"
        "Uppföljningen redovisas till regionstyrelsen.\n"
        "\n"
        "4. Samverkan med kommunerna\n"
        "\n"
        "Kommunerna och regionen har tecknat en överenskommelse.\n",
    )
    assert kinds_texts_levels(path) == [
        (H, "2 Fast vårdkontakt", 1),
        (H, "2.1 Primärvårdens uppdrag", 2),
        (P, "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar.", None),
        (H, "3.2.1 Uppföljning", 3),
        (P, "Uppföljningen redovisas till regionstyrelsen.", None),
        (H, "4. Samverkan med kommunerna", 1),
        (P, "Kommunerna och regionen har tecknat en överenskommelse.", None),
    ]


def test_txt_numbered_lines_that_are_not_headings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "inte-rubriker.txt",
        "Regionen har beslutat om följande åtgärder:\n"
        "\n"
        "1. Kartläggning av vårdbehoven\n"
        "\n"
        "2. Utbildning av personalen\n"
        "\n"
        "Åtgärderna följs upp under året.\n"
        "\n"
        "12 procent av invånarna saknar fast läkarkontakt.\n"
        "\n"
        "3 Genomförande av den nationella omställningen till en god och nära vård i hela länet\n"
        "\n"
        "5 kommuner\n"
        "\n"
        "Kommunerna har anslutit sig.\n"
        "\n"
        "6 Avslutning\n",
    )
    assert kinds_texts_levels(path) == [
        (P, "Regionen har beslutat om följande åtgärder:", None),
        (LI, "Kartläggning av vårdbehoven", 1),
        (LI, "Utbildning av personalen", 1),  # the next item of a numbered list
        (P, "Åtgärderna följs upp under året.", None),
        (P, "12 procent av invånarna saknar fast läkarkontakt.", None),  # final period
        (
            P,
            "3 Genomförande av den nationella omställningen till en god och nära vård i hela länet",
            None,
        ),  # 80 characters or more
        (P, "5 kommuner", None),  # no capitalised word
        (P, "Kommunerna har anslutit sig.", None),
        (P, "6 Avslutning", None),  # nothing follows it
    ]


def test_txt_lists_and_underlined_headings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "listor.txt",
        "Handlingsplan\n"
        "=============\n"
        "\n"
        "Insatser under året:\n"
        "- hemsjukvård i samverkan\n"
        "  med kommunerna\n"
        "  - särskilt för barn\n"
        "* digitala vårdbesök\n"
        "\n"
        "----------\n"
        "\n"
        "Arbetet fortsätter.\n",
    )
    assert kinds_texts_levels(path) == [
        (H, "Handlingsplan", 1),
        (P, "Insatser under året:", None),
        (LI, "hemsjukvård i samverkan med kommunerna", 1),
        (LI, "särskilt för barn", 2),
        (LI, "digitala vårdbesök", 1),
        (P, "Arbetet fortsätter.", None),
    ]


def test_txt_keeps_markdown_like_characters(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.txt", "# 3 av 10 kommuner har **fast** vårdkontakt\n")
    assert [block.text for block in read_text(path).blocks] == [
        "# 3 av 10 kommuner har **fast** vårdkontakt"
    ]


# -- long paragraphs and unclosed brackets (issue 17) ---------------------------


def hyphen_work(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> tuple[str, int]:
    """The joined paragraph, and the characters handed to the hyphen join: the
    operations a paragraph costs."""
    handed: list[int] = []
    original = text_reader.join_hyphenated

    def counted(left: str, right: str) -> str:
        handed.append(len(left) + len(right))
        return original(left, right)

    monkeypatch.setattr(text_reader, "join_hyphenated", counted)
    return text_reader.join_lines(lines), sum(handed)


def test_a_paragraph_of_many_hyphenated_lines_costs_in_proportion_to_its_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = "Regionen erbjuder stöd till egen-"
    small_text, small = hyphen_work(monkeypatch, [line, "vård i hemmet och patient-"] * 2000)
    large_text, large = hyphen_work(monkeypatch, [line, "vård i hemmet och patient-"] * 4000)
    assert small_text.startswith("Regionen erbjuder stöd till egenvård i hemmet och patient-Reg")
    assert large_text == small_text * 2
    assert large <= 2.1 * small  # linear, not the whole text again at every line


def test_a_markdown_line_with_thousands_of_unclosed_brackets_reads(tmp_path: Path) -> None:
    """Each "[" or "](" without its end once made the link search scan to the end of
    the line: hours for a line of a few megabytes."""
    path = tmp_path / "hakar.md"
    path.write_text(
        "Fast [vårdkontakt](https://exempel.se/vård) och " + "[mobila team](utan slut " * 100_000,
        encoding="utf-8",
    )
    (block,) = read_text(path).blocks
    assert block.text.startswith("Fast vårdkontakt och [mobila team](utan slut [mobila team]")
    assert block.text.count("mobila team") == 100_000
