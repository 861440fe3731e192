"""The Vancouver style on in-memory pybtex entries, against hand-written NLM strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import Entry, Person

from macros.bib.latex_to_text import convert
from macros.bib.reader import load, parse
from macros.html.format_entries import Formatter
from macros.styles import get_style
from macros.styles.places import nlm_place
from macros.styles.vancouver import cited_date, edition_text, month_text, nlm_pages
from tests.conftest import ROOT


def entry(kind: str, authors: list[str] | None = None, editors: list[str] | None = None, **fields: str) -> Entry:
    persons = {}
    if authors:
        persons["author"] = [Person(a) for a in authors]
    if editors:
        persons["editor"] = [Person(a) for a in editors]
    e = Entry(kind, fields=fields, persons=persons)
    e.key = "k"
    return e


def text(e: Entry, max_authors: int = 6) -> str:
    style = get_style("vancouver", max_authors=max_authors)
    return str(style.format_entry("1", e).text.render_as("text"))


# The guide's eight references, exactly as ICMJE / NLM Citing Medicine writes them.
GUIDE = {
    "cuthbert2021": "Cuthbert M, Ripley NJ, Suchomel TJ, Alejo R, McMahon JJ, Comfort P. Electromyographical "
    "differences between the hyperextension and reverse-hyperextension. J Strength Cond Res. "
    "2021 Jun;35(6):1477-83. doi:10.1519/JSC.0000000000004049. PMID: 34027916.",
    "lawrence2022": "Lawrence MA, Somma MJ, Swanson BT. Effect of load on muscle activity, kinematics, and "
    "force production during the reverse hyperextension exercise. J Appl Biomech. 2022 Oct;38(5):336-45. "
    "doi:10.1123/jab.2022-0046. PMID: 36096478.",
    "tikkanen2013": "Tikkanen O, Haakana P, Pesola AJ, Häkkinen K, Rantalainen T, Havu M, et al. "
    "Muscle activity and inactivity periods during normal daily life. PLoS One. "
    "2013 Jan;8(1):e52228. doi:10.1371/journal.pone.0052228. PMID: 23349681; PMCID: PMC3548884.",
    "moore1999": "Moore KL, Dalley AF. Clinically oriented anatomy. 4th ed. "
    "Baltimore (MD): Lippincott Williams & Wilkins; 1999.",
    "ono2011": "Ono T, Higashihara A, Fukubayashi T. Hamstring functions during hip-extension "
    "exercise assessed with electromyography and magnetic resonance imaging. Res Sports Med. "
    "2011 Jan;19(1):42-52. doi:10.1080/15438627.2011.535769. PMID: 21253975.",
    "acsm2009": "American College of Sports Medicine. American College of Sports Medicine position stand. "
    "Progression models in resistance training for healthy adults. Med Sci Sports Exerc. "
    "2009 Mar;41(3):687-708. doi:10.1249/MSS.0b013e3181915670. PMID: 19204579.",
    "northerntrust": "Northern Health and Social Care Trust. Low back pain (LBP) [Internet]. "
    "[cited 2026 Dec 6]. Available from: https://www.northerntrust.hscni.net/services/"
    "physiotherapy-services/physiotherapy-service-outpatient-service/low-back-pain/",
    "arab2011": "Arab AM, Ghamkhar L, Emami M, Nourbakhsh MR. Altered muscular activation during "
    "prone hip extension in women with and without low back pain. Chiropr Man Therap. "
    "2011 Aug;19(1):18. doi:10.1186/2045-709X-19-18. PMID: 21838925.",
}


@pytest.mark.parametrize("key", sorted(GUIDE))
def test_guide_references_render_exactly(key: str) -> None:
    bib = load(str(ROOT / "references.bib"), "references.bib")
    assert not bib.problems.errors, [str(p) for p in bib.problems]
    formatter = Formatter(bib)
    item = bib.get(key)
    assert item is not None
    assert formatter.format(item).text == GUIDE[key]
    assert not formatter.problems.items, [str(p) for p in formatter.problems]


def test_article_with_issue_pages_and_month() -> None:
    e = entry(
        "article",
        ["Halpern, Scott D.", "Ubel, Peter A.", "Caplan, Arthur L."],
        title="Solid-organ transplantation in HIV-infected patients",
        journal="New England Journal of Medicine",
        shortjournal="N Engl J Med",
        year="2002",
        month="July",
        volume="347",
        number="4",
        pages="284--287",
    )
    assert text(e) == (
        "Halpern SD, Ubel PA, Caplan AL. Solid-organ transplantation in HIV-infected patients. "
        "N Engl J Med. 2002 Jul;347(4):284-7."
    )


def test_journalabbr_is_used_and_full_journal_is_the_fallback() -> None:
    base = dict(title="T", year="2020", volume="1", pages="5")
    assert "J Abbr. 2020;1:5." in text(
        entry("article", ["A, B"], None, journal="Journal Full", journalabbr="J Abbr", **base)
    )
    assert "Journal Full. 2020;1:5." in text(entry("article", ["A, B"], None, journal="Journal Full", **base))


def test_more_than_max_authors_becomes_et_al() -> None:
    authors = [f"Surname{i}, Given" for i in range(1, 9)]
    e = entry("article", authors, title="T", journal="J", year="2000")
    six = ", ".join(f"Surname{i} G" for i in range(1, 7))
    assert text(e).startswith(six + ", et al. T.")
    assert text(e, max_authors=3).startswith("Surname1 G, Surname2 G, Surname3 G, et al. T.")
    exactly_six = entry("article", authors[:6], title="T", journal="J", year="2000")
    assert "et al" not in text(exactly_six)


def test_and_others_gives_et_al() -> None:
    e = entry("article", ["Smith, John", "others"], title="T", journal="J", year="2000")
    assert text(e).startswith("Smith J, et al. T.")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("van der Berg, Jan", "van der Berg J"),
        ("de la Cruz, Maria Luisa", "de la Cruz ML"),
        ("King, Jr., Martin Luther", "King ML Jr"),
        ("{World Health Organization}", "World Health Organization"),
        ("Jean-Paul Sartre", "Sartre JP"),
        ("Kang, S. Y.", "Kang SY"),
        ("Kang, SY", "Kang SY"),
        ('H{\\"a}kkinen, Keijo', "Häkkinen K"),
        ("{\\O}stergaard, Lars", "Østergaard L"),
    ],
)
def test_names(name: str, expected: str) -> None:
    e = entry("misc", [name], title="T")
    assert text(e) == f"{expected}. T."


def test_book_with_editors_and_no_authors() -> None:
    e = entry(
        "book",
        editors=["Gilstrap, Larry C.", "Cunningham, F. Gary", "VanDorsten, J. Peter"],
        title="Operative obstetrics",
        edition="second",
        address="New York",
        publisher="McGraw-Hill",
        year="2002",
    )
    assert text(e) == (
        "Gilstrap LC, Cunningham FG, VanDorsten JP, editors. Operative obstetrics. 2nd ed. New York: McGraw-Hill; 2002."
    )


def test_chapter_in_a_book() -> None:
    e = entry(
        "incollection",
        ["Meltzer, Paul S.", "Kallioniemi, Anne", "Trent, Jeffrey M."],
        editors=["Vogelstein, Bert", "Kinzler, Kenneth W."],
        title="Chromosome alterations in human solid tumors",
        booktitle="The genetic basis of human cancer",
        address="New York",
        publisher="McGraw-Hill",
        year="2002",
        pages="93--113",
    )
    assert text(e) == (
        "Meltzer PS, Kallioniemi A, Trent JM. Chromosome alterations in human solid tumors. "
        "In: Vogelstein B, Kinzler KW, editors. The genetic basis of human cancer. "
        "New York: McGraw-Hill; 2002. p. 93-113."
    )


def test_conference_paper() -> None:
    """One editor is an "editor" (Citing Medicine); several are "editors"."""
    e = entry(
        "inproceedings",
        ["Christensen, S."],
        editors=["Foster, J. A."],
        title="Mutation detection",
        booktitle="Genetic Programming. EuroGP 2002",
        address="Berlin",
        publisher="Springer",
        year="2002",
        pages="182--191",
    )
    assert text(e) == (
        "Christensen S. Mutation detection. In: Foster JA, editor. Genetic Programming. EuroGP 2002. "
        "Berlin: Springer; 2002. p. 182-91."
    )


def test_conference_paper_with_event_date_and_venue() -> None:
    """ICMJE's sample: '...EuroGP 2002: Proceedings...; 2002 Apr 3-5; Kinsdale, Ireland. Berlin: ...'."""
    e = entry(
        "inproceedings",
        ["Christensen, S.", "Oppacher, F."],
        editors=["Foster, J. A.", "Lutton, E.", "Miller, J.", "Ryan, C.", "Tettamanzi, A. G."],
        title="An analysis of Koza's computational effort statistic for genetic programming",
        booktitle="Genetic programming. EuroGP 2002: Proceedings of the 5th European Conference on Genetic Programming",
        eventdate="2002-04-03/2002-04-05",
        venue="Kinsdale, Ireland",
        address="Berlin",
        publisher="Springer",
        year="2002",
        pages="182--191",
    )
    assert text(e) == (
        "Christensen S, Oppacher F. An analysis of Koza's computational effort statistic for genetic programming. "
        "In: Foster JA, Lutton E, Miller J, Ryan C, Tettamanzi AG, editors. Genetic programming. EuroGP 2002: "
        "Proceedings of the 5th European Conference on Genetic Programming; 2002 Apr 3-5; Kinsdale, Ireland. "
        "Berlin: Springer; 2002. p. 182-91."
    )


