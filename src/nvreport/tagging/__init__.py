"""Tagging: passages against a versioned theme taxonomy, each match with a status.

Goes in: a taxonomy file and passages' text. Comes out: a
:class:`~nvreport.tagging.taxonomy.Taxonomy` (:func:`nvreport.tagging.taxonomy.load_taxonomy`,
checked against its schema and its terms by :mod:`~nvreport.tagging.term_checks`), and for
every passage its :class:`~nvreport.tagging.tagger.Match` list
(:meth:`nvreport.tagging.tagger.Tagger.tag_many`), each with the evidence sentence and a
status — active, planned or negated — from the cue words of the sentence
(:mod:`~nvreport.tagging.status`). :mod:`~nvreport.tagging.novelty` tells text new this
year from text carried over; :mod:`~nvreport.tagging.evaluate` scores a taxonomy's
examples.
"""
