"""The Vancouver style on real reference-manager exports, against NLM strings written by hand.

The entries are ``../shared/corpora/vancouver/references.bib``: Zotero / Better
BibTeX, Papers3, EndNote, Google Scholar and publisher exports, TeX Live's
``xampl.bib`` and biblatex's ``biblatex-examples.bib``, none written here.
Every expected string below was written from the entry by the rules of NLM's
*Citing Medicine* (ICMJE's sample references as the tie-breaker), with the
project's conventions for what Citing Medicine leaves open:

- six authors, then "et al."; "others" in the author list is "et al." too;
- the journal as the entry names it (no abbreviation is invented), an
  abbreviated one without periods, as NLM writes them ("Angew Chem Int Ed");
- Year Mon (Day) for articles, web pages, reports and other items; the year
  alone for books, chapters, proceedings and theses;
- page ranges elided (1527-1537 -> 1527-37, A230-A231 -> A230-1);
- a first edition is not stated; "Second", "2nd" and "2" are "2nd ed.";
- a US place "City, State" is "City (ST)";
- an item with a URL shown and an access date is cited as an Internet source;
  the URL is left out when the DOI is given;
- the note closes the reference, after the DOI / PMID and the URL (NLM's
  Notes are its last element); a note that only gives the URL's access date
  is that date ("[cited ...]");
- no series statement (optional in Citing Medicine).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from macros.bib.reader import Bibliography, load
from macros.html.format_entries import Formatter
from tests.conftest import ROOT
from tests.safe_html import html_problems

CORPUS = ROOT.parent / "shared" / "corpora" / "vancouver"
REFERENCES = CORPUS / "references.bib"
EXTRA = CORPUS / "robustness_extra.bib"

GOLDEN: dict[str, str] = {
    # EndNote export (eferrea/BCI-Master)
    "RN572": "Aflalo T, Kellis S, Klaes C, Lee B, Shi Y, Pejsa K, et al. Neurophysiology. Decoding motor "
    "imagery from the posterior parietal cortex of a tetraplegic human. Science. 2015;348(6237):906-10. "
    "doi:10.1126/science.aaa5417.",
    "RN1272": "Ajiboye AB, Willett FR, Young DR, Memberg WD, Murphy BA, Miller JP, et al. Restoration of "
    "reaching and grasping movements through brain-controlled muscle stimulation in a person with "
    "tetraplegia: a proof-of-concept demonstration. Lancet. 2017;389(10081):1821-30. "
    "doi:10.1016/S0140-6736(17)30601-3.",
    "RN1261": "Georgopoulos AP, Kalaska JF, Caminiti R, Massey JT. On the relations between the direction of "
    "two-dimensional arm movements and cell discharge in primate motor cortex. Journal of Neuroscience. "
    "1982;2(11):1527-37.",
    "RN877": "Koralek AC, Jin X, Long JD 2nd, Costa RM, Carmena JM. Corticostriatal plasticity is necessary "
    "for learning intentional neuroprosthetic skills. Nature. 2012;483(7389):331-5. doi:10.1038/nature10845.",
    "RN1263": "Stegman P, Crawford CS, Andujar M, Nijholt A, Gilbert JE. Brain\u2013computer interface "
    "software: A review and discussion. IEEE Transactions on Human-Machine Systems. 2020;50(2):101-15.",
    "RN1070": "Wu W, Gao Y, Bienenstock E, Donoghue JP, Black MJ. Bayesian population decoding of motor "
    "cortical activity using a Kalman filter. Neural computation. 2006;18(1):80-118.",
    "RN1049": "Ferrea E, Morel P, Franke J, Gail A. Statistical determinants of visuomotor adaptation in a "
    "virtual reality three-dimensional environment. bioRxiv [Preprint]. 2021.",
    "RN1260": "Taylor RM, Hudson TC, Seeger A, Weber H, Juliano J, Helser AT. VRPN: a device-independent, "
    "network-transparent VR peripheral system. In: Proceedings of the ACM symposium on Virtual reality "
    "software and technology. p. 55-61.",
    # Zotero / Better BibTeX (PubMed import)
    "BennettRNAhelicaseDDX272018": "Bennett AH, O'Donohue MF, Gundry SR, Chan AT, Widrick J, Draper I, et al. "
    "RNA Helicase, DDX27 Regulates Skeletal Muscle Growth and Regeneration by Modulation of Translational "
    "Processes. PLoS genetics. 2018 Mar;14(3):e1007226. doi:10.1371/journal.pgen.1007226. "
    "PMID: 29518074; PMCID: PMC5843160.",
    "HuntoonSPEGdeficientskeletalmuscles2018": "Huntoon V, Widrick JJ, Sanchez C, Rosen SM, Kutchukian C, "
    "Cao S, et al. SPEG-deficient Skeletal Muscles Exhibit Abnormal Triad and Defective Calcium Handling. "
    "Human Molecular Genetics. 2018 Jan;27(9):1608-17. doi:10.1093/hmg/ddy068. PMID: 29474540; "
    "PMCID: PMC5905626.",
    # Papers3 library (through Better BibTeX)
    "deJong:2012er": "de Jong IGM, Reinders-Messelink HA, Janssen WGM, Poelma MJ, van Wijk I, van der Sluis CK. "
    "Mixed Feelings of Children and Adolescents with Unilateral Congenital Below Elbow Deficiency: An Online "
    "Focus Group Study. PLoS ONE. 2012 Jun;7(6):e37099. doi:10.1371/journal.pone.0037099.",
    "Louis:1984gm": "Louis DS, Greene TL, Jacobson KE, Rasmussen C, Kolowich P, Goldstein SA. Evaluation of "
    "Normal Values for Stationary and Moving Two-Point Discrimination in the Hand. The Journal of Hand "
    "Surgery. 1984 Jul;9(4):552-5. doi:10.1016/S0363-5023(84)80109-4.",
    "James:2006dv": "James MA, Bagley AM, Brasington K, Lutz C, McConnell S, Molitor F. Impact of Prostheses "
    "on Function and Quality of Life for Children with Unilateral Congenital Below-the-Elbow Deficiency. "
    "The Journal of Bone & Joint Surgery. 2006 Nov;88(11):2356-65. doi:10.2106/JBJS.E.01146. PMID: 17079391.",
    "Zuniga:2015ig": "Zuniga JM, Katsavelis D, Peck J, Stollberg J, Petrykowski M, Carson A, et al. Cyborg "
    "Beast: A Low-Cost 3d-Printed Prosthetic Hand for Children with Upper-Limb Differences. BMC Research "
    "Notes. 2015 Jan;8(1):10. doi:10.1186/s13104-015-0971-9. PMID: 25601104; PMCID: PMC4304188.",
    "Wachs:2008p5146": "Wachs JP, Stern HI, Edan Y, Gillam M, Handler J, Feied C, et al. A Gesture-Based Tool "
    "for Sterile Browsing of Radiology Images. Journal of the American Medical Informatics Association. "
    "2008 Feb;15(3):321-3. doi:10.1197/jamia.M2410.",
    "Yamashita:1999di": "Yamashita R, Kurogi T, Suenaga H, Torisu T, Yamabe Y, Fujii H. Propagation of the "
    "High Frequency Component Caused by the Impact on the Tooth. Nihon Hotetsu Shika Gakkai Zasshi. "
    "1999;43(3):489-94. doi:10.2186/jjps.43.489.",
    "HymanJr:2009iq": "Hyman IE Jr, Boss SM, Wise BM, McKenzie KE, Caggiano JM. Did You See the Unicycling "
    "Clown? Inattentional Blindness While Walking and Talking on a Cell Phone. Applied Cognitive Psychology. "
    "2009 Oct;24(5):597-607. doi:10.1002/acp.1638.",
    "WDMccall:1979fn": "Mccall WD Jr, Tallgren A, Ash MM Jr. EMG Silent Periods in Immediate Complete Denture "
    "Patients: A Longitudinal Study. Journal of Dental Research. 1979 Dec;58(12):2353-9. "
    "doi:10.1177/00220345790580120401. PMID: 292684.",
    "Kulshreshth:2014dn": "Kulshreshth A, LaViola JJ Jr. Exploring the Usefulness of Finger-Based 3D Gesture "
    "Menu Selection. In: CHI'14: Proceedings of the SIGCHI Conference on Human Factors in Computing Systems. "
    "New York (NY): ACM Press; 2014. p. 1093-102. doi:10.1145/2556288.2557122.",
    "Olson:2014kf": "Olson JS, Kellogg WA, editors. Ways of Knowing in HCI. New York (NY): Springer New York; "
    "2014. doi:10.1007/978-1-4939-0378-8.",
    "Rauterberg:2004ip": "Rauterberg M, editor. Entertainment Computing \u2013 ICEC 2004. Berlin, Heidelberg: "
    "Springer Berlin Heidelberg; 2004. doi:10.1007/b99837.",
    "Henry:2009uu": "Henry P, Tran P, Letowski T. Comparison of Bone-Conduction Technologies. Human Research "
    "and Engineering Directorate, Army Research Laboratory / Army Research Laboratory; 2009 Jan. "
    "Report No.: ARL-TR-4705.",
    "Blasko:2007p3905": "Blask\u00f3 GB. Cursorless Interaction Techniques for Wearable and Mobile Computing "
    "[dissertation]. Columbia University / Columbia University; 2007.",
    "Alexa:2014up": "Alexa M, Bickel B, McMains S, Rushmeier HE. Computational Aspects of Fabrication. "
    "Dagstuhl Seminar 14361 Computational Aspects of Fabrication; 2014.",
    # Better BibTeX: braces around particles
    "desw98": "de Swart H. Aspect Shift and Coercion. Natural Language & Linguistic Theory. 1998;16(2):347-85. "
    "doi:10.1023/A:1005916004600.",
    "kenne07": "Kennedy C. Vagueness and Grammar: The Semantics of Relative and Absolute Gradable Adjectives. "
    "Linguistics and Philosophy. 2007;30(1):1-45. doi:10.1007/s10988-006-9008-0.",
    "vand95": "van de Velde D. Le spectre nominal. Des noms de mati\u00e8res aux noms d'abstractions. Paris: "
    "Peeters; 1995.",
    "devr10": "de Vries H. Evaluative Degree Modification of Adjectives and Nouns [master's thesis]. "
    "Universiteit Utrecht; 2010.",
    "vonf94": "von Fintel K. Restrictions on Quantifier Domains [dissertation]. University of Massachusetts; 1994.",
    # Better BibTeX: other exports
    "barrett1994": "Barrett R, Berry M, Chan TF, Demmel J, Donato JM, Dongarra J, et al. Templates for the "
    "Solution of Linear Systems: Building Blocks for Iterative Methods [Internet]. 2nd ed. Philadelphia (PA): "
    "Society for Industrial and Applied Mathematics; 1994 [cited 2020 Jan 31]. Available from: "
    "https://www.netlib.org/linalg/html_templates/Templates.html",
    "yzelman2015": "Yzelman AJN, Roose D, Meerbergen K. Sparse Matrix-Vector Multiplication: Parallelization "
    "and Vectorization. In: High Performance Parallelism Pearls: Multicore and Many-Core Programming "
    "Approaches. Waltham (MA): Morgan Kaufmann; 2015. p. 457-76. doi:10.1016/B978-0-12-802118-7.00027-3.",
    "rosengren_uses_1974": "Rosengren KE. Uses and Gratifications: A Paradigm Outlined. In: Blumler JG, Katz E, "
    "editors. The Uses of Mass Communications: Current Perspectives on Gratifications Research. SAGE "
    "Publications; 1974. p. 269-86. In Valkenburg (2016): Uses-and-gratifications theory: Attempts to "
    "understand why and how people actively seek out specific media to satisfy specific needs.",
    "woodsonToutMounnSe1990": "Woodson DG. Tout Mounn S\u00e9 Mounn, Men Tout Mounn Pa Menm: Microlevel "
    "Sociocultural Aspects of Land Tenure in a Northern Haitian Locality [dissertation]. Chicago (IL): "
    "Department of Anthropology, The University of Chicago; 1990.",
    "ntp.org_clock_2015": "NTP.org. Clock Quality [Internet]. 2015 [cited 2015 Feb 13]. "
    "Available from: http://www.ntp.org/ntpfaq/NTP-s-sw-clocks-quality.htm",
    "AvelarQueAUC2019": "Avelar A. O que \u00e9 AUC e ROC nos modelos de Machine Learning [Internet]. 2020 Sep "
    "[cited 2020 Nov 23]. Available from: "
    "https://medium.com/@eam.avelar/o-que-%C3%A9-auc-e-roc-nos-modelos-de-machine-learning-2e2c4112033d",
    "c99": "JTC 1/SC 22/WG 14. Programming Languages \u2014 C [Internet]. ISO/IEC; 1999 Dec [cited 2020 Feb 12]. "
    "Report No.: 9899:1999. Available from: https://www.iso.org/standard/29237.html",
    # Better BibTeX in biblatex mode
    "bennett_citations_2013": "Bennett FG Jr. Citations, Out of the Box. Lexington Kentucky: CreateSpace "
    "Independent Publishing Platform; 2013.",
    "simonite2013declinewikipediaeven": "Simonite T. The Decline of Wikipedia: Even as More People than Ever "
    "Rely on It, Fewer People Create It [Internet]. MIT Technology Review; 2013 Oct 22 [cited 2013 Oct 26]. "
    "Available from: http://www.technologyreview.com/featuredstory/520446/the-decline-of-wikipedia/",
    "LichessTeamLichessEndYear": "Lichess Team. Lichess End of Year Update 2019 [Internet]. lichess.org; "
    "2019 Dec 31 [cited 2020 Mar 30]. Available from: "
    "https://lichess.org/blog/XgttDRAAAB8AmHcb/lichess-end-of-year-update-2019 Siehe auch https://lichess.org/analysis.",
    # biblatex-examples.bib
    "murray": "Hostetler MJ, Wingate JE, Zhong CJ, Harris JE, Vachet RW, Clark MR, et al. Alkanethiolate gold "
    "cluster molecules with core diameters from 1.5 to 5.2 nm: Core and monolayer properties as a function "
    "of core size. Langmuir. 1998;14(1):17-30.",
    "sigfridsson": "Sigfridsson E, Ryde U. Comparison of methods for deriving atomic charges from the "
    "electrostatic potential and moments. Journal of Computational Chemistry. 1998;19(4):377-95. "
    "doi:10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P.",
    "herrmann": "Herrmann WA, \u00d6fele K, Schneider SK, Herdtweck E, Hoffmann SD. A carbocyclic carbene as "
    "an efficient catalyst ligand for C\u2013C coupling reactions. Angew Chem Int Ed. 2006;45(23):3859-62.",
    "companion": "Goossens M, Mittelbach F, Samarin A. The LaTeX Companion. Reading (MA): Addison-Wesley; 1994.",
    "brandt": "von Brandt A, Hoffmann E. Die nordischen L\u00e4nder von der Mitte des 11. Jahrhunderts bis "
    "1448. In: Seibt F, editor. Europa im Hoch- und Sp\u00e4tmittelalter. Stuttgart: Klett-Cotta; 1987. "
    "p. 884-917.",
    "geer": "de Geer I. Earl, Saint, Bishop, Skald \u2013 and Music: The Orkney Earldom of the Twelfth Century. "
    "A Musicological Study [dissertation]. Uppsala: Uppsala Universitet; 1985.",
    "loh": "Loh NC. High-Resolution Micromachined Interferometric Accelerometer [master's thesis]. "
    "Cambridge (MA): Massachusetts Institute of Technology; 1992.",
    "padhye": "Padhye J, Firoiu V, Towsley D. A Stochastic Model of TCP Reno Congestion Avoidance and Control. "
    "Amherst (MA): University of Massachusetts; 1999. Report No.: 99-02.",
    "ctan": "CTAN: The Comprehensive TeX Archive Network [Internet]. 2006 [cited 2006 Oct 1]. Available from: "
    "http://www.ctan.org",
    # TeX Live xampl.bib
    "article-full": "Aamport LA. The Gnats and Gnus Document Preparation System. G-Animal's Journal. "
    "1986 Jul;41(7):73+. This is a full ARTICLE entry.",
    "book-full": "Knuth DE. Seminumerical Algorithms. 2nd ed. Reading (MA): Addison-Wesley; 1981. "
    "This is a full BOOK entry.",
    "inbook-full": "Knuth DE. Fundamental Algorithms. 2nd ed. Reading (MA): Addison-Wesley; 1973. "
    "Section 1.2; p. 10-119. This is a full INBOOK entry.",
    "incollection-full": "Lincoll DD. Semigroups of Recurrences. In: Lipcoll DJ, Lawrie DH, Sameh AH, editors. "
    "High Speed Computer and Algorithm Organization. 3rd ed. New York: Academic Press; 1977. p. 179-83. "
    "This is a full INCOLLECTION entry.",
    "inproceedings-full": "Oaho AV, Ullman JD, Yannakakis M. On Notions of Information Transfer in VLSI "
    "Circuits. In: Oz WV, Yannakakis M, editors. Proc. Fifteenth Annual ACM Symposium on the Theory of "
    "Computing. Boston: Academic Press; 1983. p. 133-9. This is a full INPROCEDINGS entry.",
    "mastersthesis-full": "Masterly \u00c9. Mastering Thesis Writing [master's thesis]. English Department: "
    "Stanford University; 1988. This is a full MASTERSTHESIS entry.",
    "phdthesis-full": "Phony-Baloney FP. Fighting Fire with Fire: Festooning French Phrases [dissertation]. "
    "Department of French: Fanstord University; 1988. This is a full PHDTHESIS entry.",
    "techreport-full": "T\u00e9rrific T. An O(n log n / log log n) Sorting Algorithm. Computer Science "
    "Department, Fanstord (CA): Fanstord University; 1988 Oct. Report No.: 7. This is a full TECHREPORT entry.",
    "manual-full": "Manmaker L. The Definitive Computer Manual. Silver ed. Silicon Valley: Chips-R-Us; 1986. "
    "This is a full MANUAL entry.",
    "misc-full": "Missilany JB. Handing out random pamphlets in airports. Handed out at O'Hare. 1984 Oct. "
    "This is a full MISC entry.",
    "unpublished-full": "\u00dcnderwood U, \u00d1et N, P\u0304ot P. Lower Bounds for Wishful Research Results. "
    "1988 Nov-Dec. Talk at Fanstord University (this is a full UNPUBLISHED entry).",
    # Publisher "export citation" files and Google Scholar
    "born2021accelerating": "Born J, Wiedemann N, Cossio M, Buhre C, Br\u00e4ndle G, Leidermann K, et al. "
    "Accelerating Detection of Lung Pathologies with Explainable Ultrasound Image Analysis. Applied Sciences. "
    "2021 Jan;11(2):672. doi:10.3390/app11020672.",
    "born2021l2": "Born J, Wiedemann N, Cossio M, Buhre C, Br\u00e4ndle G, Leidermann K, et al. L2 Accelerating "
    "COVID-19 differential diagnosis with explainable ultrasound image analysis: an AI tool. Thorax. "
    "2021;76(Suppl 1):A230-1. doi:10.1136/thorax-2020-BTSabstracts.404.",
    "10.1093/nar/gkq322": "Douguet D. e-LEA3D: a computational-aided drug design web server. Nucleic Acids "
    "Research. 2010 May;38(Suppl 2):W615-21. doi:10.1093/nar/gkq322.",
    "10.1093/bioinformatics/btae236": "Yan C, Sun J, Guan Y, Feng J, Liu H, Liu J. PhiHER2: phenotype-informed "
    "weakly supervised model for HER2 status prediction from pathological images. Bioinformatics. "
    "2024 Jun;40(Suppl 1):i79-90. doi:10.1093/bioinformatics/btae236.",
    "kohler2019encoding": "K\u00f6hler S, \u00d8ien NC, Buske OJ, Groza T, Jacobsen JOB, McNamara C, et al. "
    "Encoding clinical data with the human phenotype ontology for computational differential diagnostics. "
    "Current protocols in human genetics. 2019;103(1):e92.",
    "havrilla2022phenominal": "Havrilla JM, Singaravelu A, Driscoll DM, Minkovsky L, Helbig I, Medne L, et al. "
    "PheNominal: an EHR-integrated web application for structured deep phenotyping at the point of care. "
    "BMC Medical Informatics and Decision Making. 2022;22(Suppl 2):198.",
    "yuan2022evaluation": "Yuan X, Wang J, Dai B, Sun Y, Zhang K, Chen F, et al. Evaluation of "
    "phenotype-driven gene prioritization methods for Mendelian diseases. Briefings in Bioinformatics. "
    "2022;23(2):bbac019.",
    "rehurek2010software": "\u0158eh\u016f\u0159ek R, Sojka P. Software Framework for Topic Modelling with "
    "Large Corpora. In: Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks. ELRA; "
    "2010. p. 45-50. doi:10.13140/2.1.2393.1847.",
    "desanti2024": "De Santi B, Kim L, Bulthuis RFG, Lucka F, Manohar S. Automated three-dimensional image "
    "registration for longitudinal photoacoustic imaging. Journal of Biomedical Optics. 2024;29(S1):S11515. "
    "doi:10.1117/1.JBO.29.S1.S11515.",
}


@pytest.fixture(scope="module")
def corpus() -> tuple[Bibliography, Formatter]:
    assert REFERENCES.is_file(), f"the Vancouver corpus is missing: {REFERENCES} (see ../shared/corpora/README.md)"
    bib = load(str(REFERENCES), "references.bib")
    return bib, Formatter(bib)


def test_the_table_covers_the_corpus(corpus: tuple[Bibliography, Formatter]) -> None:
    bib, _ = corpus
    keys = {item.key for item in bib.entries.values()}
    assert len(keys) == 68
    assert set(GOLDEN) <= keys
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize("key", list(GOLDEN))
def test_real_entry_renders_in_nlm_form(corpus: tuple[Bibliography, Formatter], key: str) -> None:
    bib, formatter = corpus
    item = bib.get(key)
    assert item is not None
    assert formatter.format(item).text == GOLDEN[key]


@pytest.mark.parametrize("path", [REFERENCES, EXTRA], ids=lambda p: p.name)
def test_every_corpus_entry_is_formatted_without_traceback_or_drop(path: Path) -> None:
    """Every entry of both corpus files comes out as a reference: none dropped, none as a last resort."""
    assert path.is_file(), f"the Vancouver corpus is missing: {path} (see ../shared/corpora/README.md)"
    bib = load(str(path), path.name)
    formatter = Formatter(bib)
    declared = len(re.findall(r"^\s*@(?!string|preamble|comment)\w+\s*[{(]", path.read_text("utf-8"), re.I | re.M))
    assert len(bib.entries) == declared
    for item in bib.entries.values():
        result = formatter.format(item)
        assert result.key == item.key
        assert len(result.text) > 20, (item.key, result.text)
        # Plain text: no LaTeX left, and the HTML is the same text, escaped.
        assert not set("\\{}") & set(result.text), (item.key, result.text)
        assert html_problems(str(result.html)) == [], (item.key, result.html)
        assert html.unescape(re.sub(r"<[^>]+>", "", str(result.html))) == result.text
    assert not [p for p in formatter.problems if "could not be formatted" in p.message]


def test_the_repeated_field_entry_keeps_its_first_note() -> None:
    bib = load(str(EXTRA), EXTRA.name)
    item = bib.get("Ganesan2016")
    assert item is not None
    text = Formatter(bib).format(item).text
    assert text == (
        "Ganesan K, Lloyd S, Sarkar V. Discovering Related Clinical Concepts Using Large Amounts of Clinical "
        "Notes. Biomed Eng Comput Biol. 2016 Sep 7;7(Suppl 2):27-33. "
        "doi:10.4137/BECB.S36155. becb-suppl.2-2016-027[PII]."
    )


def test_corpus_warnings_name_only_what_is_really_missing(corpus: tuple[Bibliography, Formatter]) -> None:
    """biblatex's fields count: no 'missing journal/year/school' for journaltitle, date, institution."""
    bib, formatter = corpus
    for item in bib.entries.values():
        formatter.format(item)
    assert [str(p) for p in formatter.problems] == [
        "references.bib:112: entry 'RN1260' has no year field, which a reference of type @inproceedings needs"
    ]
