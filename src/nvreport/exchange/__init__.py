"""Exchange: nvreport's taxonomy and runs in and out of other tools.

Goes in: a taxonomy, an analysis, or another tool's file. Comes out: a REFI-QDA codebook
(:func:`nvreport.exchange.codebook_export.export_codebook`) or project
(:func:`nvreport.exchange.qda.export_project`) for ATLAS.ti, MAXQDA, NVivo and others; a
taxonomy's YAML from a codebook (:func:`nvreport.exchange.codebook_import.import_codebook`);
and the taxonomy checks and diffs run in CI
(:func:`nvreport.exchange.taxonomy_tools.check_taxonomy`,
:func:`nvreport.exchange.taxonomy_tools.diff_taxonomies`); and the terms the reports use
that the taxonomy misses, as suggestions and a YAML patch for review
(:func:`nvreport.exchange.suggest.suggest_terms`,
:func:`nvreport.exchange.suggest.patch_yaml`).
"""
