"""The story of the 21-region year (tests/region_year.py, 2022 against 2021), built once
per test session for the narrative tests that read it as an editor would."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from nvreport.analysis.compare import compare_years, load_year
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.story.narrative import build_story
from nvreport.story.render import render_story
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy
from region_year import build_region_year

DATE = dt.date(2026, 12, 7)


@cache
def region_story(folder: Path) -> dict:
    """The corpus built into ``folder``, analysed, compared and told: a dict with
    taxonomy, current, before, comparison, story, md and html."""
    build_region_year(folder / "2021", 2021)
    build_region_year(folder / "2022", 2022)
    taxonomy = load_taxonomy()
    tagger = Tagger(taxonomy)
    gazetteer = Gazetteer.load()
    before = load_year(folder / "2021", gazetteer, tagger)
    current = load_year(folder / "2022", gazetteer, tagger)
    comparison = compare_years([before, current], taxonomy)
    story = build_story(current, before, comparison, taxonomy, date=DATE)
    return {
        "taxonomy": taxonomy,
        "current": current,
        "before": before,
        "comparison": comparison,
        "story": story,
        "md": render_story(story, "md", stem="arsberattelse-2022").text,
        "html": render_story(story, "html", stem="arsberattelse-2022").text,
    }


def story_for(tmp_path_factory) -> dict:
    """:func:`region_story` in one folder for the whole session."""
    return region_story(_folder(tmp_path_factory))


_FOLDERS: dict[int, Path] = {}


def _folder(tmp_path_factory) -> Path:
    key = id(tmp_path_factory)
    if key not in _FOLDERS:
        _FOLDERS[key] = tmp_path_factory.mktemp("region_story")
    return _FOLDERS[key]