@pytest.mark.parametrize(
    ("journal", "expected"),
    [
        ("Angew.~Chem. Int.~Ed.", "Angew Chem Int Ed"),
        ("Proc. Natl. Acad. Sci. U.S.A.", "Proc Natl Acad Sci U S A"),
        ("PLoS ONE", "PLoS ONE"),
        ("Natural Language \\& Linguistic Theory", "Natural Language & Linguistic Theory"),
    ],
)
def test_journal_abbreviations_lose_their_periods(journal: str, expected: str) -> None:
    e = entry("article", ["Doe, J"], title="T", journal=journal, year="2000")
    assert text(e) == f"Doe J. T. {expected}. 2000."


def test_thesis() -> None:
    e = entry(
        "phdthesis",
        ["Borkowski, Mary M."],
        title="Infant sleep and feeding",
        school="Catholic University of America",
        address="Washington (DC)",
        year="2000",
    )
    assert (
        text(e)
        == "Borkowski MM. Infant sleep and feeding [dissertation]. Washington (DC): Catholic University of America; 2000."
    )
    m = entry("mastersthesis", ["Roe, Ann"], title="A study", school="Uni", year="2010")
    assert text(m) == "Roe A. A study [master's thesis]. Uni; 2010."


def test_report() -> None:
    e = entry(
        "techreport",
        ["Page, E.", "Harney, J. M."],
        title="Health hazard evaluation report",
        institution="National Institute for Occupational Safety and Health",
        address="Cincinnati (OH)",
        year="2001",
        number="HETA2000-0139-2824",
    )
    assert text(e) == (
        "Page E, Harney JM. Health hazard evaluation report. Cincinnati (OH): National Institute "
        "for Occupational Safety and Health; 2001. Report No.: HETA2000-0139-2824."
    )


