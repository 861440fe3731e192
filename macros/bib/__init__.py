"""Reading the .bib: the validating reader (``reader``, authoritative), its fast paths
(``fast_index``: keys and lines without parsing; ``fast_reader``: entries without
pybtex's parser) and LaTeX in field values
(``latex_to_text``, with its ``latex_tables``; ``pybtex_latex``: pybtex's decoder, faster)."""
