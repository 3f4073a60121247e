"""Render a :class:`~nvreport.story.narrative.Story` to Markdown or HTML with Jinja2.

The bundled templates live in ``templates/`` (shipped as ``nvreport/templates``):

* ``story.md.j2`` and ``story.html.j2`` — the document in each format;
* ``sentences.j2`` — every sentence of the story, as macros shared by both formats;
* ``story.css`` — the HTML's style sheet, inlined.

An analyst's own folder (``--templates DIR``) overrides them file by file: a
``sentences.j2`` there rewords the story and keeps the bundled layout.

Text from the reports and the taxonomy is escaped for the format: HTML-escaped in
HTML (autoescape), backslash-escaped in Markdown (the ``t`` filter), so a report
containing ``<script>`` or ``*`` shows those characters and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from nvreport.analysis.phrasing import (
    FALLBACK_NOUN,
    actor_noun,
    amount,
    lower_first,
    number_word,
    theme_in_sentence,
    upper_first,
)
from nvreport.bundled import bundled_folder
from nvreport.errors import UsageError
from nvreport.store.files import check_output_file, written_together
from nvreport.story.charts import ChartText, chapter_bars, chapter_chart, shown_rows
from nvreport.story.model import Chapter, ChartRow, FacetCount, Quote, Story
from nvreport.story.narrative import MIN_ACTORS

FORMATS = ("md", "html")

#: Headings of the actor types, in the story's language.
TYPE_TITLES = {
    "region": "Regioner",
    "rss": "Län (kommunerna gemensamt)",
    "kommun": "Kommuner",
    "": "Aktörer av okänd typ",
}

_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!&~{}])")


def bundled_templates_dir() -> Path:
    """The templates shipped with nvreport."""
    return bundled_folder("templates", "story.md.j2")


def markdown_text(value: object) -> str:
    """``value`` as literal Markdown text: one line, every character that could start
    inline markup backslash-escaped (CommonMark renders ``\\*`` as ``*``). The
    templates never start a line with such a value, so block markup (``1.``, ``-``)
    cannot arise from it."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def swedish_date(date) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def join_words(items: list[str]) -> str:
    """ "a, b och c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def facet_list(counts: tuple[FacetCount, ...]) -> str:
    noun = actor_noun("")
    return join_words([f"{theme_in_sentence(c.label)} ({noun.count(c.actors)})" for c in counts])


def page_reference(quote: Quote) -> str:
    if quote.page is not None:
        return f"s. {quote.page}"
    if quote.section:
        return f"avsnitt ”{quote.section}”"
    return ""


#: Why a file could not be read, in the story's language: the first pattern found in
#: the (English) message of ``documents.csv`` decides.
_REASONS = (
    ("encrypt", "filen är krypterad eller lösenordsskyddad"),
    ("no text layer", "filen saknar textlager (skannad) och behöver tolkas med OCR"),
    ("zip bomb", "filen skulle packas upp till en orimlig storlek"),
    ("not a PDF", "filen är inte en PDF trots filändelsen"),
    ("not a valid Word", "filen är inte ett giltigt Word-dokument"),
    ("absurd size", "sidorna är skadade eller har en orimlig storlek"),
    ("nvreport reads at most", "filen har fler sidor än nvreport läser"),
    ("longer than", "läsningen tog för lång tid och avbröts"),
    ("out of memory", "läsningen avbröts (för stort minnesbehov eller krasch)"),
    ("cannot open", "filen kunde inte öppnas (saknas eller saknar läsbehörighet)"),
    ("too large", "filen är för stor för att läsas"),
    ("binary file", "filen innehåller inte text"),
    ("damaged", "filen är skadad eller ofullständig"),
    ("truncated", "filen är skadad eller ofullständig"),
    ("nested", "filen är skadad eller för djupt nästlad"),
)


def reason(row: object) -> str:
    """Why a file of the story could not be read, in Swedish."""
    message = str(getattr(row, "message", "") or "")
    for pattern, words in _REASONS:
        if pattern.lower() in message.lower():
            return words
    return "filen kunde inte läsas; se documents.csv för detaljer"


def chart_cells(row: ChartRow) -> list[int]:
    """The numbers of a chart's table row after its theme and actor type, in the order
    of the ``chart_head`` sentence's columns."""
    if row.own:
        bars = [n for bar in row.bars for n in (bar.active, bar.planned)]
        return [row.bars[0].actors, *bars, row.own.active, row.own.planned, row.own.actors]
    return [n for bar in row.bars for n in (bar.active, bar.planned, bar.actors)]


