"""Store: where bytes are kept safely — the cache, a run's parts on disk, atomic files.

Goes in: what other stages hand over to keep. Comes out: the same, later.
:class:`~nvreport.store.cache.Cache` keeps what was read and tagged, keyed by file content
and code (:func:`nvreport.store.cache.code_fingerprint`);
:class:`~nvreport.store.parts.PartStore` keeps a run's document parts in a temporary file
instead of memory; :mod:`~nvreport.store.files` writes files atomically, checks output
paths and names files readably; :mod:`~nvreport.store.cells` keeps report text from being
taken for a formula in a spreadsheet; :mod:`~nvreport.store.csv_dialect` is how CSV files
are written for Excel set to Swedish or as RFC 4180, and read back in either. It depends
on nothing but the shared models and errors.
"""
