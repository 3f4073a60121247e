"""Story: the yearly narrative (årsberättelse) drafted from a comparison of years.

Goes in: a :class:`~nvreport.analysis.compare.Comparison` and its years. Comes out: a
:class:`~nvreport.story.model.Story` (:func:`nvreport.story.narrative.build_story`:
trends, a chapter per area with figures, facet counts, charts and quotes taken verbatim
with their page) and the story written as Markdown or HTML
(:func:`nvreport.story.render.write_story`, through the Jinja templates in
``templates/``; charts as SVG by :mod:`~nvreport.story.charts`).
"""
