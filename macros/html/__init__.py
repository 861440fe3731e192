"""HTML out: entries formatted by the style (``format_entries``), markers and lists
through the templates (``markers``) and the hand-off to Markdown's stash (``stash``)."""
