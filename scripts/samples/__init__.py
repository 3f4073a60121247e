"""Generate the bundled sample corpus in samples/ (invented reports, known truth).

The corpus imitates the yearly reports that Swedish regions and municipalities send
to Socialstyrelsen about the agreement on God och nära vård: eight actors in 2021,
the same eight plus one more in 2022, as PDF (reportlab) and DOCX (python-docx).

What each report says about each theme is decided by ``PLAN_GRID`` in ``plan.py``, a
grid that can be read column by column (how many regions report mobile teams in
2021?). The paragraphs, in ``texts/*.yaml``, are written to match it; ``check_story``
verifies that the words of a theme appear exactly where the plan says the theme is
mentioned, and the same grid is written to ``samples/story.csv`` as the truth that
later features are tested on.

The modules, in the order a report passes through them:

- ``texts``: loads the Swedish text (``texts/*.yaml``) and knows its marks and slots;
- ``plan``: the story (``PLAN_GRID`` and what goes with it), the actors and reports;
- ``content``: builds the blocks of a report (headings, paragraphs, lists, tables);
- ``check``: ``check_story``, the words of each theme against the plan;
- ``layout``: page geometry, styles and page templates, the look of each producer;
- ``write_pdf``, ``write_docx``: the report files;
- ``write_side``: ``samples/story.csv``, the metadata fixture and ``samples/README.md``;
- ``main``: builds, checks and writes everything.

Run from the repository root::

    python scripts/make_samples.py

The output is byte-identical from run to run: reportlab runs in invariant mode and
the DOCX archives get fixed dates, fixed core properties and a sorted member order.
"""

from reportlab import rl_config

rl_config.invariant = 1  # fixed creation date and document id: reproducible PDFs
