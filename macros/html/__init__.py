"""HTML out: entries formatted by the style (``format_entries``), markers and lists
by string joins (``markers``) and the hand-off to Markdown's stash (``stash``)."""
