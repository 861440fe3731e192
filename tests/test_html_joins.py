"""Markers and lists built by string joins give the bytes the Jinja templates gave.

Until issue 22 the engine rendered each marker and each list through the
autoescaping templates now kept in ``tests/html_oracle/`` (a template render
per marker cost a third of a warm build's excess over the limit). The
templates stay here as the oracle: every page of every fixture site and of
the guide is rendered with the string-join code while each marker and list
is also rendered through the templates, and the two must agree byte for
byte; so must any text Hypothesis can find (escaping included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from macros.html import markers
from macros.html.markers import BackRef, BackRefGroup, ListItem, MarkerPart, render_list, render_marker
from macros.pages import renderer
from tests.conftest import FIXTURES, ROOT
from tests.test_rendering import SITES, pages_rendered_both_ways

ORACLE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "html_oracle"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def template_marker(
    *, marker_id: str, keys: list[str], parts: list[MarkerPart], loc: str | None, brackets: bool, broken: bool
) -> Markup:
    """render_marker as it was, through marker.html."""
    if loc:
        cited = f" Cited here: {markers.format_locator(loc, brackets=True)}."
        parts = [MarkerPart(p.number, p.href, p.title + cited, p.sep) for p in parts]
    elif any(p.loc for p in parts):
        # [@a, p. 5; @b]: each number with its own pinpoint; brackets separate them with ';'
        parts = [
            MarkerPart(
                p.number,
                p.href,
                p.title + (f" Cited here: {markers.format_locator(p.loc, brackets=True)}." if p.loc else ""),
                "; " if brackets and p.sep == "," else p.sep,
                markers.format_locator(p.loc, brackets) if p.loc else None,
            )
            for p in parts
        ]
    html = ORACLE.get_template("marker.html").render(
        tag="span" if brackets else "sup",
        id=marker_id,
        keys=keys,
        parts=parts,
        loc=markers.format_locator(loc, brackets) if loc else None,
        brackets=brackets,
        broken=broken,
    )
    return Markup(html.strip())


def template_list(
    slug: str, items: list[ListItem], uncited: list[ListItem] | None = None, author_date: bool = False
) -> Markup:
    """render_list as it was, through references.html."""
    html = ORACLE.get_template("references.html").render(
        slug=slug, items=items, uncited=uncited or [], author_date=author_date
    )
    return Markup("\n\n" + html.strip() + "\n\n")


@pytest.mark.parametrize("name", [*SITES, "the guide"])
def test_every_marker_and_list_of_every_site_is_the_template_s_bytes(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {"markers": 0, "lists": 0}

    def marker(**kwargs: Any) -> Markup:
        joined = render_marker(**kwargs)
        assert joined == template_marker(**kwargs)
        seen["markers"] += 1
        return joined

    def listing(*args: Any, **kwargs: Any) -> Markup:
        joined = render_list(*args, **kwargs)
        assert joined == template_list(*args, **kwargs)
        seen["lists"] += 1
        return joined

    monkeypatch.setattr(renderer, "render_marker", marker)
    monkeypatch.setattr(renderer, "render_list", listing)
    project = ROOT if name == "the guide" else FIXTURES / name
    pages_rendered_both_ways(project)
    if name in ("the guide", "basic", "brackets", "locator", "ranges", "uncited_entries", "csl_styles"):
        assert seen["lists"] > 0  # the comparison ran
    if name in ("the guide", "basic", "brackets", "locator", "ranges"):
        assert seen["markers"] > 0


SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TEXT = st.text(max_size=8) | st.sampled_from(["", "^", "<b>&\"'", "a b", "467-474", "12"])
PARTS = st.builds(
    MarkerPart, number=TEXT, href=st.none() | TEXT, title=TEXT, sep=TEXT | st.just(","), loc=st.none() | TEXT
)
REFS = st.builds(BackRef, href=TEXT, text=TEXT, label=TEXT, loc=st.none() | TEXT)
GROUPS = st.builds(BackRefGroup, page=st.none() | TEXT, refs=st.lists(REFS, min_size=1, max_size=3))
ITEMS = st.builds(
    ListItem,
    key=TEXT,
    id=TEXT,
    html=TEXT.map(Markup) | TEXT.map(lambda text: Markup(f"<i>{Markup.escape(text)}</i>")),
    number=st.none() | st.integers(0, 999),
    backrefs=st.lists(GROUPS, max_size=3),
)


@SETTINGS
@given(
    marker_id=TEXT,
    keys=st.lists(TEXT, max_size=3),
    parts=st.lists(PARTS, max_size=4),
    loc=st.none() | TEXT,
    brackets=st.booleans(),
    broken=st.booleans(),
)
def test_any_marker_is_the_template_s_bytes(
    marker_id: str, keys: list[str], parts: list[MarkerPart], loc: str | None, brackets: bool, broken: bool
) -> None:
    kwargs = dict(marker_id=marker_id, keys=keys, parts=parts, loc=loc, brackets=brackets, broken=broken)
    assert render_marker(**kwargs) == template_marker(**kwargs)  # type: ignore[arg-type]


@SETTINGS
@given(
    slug=TEXT,
    items=st.lists(ITEMS, max_size=4),
    uncited=st.none() | st.lists(ITEMS, max_size=3),
    author_date=st.booleans(),
)
def test_any_list_is_the_template_s_bytes(
    slug: str, items: list[ListItem], uncited: list[ListItem] | None, author_date: bool
) -> None:
    assert render_list(slug, items, uncited, author_date) == template_list(slug, items, uncited, author_date)
