"""Analysis: a folder of reports through ingest and tagging, and the figures of one or more years.

Goes in: a folder, a :class:`~nvreport.ingest.gazetteer.Gazetteer` and a
:class:`~nvreport.tagging.tagger.Tagger`. Comes out: an
:class:`~nvreport.analysis.tables.Analysis` (:func:`nvreport.analysis.run.analyse_folder`:
every file's record and its passages and matches, read side by side by the worker
:mod:`~nvreport.analysis.pool`, one document at a time by
:mod:`~nvreport.analysis.document`); the aggregate frames of a year
(:mod:`~nvreport.analysis.aggregate`: themes by actor, coverage); a
:class:`~nvreport.analysis.compare.Comparison` of years
(:func:`nvreport.analysis.compare.compare_years`); and the figures every output and the
story quote (:mod:`~nvreport.analysis.figures`, in Swedish words by
:mod:`~nvreport.analysis.phrasing`). :mod:`~nvreport.analysis.kwic` finds a theme's
occurrences in context. What the taxonomy misses: the candidate terms of a corpus and
their keyness near each theme (:class:`nvreport.analysis.candidates.TermStudy`), the
words that carry each theme year by year (:func:`nvreport.analysis.drift.term_drift`),
and the body passages no theme reaches (:func:`nvreport.analysis.gaps.gaps_of`,
:class:`~nvreport.analysis.gaps.GapTally`).
"""
