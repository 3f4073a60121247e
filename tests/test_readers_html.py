"""Reading reports saved as web pages (.html / .htm)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.readers.html import read_html
from nvreport.models import Block, BlockKind

H = BlockKind.HEADING
P = BlockKind.PARAGRAPH
LI = BlockKind.LIST_ITEM
ROW = BlockKind.TABLE_ROW

PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
  <meta charset="utf-8">
  <title>Region Exempel – Nära vård</title>
  <style>p { color: red; }</style>
  <script>alert(1)</script>
</head>
<body>
<nav><ul><li><a href="/">Startsida</a></li><li>Kontakt</li></ul></nav>
<header><p>Region Exempel webbplats</p></header>
<main>
  <h1>Omställningen till en god och nära vård</h1>
  <p>Regionen har infört <strong>fast vårdkontakt</strong> för patienter
     med kroniska sjukdomar.<br>Arbetet följs upp årligen.</p>
  <section>
    <h2>Insatser under året</h2>
    Under året har följande genomförts:
    <ul>
      <li>Mobila team i alla kommuner
        <ul>
          <li>Dygnet runt i <em>två</em> kommuner</li>
          <li>Dagtid i övriga</li>
        </ul>
      </li>
      <li><p>Digitala vårdbesök</p><p>via 1177</p></li>
    </ul>
    <ol><li>Kartläggning av behov</li></ol>
  </section>
  <div>Text direkt i ett div-element.<p>Ett stycke inne i diven.</p>Text efter stycket.</div>
  <table>
    <caption>Tabell 1. Fast vårdkontakt per kommun</caption>
    <thead><tr><th>Kommun</th><th>Andel</th><th>Kommentar</th></tr></thead>
    <tbody>
      <tr><td>Norrby</td><td>85 %</td><td>Införd <table><tr><td>2023</td></tr></table></td></tr>
      <tr><td colspan="3">Uppgift saknas för Söderås</td></tr>
      <tr><td></td><td> </td><td></td></tr>
    </tbody>
  </table>
  <h3 hidden>Dold rubrik</h3>
  <p aria-hidden="true">Dold för skärmläsare</p>
  <p style="display: none">Osynlig text</p>
  <aside>Läs också om vårdcentraler</aside>
  <form><label>Sök</label><input name="q"><button>Sök</button></form>
  <iframe src="karta.html">Karta</iframe>
  <noscript>Aktivera Javascript</noscript>
  <!-- En kommentar som inte ska läsas -->
  <h6>Senast uppdaterad</h6>
</main>
<footer><p>Sidfot med kontaktuppgifter</p></footer>
</body>
</html>
"""


def write(tmp_path: Path, content: str | bytes, name: str = "sida.html") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def kinds_texts_levels(path: Path) -> list[tuple[BlockKind, str, int | None]]:
    return [(block.kind, block.text, block.level) for block in read_html(path).blocks]


def test_reads_visible_content_in_document_order(tmp_path: Path) -> None:
    assert kinds_texts_levels(write(tmp_path, PAGE)) == [
        (H, "Omställningen till en god och nära vård", 1),
        (
            P,
            "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar. "
            "Arbetet följs upp årligen.",
            None,
        ),
        (H, "Insatser under året", 2),
        (P, "Under året har följande genomförts:", None),
        (LI, "Mobila team i alla kommuner", 1),
        (LI, "Dygnet runt i två kommuner", 2),
        (LI, "Dagtid i övriga", 2),
        (LI, "Digitala vårdbesök via 1177", 1),
        (LI, "Kartläggning av behov", 1),
        (P, "Text direkt i ett div-element.", None),
        (P, "Ett stycke inne i diven.", None),
        (P, "Text efter stycket.", None),
        (P, "Tabell 1. Fast vårdkontakt per kommun", None),
        (ROW, "Kommun | Andel | Kommentar", None),
        (ROW, "Norrby | 85 % | Införd 2023", None),
        (ROW, "Uppgift saknas för Söderås", None),
        (H, "Senast uppdaterad", 6),
    ]


def test_page_furniture_and_hidden_text_are_dropped(tmp_path: Path) -> None:
    text = " ".join(block.text for block in read_html(write(tmp_path, PAGE)).blocks)
    for dropped in (
        "alert",
        "color",
        "Startsida",
        "webbplats",
        "Dold",
        "Osynlig",
        "Läs också",
        "Sök",
        "Karta",
        "Javascript",
        "kommentar som",
        "Sidfot",
        "Region Exempel – Nära vård",  # the <title>
    ):
        assert dropped not in text


def test_result_has_no_pages_and_no_warnings(tmp_path: Path) -> None:
    result = read_html(write(tmp_path, PAGE))
    assert result.pages is None
    assert result.warnings == ()
    assert all(block.page is None for block in result.blocks)