def chart_groups(rows: tuple[ChartRow, ...]) -> list[tuple[str, list[ChartRow]]]:
    """A chart's rows by actor type, in the order the chart's panels show them."""
    groups: dict[str, list[ChartRow]] = {}
    for row in rows:
        groups.setdefault(row.actor_type, []).append(row)
    return list(groups.items())


def without_empty_rows(story: Story) -> Story:
    """The story without zero-of-zero rows: chart rows with no actor behind any bar,
    and coverage rows of a year and actor type with no readable report. Their zeros
    say only that nothing could be read, which the appendix of unreadable files says
    file by file."""
    chapters = tuple(
        replace(chapter, chart=shown_rows(chapter.chart)) for chapter in story.chapters
    )
    coverage = story.coverage[story.coverage["actors"] > 0]
    return replace(story, chapters=chapters, coverage=coverage)


@dataclass(frozen=True)
class RenderedStory:
    text: str
    charts: dict[str, str]  # file name -> SVG, for Markdown; inline in HTML


def environment(fmt: str, templates: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of ``fmt``: the analyst's folder first, then the bundled."""
    if fmt not in FORMATS:
        raise UsageError(f'unknown format "{fmt}"; use md or html')
    folders = []
    if templates is not None:
        if not templates.is_dir():
            raise UsageError(f"{templates}: no such templates folder")
        folders.append(str(templates))
    folders.append(str(bundled_templates_dir()))
    html = fmt == "html"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        t=escape if html else markdown_text,
        upper_first=upper_first,
        lower_first=lower_first,
        in_sentence=theme_in_sentence,
        swedish_date=swedish_date,
        facet_list=facet_list,
        page_reference=page_reference,
        reason=reason,
    )
    env.globals.update(
        amount=lambda n, noun=FALLBACK_NOUN: amount(n, gender=noun.gender),
        number_word=number_word,
        type_title=lambda actor_type: TYPE_TITLES.get(actor_type, actor_type),
        chart_cells=chart_cells,
        chart_groups=chart_groups,
        min_actors=MIN_ACTORS,
    )
    return env


def _chart_text(story: Story, chapter: Chapter) -> ChartText:
    return ChartText(
        title=f"Figur {chapter.number}. {chapter.title}: aktörer per tema",
        active=f"Pågående eller infört {story.year}",
        planned=f"Planerat {story.year}",
        previous=f"Pågående, planerat {story.previous_year}" if story.previous_year else "",
        panel=TYPE_TITLES,
    )


def chart_file(stem: str, chapter: Chapter) -> str:
    return f"{stem}-figurer/figur-{chapter.number}.svg"


def render_story(
    story: Story, fmt: str, *, templates: Path | None = None, stem: str = "arsberattelse"
) -> RenderedStory:
    """The story as one Markdown or HTML document, and the chart files Markdown needs:
    SVG files for Markdown, the charts drawn in HTML and CSS inside the HTML."""
    env = environment(fmt, templates)
    story = without_empty_rows(story)
    charts: dict[str, str] = {}  # Markdown: file name -> SVG
    chart_files: dict[int, str] = {}  # Markdown: chapter number -> file name
    inline: dict[int, Markup] = {}  # HTML: chapter number -> chart (HTML)
    for chapter in story.chapters:
        if fmt == "md":
            svg = chapter_chart(chapter.chart, _chart_text(story, chapter))
            if svg:
                chart_files[chapter.number] = name = chart_file(stem, chapter)
                charts[name] = svg
        else:
            bars = chapter_bars(chapter.chart, _chart_text(story, chapter))
            if bars:
                inline[chapter.number] = Markup(bars)
    try:
        template = env.get_template(f"story.{fmt}.j2")
        css = env.loader.get_source(env, "story.css")[0] if fmt == "html" else ""
        text = template.render(
            story=story, charts=chart_files, inline_charts=inline, css=Markup(css)
        )
    except jinja2.TemplateSyntaxError as error:
        raise UsageError(
            f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
        ) from error
    except jinja2.TemplateError as error:
        raise UsageError(f"template error: {error}") from error
    return RenderedStory(text=text, charts=charts)


def write_story(
    story: Story, target: Path, fmt: str, *, templates: Path | None = None
) -> list[Path]:
    """Render and write the story to ``target`` (and, for Markdown, its charts beside
    it), all at once: a run that fails leaves the previous story and charts as they
    were. Returns the files written."""
    check_output_file(target)
    rendered = render_story(story, fmt, templates=templates, stem=target.stem)
    written = []
    folder = target.parent
    with written_together(folder) as stage:
        for name, svg in sorted(rendered.charts.items()):
            stage(name).write_text(svg, encoding="utf-8")
            written.append(folder / name)
        stage(target.name).write_text(rendered.text, encoding="utf-8")
        written.append(target)
    return written
