"""Ingest: from a folder of report files to passages with their page, section and author.

Goes in: a folder. Comes out: :class:`~nvreport.models.SourceFile` records for every file
found (:func:`nvreport.ingest.discover.discover_reports`), each report's blocks of text
with their page (one reader per format, :data:`nvreport.ingest.readers.READERS`: PDF,
DOCX, text and Markdown, HTML), its actor, län and year
(:func:`nvreport.ingest.metadata.infer_metadata`, helped by the
:class:`~nvreport.ingest.gazetteer.Gazetteer` of regions and municipalities), and its
passages (:func:`nvreport.ingest.passages.split_passages`). Nothing here knows about
themes.
"""
