"""The reference list's heading in the site's language, and finding a heading a page already has.

The default title follows ``theme.language`` (Material) or ``theme.locale``
(MkDocs' own themes); a site sets its own with ``references_title``, a page
with ``references_title:`` in its front matter. No MkDocs imports here.
"""

from __future__ import annotations

# The heading sources are listed under in each language's scholarly writing
# (the word for "References" as a section of a paper or article).
REFERENCES_TITLES: dict[str, str] = {
    "en": "References",
    "zh": "参考文献",
    "zh-hant": "參考文獻",
    "zh-tw": "參考文獻",
    "es": "Referencias",
    "fr": "Références",
    "de": "Literatur",
    "ja": "参考文献",
    "pt": "Referências",
    "ru": "Литература",
    "ar": "المراجع",
    "hi": "संदर्भ",
    "ko": "참고 문헌",
    "it": "Bibliografia",
    "nl": "Literatuur",
    "pl": "Bibliografia",
    "tr": "Kaynakça",
    "vi": "Tài liệu tham khảo",
    "id": "Daftar pustaka",
    "uk": "Література",
    "cs": "Literatura",
    "sv": "Referenser",
    "fa": "منابع",
    "he": "מקורות",
}

# Headings a page may already have for its list, in any of these languages
# (compared without case): "## References" at the end of a page written for
# mkdocs-bibtex gets the list under it instead of a second heading.
LIST_HEADINGS = frozenset(
    {title.casefold() for title in REFERENCES_TITLES.values()}
    | {"bibliography", "references", "sources", "works cited", "literature", "reference list"}
)


def references_title(language: object) -> str:
    """The list's default heading for a theme language such as "en", "pt-BR" or "zh-Hant"."""
    if not isinstance(language, str) or not language.strip():
        return REFERENCES_TITLES["en"]
    code = language.strip().lower().replace("_", "-")
    if code in REFERENCES_TITLES:
        return REFERENCES_TITLES[code]
    return REFERENCES_TITLES.get(code.split("-")[0], REFERENCES_TITLES["en"])


def is_list_heading(text: str, title: str) -> bool:
    """Is a heading of the page named like the reference list (its title, or a usual synonym)?"""
    name = text.strip()
    if name.endswith("}") and "{" in name:  # an attribute list: ## References {#refs}
        name = name[: name.rindex("{")]
    name = name.strip().strip("#").strip().rstrip(":").strip().casefold()
    return name == title.strip().casefold() or name in LIST_HEADINGS
