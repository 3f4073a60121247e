"""Outputs: the files a run writes, and finished runs reused.

Goes in: an :class:`~nvreport.analysis.tables.Analysis` or a
:class:`~nvreport.analysis.compare.Comparison`. Comes out: the files of an output folder
— ``passages.csv``/``.parquet``, ``documents.csv``, ``themes_by_actor.csv``,
``coverage.csv``, ``analysis.xlsx`` (:mod:`nvreport.outputs.analysis_workbook`),
``run.json`` (:func:`nvreport.outputs.tables.write_tables`), a comparison's tables and
workbook (:func:`nvreport.outputs.comparison.write_comparison`) — written atomically,
the CSV files in the dialect chosen (:mod:`nvreport.store.csv_dialect`).
:func:`nvreport.outputs.runs.analyse_into` analyses a folder into an output folder, or
copies the outputs of an identical earlier run;
:func:`nvreport.outputs.record.run_record` is what ``run.json`` holds.
"""