def test_web_page_with_cited_date() -> None:
    e = entry(
        "online",
        ["{Cancer-Pain.org}"],
        title="Cancer-Pain.org home page",
        address="New York",
        publisher="Association of Cancer Online Resources, Inc.",
        year="2000",
        urldate="2002-07-09",
        url="http://www.cancer-pain.org/",
    )
    assert text(e) == (
        "Cancer-Pain.org. Cancer-Pain.org home page [Internet]. New York: Association of Cancer "
        "Online Resources, Inc.; 2000 [cited 2002 Jul 9]. Available from: http://www.cancer-pain.org/"
    )


def test_unknown_type_is_formatted_as_misc() -> None:
    e = entry("artwork", ["Doe, Jane"], title="Numbers", year="2020")
    assert text(e) == "Doe J. Numbers. 2020."


def test_latex_becomes_unicode_and_braces_disappear() -> None:
    bib = parse(
        "@article{k, author = {M{\\\"u}ller, J{\\'o}zsef}, journal = {J}, year = 2000,\n"
        "  title = {The {DNA} of {\\em caf\\'e} culture -- a \\emph{study} \\& more}}",
        "refs.bib",
    )
    assert not bib.problems.items
    item = bib.get("k")
    assert item is not None
    assert Formatter(bib).format(item).text == "Müller J. The DNA of café culture – a study & more. J. 2000."


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("303--307", "303-7"),
        ("467-474", "467-74"),
        ("42--52", "42-52"),
        ("1099-1100", "1099-100"),
        ("e52228", "e52228"),
        ("18", "18"),
        ("S12--S18", "S12-8"),
        ("A230--A231", "A230-1"),
        ("W615-W621", "W615-21"),
        ("i79-i90", "i79-90"),
        ("S15-S22", "S15-22"),
        ("A1-B2", "A1-B2"),
        ("S5-12", "S5-12"),
        ("73+", "73+"),
        ("5-5", "5"),
        ("1-5, 7", "1-5, 7"),
        ("284\u2013287", "284-7"),
    ],
)
def test_nlm_page_ranges(pages: str, expected: str) -> None:
    assert nlm_pages(pages) == expected


