"""What the handout leaves out: the parts of the site that serve the web reader.

The handout is a gym sheet of at most four pages: the card, the rest of the
exercise (dose, when to stop, variants, faults), the muscles in brief and the
reference list. What a reader at a screen wants besides (the home page's
welcome, the evidence note's long prose, how to contribute) stays on the
site, which the card's QR code and address lead to.

``WEB_ONLY`` is the one list of it: each row names a page (its source file,
or ``*`` for every page), a part of it and why it stays on the web. A part is

* ``page``: the whole page (its facts that the card uses are read first);
* ``intro``: the text between the page's title and its first section (not
  its figures);
* ``#id``: the section under the heading with that id (up to the next
  heading of its rank or higher);
* anything else: a CSS selector.

Each part is given the class ``web-only`` (as a page can give a block
itself) and leaves the document with it. Citation numbers stay those of the
site: what prints keeps its markers, and the reference list prints whole.
The builder warns when a row no longer matches its page, so none rots unseen.
A source that nothing printed cites any more is left out of the list, and one
line after the list names its number as cited in the online guide only
(``drop_uncited``).
"""

from __future__ import annotations

from bs4 import Tag

from .soup import add_class, attr, section

WEB_ONLY: tuple[tuple[str, str, str], ...] = (
    ("index.md", "page", "the welcome, the at-a-glance cards and the reading guide: the card says it on paper"),
    ("about.md", "page", "who writes the guide and how to help: the card's footer has the address and licence"),
    ("references.md", "intro", "how the site's per-page lists are numbered: paper has one list"),
    ("references.md", "#how-strong-is-the-evidence", "the evidence note's long prose: the list names each source"),
    ("references.md", 'h2[id$="the-full-list"]', "with the evidence note gone, the list is all the page holds"),
    ("exercise.md", "#what-to-expect", "what no study has shown yet: the site says it; paper keeps what to do"),
    ("exercise.md", "#if-you-have-back-pain", "a study of back pain; the card says to ask a clinician first"),
    ("exercise.md", "intro", "the two studies again (the muscles say it) and a link to the muscles page"),
    ("muscles.md", "intro", "it sums up the sections below and points at the evidence note"),
    ("muscles.md", 'p:has(sup[data-keys~="ono2011"])', "a study of another exercise; the two of this one are cited"),
    ("muscles.md", ".table-figure.cols-position-course", "how the erector spinae run: the figure shows where they lie"),
    ("muscles.md", "p:has(> a.xref:only-child)", "the link on to the exercise page, which is the card"),
    ("*", ".references-note", "how the site's per-page lists are numbered: paper has one list"),
)


def mark(pages: list[tuple[str, Tag]]) -> tuple[set[str], list[str]]:
    """Class ``web-only`` on every part of WEB_ONLY; return (pages left out, rows that match nothing)."""
    left_out: set[str] = set()
    unused = []
    for src, part, _why in WEB_ONLY:
        found = False
        for page_src, body in pages:
            if src not in ("*", page_src):
                continue
            if part == "page":
                left_out.add(page_src)
                found = True
                continue
            for tag in parts(body, part):
                add_class(tag, "web-only")
                found = True
        if not found:
            unused.append(f"{src}: {part}")
    return left_out, unused


def parts(body: Tag, part: str) -> list[Tag]:
    if part == "intro":
        h1 = body.find("h1")
        if h1 is None:
            return []
        found = []
        for sibling in h1.find_next_siblings(True):
            if sibling.name in ("h2", "h3", "h4", "h5", "h6"):
                break
            if sibling.name != "figure":
                found.append(sibling)
        return found
    if part.startswith("#"):
        heading = body.find(
            id=lambda value: value is not None and (value == part[1:] or value.endswith("--" + part[1:]))
        )
        return section(heading) if isinstance(heading, Tag) else []
    return list(body.select(part))


def drop_uncited(soup: Tag) -> list[str]:
    """Leave out the list entries that no printed marker cites; say so after the list.

    Returns their numbers. The numbers of the others do not change: they are the site's.
    """
    cited = {key.lower() for a in soup.select("sup.citation a[data-key]") for key in attr(a, "data-key").split()}
    dropped: list[str] = []
    for ol in soup.select("section.bibliography ol.references"):
        for li in ol.find_all("li", recursive=False):
            if attr(li, "data-key").lower() not in cited:
                dropped.append(attr(li, "value"))
                li.decompose()
            elif attr(li, "value").isdigit():
                # the site's number, even after a gap (WeasyPrint sets, then increments)
                li["style"] = f"counter-set: list-item {int(attr(li, 'value')) - 1}"
        if dropped:
            note = soup.new_tag("p", attrs={"class": "web-cited"})
            numbers = ", ".join(dropped[:-1]) + (" and " if len(dropped) > 1 else "") + dropped[-1]
            sources = "Sources" if len(dropped) > 1 else "Source"
            verb = "are" if len(dropped) > 1 else "is"
            note.string = f"{sources} {numbers} {verb} cited in the online guide only."
            ol.insert_after(note)
    return dropped
