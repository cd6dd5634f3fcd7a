"""The scored PDF advice report of a completed self-scan.

Built as Open Formulieren builds its PDFs: a **view model** (:mod:`selfscan.report.view`,
plain structs in one language, made from the pure advice), a **template**
(``templates/pdf/report.html`` with ``report.css``, rendered by
:func:`selfscan.report.render.render_html`), and a **render function**
(:func:`selfscan.report.render.html_to_pdf`, WeasyPrint with the safe fetcher of
:mod:`selfscan.report.fetcher`), run in a pool of worker processes
(:mod:`selfscan.report.pool`) and cached on disk (:mod:`selfscan.report.cache`).
"""