@pytest.mark.parametrize(
    ("edition", "expected"),
    [("4", "4th ed."), ("2nd", "2nd ed."), ("Third", "3rd ed."), ("11", "11th ed."), ("Rev.", "Rev ed.")],
)
def test_editions(edition: str, expected: str) -> None:
    assert edition_text(edition) == expected


def test_cited_dates() -> None:
    assert cited_date("2024-01-05") == "2024 Jan 5"
    assert cited_date("2024-11") == "2024 Nov"
    assert cited_date("yesterday") == "yesterday"


@pytest.mark.parametrize("style", ["unsrt", "plain", "alpha"])
def test_pybtex_builtin_styles_stay_selectable(style: str) -> None:
    bib = load(str(ROOT / "references.bib"), "references.bib")
    formatter = Formatter(bib, style=style)
    item = bib.get("cuthbert2021")
    assert item is not None
    out = formatter.format(item).text
    # pybtex's unsrt-family styles write full "and"-joined names and "J Strength Cond Res" is not used.
    assert "and P. Comfort" in out or "and Paul Comfort" in out or "and Comfort" in out
    assert "Journal of Strength and Conditioning Research" in out


# -- rules from real reference-manager exports (issue 16) ------------------------------


@pytest.mark.parametrize(
    ("latex_source", "expected"),
    [
        ("\\mbox{G-Animal's} Journal", "G-Animal's Journal"),
        ("{\\noopsort{1973c}}1981", "1981"),
        ("see \\url{https://a.org/x\\_y}", "see https://a.org/x_y"),
        ("\\href{https://a.org}{the site}", "the site"),
        ("\\emph{a} \\textit{b} \\textsc{c} {\\em d}", "a b c d"),
        ("\\=o \\.z \\c{c} \\v{s} \\u{a} \\H{o} \\k{a} {\\={P}}ot", "ō ż ç š ă ő ą P\u0304ot"),
        ("\\aa \\o \\ss{} \\AA{} \\O", "åøß Å Ø"),
        ("Garc\\'{\\i}a, \\'\\i", "García, í"),
        ("Angew.~Chem. 5\\,mg", "Angew. Chem. 5 mg"),
        ("$\\alpha$-helix, $^{2}$H, $\\pm$ 2, {$P_4$}, $P_4$", "α-helix, ²H, ± 2, P₄, P₄"),
        ("\\TeX, \\LaTeX, \\BibTeX\\ files\\ldots", "TeX, LaTeX, BibTeX files…"),
        ("a\\textendash b\\textemdash c -- d --- e", "a–b—c – d — e"),
        ("``quoted''", "\u201cquoted\u201d"),
        ("Costs of US{$}5", "Costs of US$5"),
        ("An {$O(n \\log n / \\! \\log\\log n)$} Sorting", "An O(n log n / log log n) Sorting"),
    ],
)
def test_latex_that_bib_files_carry_becomes_unicode(latex_source: str, expected: str) -> None:
    converted = convert(latex_source)
    assert converted.text == expected
    assert converted.unknown == ()