def test_fragment_without_html_or_body(tmp_path: Path) -> None:
    path = write(tmp_path, "<h2>Samverkan</h2>Kommunen samverkar med regionen.", "del.htm")
    assert read_html(path).blocks == (
        Block(H, "Samverkan", level=2),
        Block(P, "Kommunen samverkar med regionen."),
    )


def test_layout_table_is_read_as_content(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<table><tr><td><h2>Primärvård</h2><p>Vårdcentralerna har förstärkts.</p></td>"
        "<td><p>Fler distriktssköterskor har anställts.</p></td></tr></table>",
    )
    assert kinds_texts_levels(path) == [
        (H, "Primärvård", 2),
        (P, "Vårdcentralerna har förstärkts.", None),
        (P, "Fler distriktssköterskor har anställts.", None),
    ]


# -- decoding ------------------------------------------------------------------

SWEDISH = "<p>Äldre i särskilt boende får läkarbesök varje vecka.</p>"
SWEDISH_TEXT = "Äldre i särskilt boende får läkarbesök varje vecka."


def test_windows_1252_without_declaration_is_read_with_a_warning(tmp_path: Path) -> None:
    result = read_html(write(tmp_path, SWEDISH.encode("cp1252")))
    assert [block.text for block in result.blocks] == [SWEDISH_TEXT]
    assert result.warnings == ("not valid UTF-8; read as Windows-1252",)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta charset="ISO-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    ],
)
def test_declared_charset_is_respected(tmp_path: Path, meta: str) -> None:
    result = read_html(write(tmp_path, (meta + SWEDISH).encode("cp1252")))
    assert [block.text for block in result.blocks] == [SWEDISH_TEXT]
    assert result.warnings == ()


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252"])
def test_utf8_under_a_single_byte_declaration_is_read_as_utf8(tmp_path, charset) -> None:
    """A page saved as UTF-8 from an old template that declares Latin-1 would read
    "hÃ¤lsosamtal", which no term matches."""
    page = f'<meta charset="{charset}">' + SWEDISH
    result = read_html(write(tmp_path, page.encode("utf-8")))
    assert [block.text for block in result.blocks] == [SWEDISH_TEXT]
    assert result.warnings == (
        f"declared as {codecs.lookup(charset).name} but is UTF-8; read as UTF-8",
    )


def test_byte_order_mark_wins_over_declaration(tmp_path: Path) -> None:
    page = '<meta charset="iso-8859-1">' + SWEDISH
    for data in (b"\xef\xbb\xbf" + page.encode("utf-8"), page.encode("utf-16")):
        result = read_html(write(tmp_path, data))
        assert [block.text for block in result.blocks] == [SWEDISH_TEXT]
        assert result.warnings == ()


def test_utf8_declared_but_invalid_falls_back_with_a_warning(tmp_path: Path) -> None:
    result = read_html(write(tmp_path, ('<meta charset="utf-8">' + SWEDISH).encode("cp1252")))
    assert [block.text for block in result.blocks] == [SWEDISH_TEXT]
    assert result.warnings == ("not valid UTF-8; read as Windows-1252",)


# -- odd input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><head><title>Tom</title></head><body>  </body></html>",
        b"<script>var x = '<p>inte text</p>';</script>",
    ],
)
def test_empty_page_gives_empty_result(tmp_path: Path, content: bytes) -> None:
    result = read_html(write(tmp_path, content))
    assert result.blocks == ()


def test_broken_markup_does_not_escape(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"<p>Regionen <b>har <i>beslutat</p></div></li><td>om<! <?x <![CDATA[ \x00\xff\xfe",
    )
    result = read_html(path)
    assert result.blocks[0].text.startswith("Regionen har beslutat")


def test_deeply_nested_markup_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "<div><span>" * 20_000 + "Text" + "</span></div>" * 20_000)
    assert [block.text for block in read_html(path).blocks] == ["Text"]


def test_thousands_of_unclosed_paragraphs_and_list_items(tmp_path: Path) -> None:
    # html.parser nests unclosed tags inside each other, 3000 levels deep here.
    paragraphs = "".join(
        f"<p>Vårdcentral {number} har utökat öppettiderna." for number in range(3000)
    )
    items = "<ul><li>Hemsjukvård<li>Mobila team</ul>"
    blocks = read_html(write(tmp_path, paragraphs + items)).blocks
    assert len(blocks) == 3002
    assert blocks[0] == Block(P, "Vårdcentral 0 har utökat öppettiderna.")
    assert blocks[2999] == Block(P, "Vårdcentral 2999 har utökat öppettiderna.")
    assert blocks[3000:] == (
        Block(LI, "Hemsjukvård", level=1),
        Block(LI, "Mobila team", level=1),
    )


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match="cannot open the file"):
        read_html(tmp_path / "saknas.html")
