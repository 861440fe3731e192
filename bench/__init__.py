"""Build-time benchmark of the citation engine (issue 7).

``python -m bench`` (or ``make bench``) generates synthetic sites in three
flavours that share their prose -- no citations (plain MkDocs + Material, the
floor), mkdocs-bibtex (the peer) and this project's macros (ours) -- builds
them, and writes ``bench/RESULTS.md``. See ``bench/README.md``.
"""