def test_latex_that_cannot_be_converted_is_named_and_left_out() -> None:
    converted = convert("The \\foo{bar} of $\\hat{x}$")
    assert converted.text == "The bar of x"
    assert converted.unknown == ("\\foo", "$\\hat{x}$")


def test_unconvertible_latex_warns_at_its_line_as_plain_text() -> None:
    bib = parse(
        "@article{k,\n  author = {Smith, J},\n  journal = {J},\n  year = 2000,\n  title = {A \\foo{bar} study}}\n",
        "references.bib",
    )
    item = bib.get("k")
    assert item is not None
    formatter = Formatter(bib)
    assert formatter.format(item).text == "Smith J. A bar study. J. 2000."
    assert [str(p) for p in formatter.problems] == [
        "references.bib:5: entry 'k': the title field has LaTeX that cannot be converted to text (\\foo); "
        'it is shown without it, as "A bar study" (write it as plain text or Unicode, e.g. x² for $x^2$)'
    ]


def test_tex_logos_and_symbols_are_converted_silently() -> None:
    bib = parse(
        "@book{k, author = {Knuth, Donald E.}, title = {The \\TeX book \\textendash{} \\LaTeX\\ and \\BibTeX\\ldots},"
        " publisher = {Addison-Wesley}, year = 1984}\n",
        "references.bib",
    )
    item = bib.get("k")
    assert item is not None
    formatter = Formatter(bib)
    assert formatter.format(item).text == "Knuth DE. The TeXbook – LaTeX and BibTeX…. Addison-Wesley; 1984."
    assert not formatter.problems.items


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mccall Jr., W D", "Mccall WD Jr"),
        ("Long, J. D., 2nd", "Long JD 2nd"),
        ("Hyman, Jr, Ira E", "Hyman IE Jr"),
        ("LaViola Jr., Joseph J", "LaViola JJ Jr"),
        ("Smith III, John", "Smith J 3rd"),  # NLM: generation as an ordinal, not a roman numeral
        ("{JTC~1/SC~22/WG~14}", "JTC 1/SC 22/WG 14"),
        ("{Lichess Team}", "Lichess Team"),
        ("L[eslie] A. Aamport", "Aamport LA"),
    ],
)
def test_names_as_exports_write_them(name: str, expected: str) -> None:
    assert text(entry("misc", [name], title="T")) == f"{expected}. T."


def test_a_capitalised_particle_written_first_joins_the_surname() -> None:
    bib = parse("@misc{k, author = {Bruno De Santi and Anna van Berg}, title = {T}}\n", "references.bib")
    item = bib.get("k")
    assert item is not None
    assert Formatter(bib).format(item).text == "De Santi B, van Berg A. T."


def test_biblatex_fields_are_read_and_bibtex_wins() -> None:
    e = entry(
        "article",
        ["Doe, Jane"],
        title="Main",
        subtitle="the sub",
        journaltitle="J Bibl",
        date="1998-03-15",
        volume="4",
        pages="17-30",
    )
    assert text(e) == "Doe J. Main: the sub. J Bibl. 1998 Mar 15;4:17-30."
    both = entry("article", ["Doe, Jane"], title="T", journal="J Tex", journaltitle="J Bibl", year="2001", date="1998")
    assert text(both) == "Doe J. T. J Tex. 2001."


def test_biblatex_thesis_types() -> None:
    base = dict(title="T", institution="MIT", location="Cambridge, Mass.", date="1992")
    assert text(entry("thesis", ["Loh, N"], None, type="mathesis", **base)) == (
        "Loh N. T [master's thesis]. Cambridge (MA): MIT; 1992."
    )
    assert text(entry("thesis", ["Loh, N"], None, type="phdthesis", **base)) == (
        "Loh N. T [dissertation]. Cambridge (MA): MIT; 1992."
    )


