"""The pages: what each cites (``scan``), the Jinja macros they call (``templating``)
and the site-wide numbers (``numbering``)."""
