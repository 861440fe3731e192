"""The citation engine, and the ``citations`` MkDocs plugin that hosts it.

``plugin.py`` and ``config.py`` are the MkDocs-facing parts; everything
else imports no MkDocs: the stages ``bib/`` (read the .bib), ``styles/``
(format references), ``html/`` (write the HTML) and ``pages/`` (scan, number,
render pages). See README.md beside this file.
"""