def test_eprints_become_identifiers() -> None:
    e = entry("misc", ["Doe, J"], title="T", year="2020", eprint="2001.01234", eprinttype="arxiv")
    assert text(e) == "Doe J. T. 2020. arXiv:2001.01234."
    p = entry("article", ["Doe, J"], title="T", journal="J", year="2020", eprint="123", eprinttype="pubmed")
    assert text(p) == "Doe J. T. J. 2020. PMID: 123."


def test_access_dates_and_urls_on_a_book_and_a_report() -> None:
    book = entry(
        "book",
        ["Doe, J"],
        title="Guide",
        publisher="WHO",
        address="Geneva",
        year="2010",
        month="mar",
        url="https://who.int/g",
        urldate="2020-01-31",
    )
    assert text(book) == (
        "Doe J. Guide [Internet]. Geneva: WHO; 2010 [cited 2020 Jan 31]. Available from: https://who.int/g"
    )
    report = entry("techreport", ["Doe, J"], title="R", institution="NIH", year="2001", url="https://nih.gov/r")
    assert text(report) == "Doe J. R. NIH; 2001. Available from: https://nih.gov/r"


def test_howpublished_url_is_the_link() -> None:
    bib = parse(
        "@misc{k, author = {{NTP.org}}, title = {Clock}, year = 2015, urldate = {2015-02-13},\n"
        "  howpublished = {\\url{http://www.ntp.org/a.htm}}}\n",
        "references.bib",
    )
    item = bib.get("k")
    assert item is not None
    result = Formatter(bib).format(item)
    assert result.text == (
        "NTP.org. Clock [Internet]. 2015 [cited 2015 Feb 13]. Available from: http://www.ntp.org/a.htm"
    )
    assert '<a href="http://www.ntp.org/a.htm">http://www.ntp.org/a.htm</a>' in result.html


def test_one_editor_and_several_editors() -> None:
    one = entry("book", editors=["Rauterberg, Matthias"], title="T", publisher="P", year="2004")
    assert text(one) == "Rauterberg M, editor. T. P; 2004."
    two = entry("book", editors=["Olson, Judith S", "Kellogg, Wendy A"], title="T", publisher="P", year="2014")
    assert text(two) == "Olson JS, Kellogg WA, editors. T. P; 2014."


def test_books_chapters_and_theses_give_the_year_only() -> None:
    base = dict(title="T", publisher="P", year="1981", month="jan")
    assert text(entry("book", ["Doe, J"], None, **base)) == "Doe J. T. P; 1981."
    assert text(entry("incollection", ["Doe, J"], None, booktitle="B", **base)) == "Doe J. T. In: B. P; 1981."
    assert text(entry("phdthesis", ["Doe, J"], title="T", school="S", year="1988", month="jun")) == (
        "Doe J. T [dissertation]. S; 1988."
    )
    assert text(entry("article", ["Doe, J"], title="T", journal="J", year="1986", month="jul")) == (
        "Doe J. T. J. 1986 Jul."
    )


def test_manual_keeps_its_organization_and_every_type_shows_its_note() -> None:
    manual = entry("manual", ["Manmaker, Larry"], title="M", organization="Chips-R-Us", year="1986", note="N")
    assert text(manual) == "Manmaker L. M. Chips-R-Us; 1986. N."
    for kind, extra in [
        ("inproceedings", {"booktitle": "B"}),
        ("incollection", {"booktitle": "B", "publisher": "P"}),
        ("phdthesis", {"school": "S"}),
        ("techreport", {"institution": "I"}),
        ("online", {"url": "https://x.org"}),
        ("inbook", {"publisher": "P", "chapter": "2"}),
    ]:
        shown = text(entry(kind, ["Doe, J"], None, title="T", year="2000", note="A note", **extra))
        assert "A note." in shown, (kind, shown)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("June-August", "Jun-Aug"), ("November, December", "Nov-Dec"), ("05", "May"), ("10 January", "Jan 10")],
)
def test_month_ranges(value: str, expected: str) -> None:
    assert month_text(value) == expected


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Reading, Massachusetts", "Reading (MA)"),
        ("New York, New York, USA", "New York (NY)"),
        ("Waltham, MA, USA", "Waltham (MA)"),
        ("Cambridge, Mass.", "Cambridge (MA)"),
        ("Toronto, ON", "Toronto (ON)"),
        ("Berlin, Heidelberg", "Berlin, Heidelberg"),
        ("Baltimore (MD)", "Baltimore (MD)"),
        ("London", "London"),
    ],
)
def test_us_and_canadian_places(place: str, expected: str) -> None:
    assert nlm_place(place) == expected


