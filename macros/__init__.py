"""The citation engine, and the ``citations`` MkDocs plugin that hosts it.

``plugin.py`` and ``config.py`` are the MkDocs-facing parts; everything
else (``site``, ``bibfile``, ``scan``, ``templating``, ``numbering``,
``formatting``, ``render``, ``styles``) imports no MkDocs. See README.md
beside this file.
"""
