"""The PDF handout: the built site's pages, laid out for print by WeasyPrint.

Run ``python -m pdf`` after ``mkdocs build``; see pdf/README.md.
"""