@pytest.mark.parametrize(
    ("edition", "expected"), [("Second", "2nd ed."), ("2nd", "2nd ed."), ("2", "2nd ed."), ("1", "")]
)
def test_edition_words(edition: str, expected: str) -> None:
    assert edition_text(edition) == expected


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=list("ab ~{}\\$^_'`\"=.cvuHk-iol(){}[]0123456789,&%#"), max_size=16))
def test_any_latex_converts_without_error_and_without_braces(value: str) -> None:
    converted = convert(value)
    shown_braces = converted.text.count("{") + converted.text.count("}")
    # Only an escaped brace (\{ \}) or one inside an address may be shown.
    assert shown_braces <= value.count("\\{") + value.count("\\}") + sum(
        u.count("{") + u.count("}") for u in converted.urls
    )
    assert "\\" not in converted.text or "\\" in "".join(converted.urls) or "\\\\textbackslash" in value


def test_a_chapter_takes_its_book_from_the_crossref() -> None:
    bib = parse(
        "@incollection{child, author = {Doe, Jane}, title = {Chapter}, pages = {1--10}, crossref = {Parent}}\n"
        "@book{parent, editor = {Roe, Rick and Poe, Pat}, title = {The Book}, subtitle = {A Sub},\n"
        "  publisher = {Pub}, location = {Boston, MA}, date = {2001-05}}\n",
        "references.bib",
    )
    item = bib.get("child")
    assert item is not None
    formatter = Formatter(bib)
    assert formatter.format(item).text == (
        "Doe J. Chapter. In: Roe R, Poe P, editors. The Book: A Sub. Boston (MA): Pub; 2001. p. 1-10."
    )
    assert not formatter.problems.items


def test_a_biblatex_location_list_gives_its_first_place() -> None:
    e = entry("book", ["Gerhardt, Michael J."], title="T", publisher="Duke University Press", date="2000")
    e.fields["location"] = "Westport, Conn. and London"
    assert text(e) == "Gerhardt MJ. T. Westport (CT): Duke University Press; 2000."
    e.fields["location"] = "{Stratford and Avon}"
    assert text(e) == "Gerhardt MJ. T. Stratford and Avon: Duke University Press; 2000."


def test_a_doi_org_link_is_the_doi_and_a_bare_howpublished_url_is_the_link() -> None:
    e = entry("article", ["Zhang, G"], title="T", journal="J", year="2010", url="https://doi.org/10.1109/CLOUD.2010.60")
    assert text(e) == "Zhang G. T. J. 2010. doi:10.1109/CLOUD.2010.60."
    m = entry("misc", ["Beringer, L"], title="Notes", howpublished="http://www.lfcs.inf.ed.ac.uk/r/")
    assert text(m) == "Beringer L. Notes [Internet]. Available from: http://www.lfcs.inf.ed.ac.uk/r/"


def test_a_note_that_only_gives_the_access_date_is_the_access_date() -> None:
    e = entry("misc", ["Doe, J"], title="Page", year="2020", url="https://x.org/p", note="Accessed: March 5, 2021")
    assert text(e) == "Doe J. Page [Internet]. 2020 [cited 2021 Mar 5]. Available from: https://x.org/p"
    other = entry(
        "misc", ["Doe, J"], title="Page", url="https://x.org/p", urldate="2021-01-01", note="accessed 2021-03-05"
    )
    assert (
        text(other)
        == "Doe J. Page [Internet]. [cited 2021 Jan 1]. Available from: https://x.org/p accessed 2021-03-05."
    )
