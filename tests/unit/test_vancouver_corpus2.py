"""The Vancouver style on the second corpus of real exports, entry by entry.

``../shared/corpora/vancouver2/references.bib``: 53 entries from Mendeley and
Zotero exports of sports-physiology and neurophysiology libraries, Zotero's
translator test inputs, data sets, software, theses and reports. Each string
below was read against NLM's *Citing Medicine* (the rules are tested one by
one in test_vancouver_rules.py) and kept as the regression record; the one
entry whose output is still not what NLM would print (``axivity``: two
authors written as one, "Hammerla, Ploetz", and no date) is left out.
"""

from __future__ import annotations

import pytest

from macros.bib.reader import Bibliography, load
from macros.html.format_entries import Formatter
from tests.conftest import ROOT

REFERENCES = ROOT.parent / "shared" / "corpora" / "vancouver2" / "references.bib"

GOLDEN: dict[str, str] = {
    "ggir": "van Hees VT, Migueles JH, Sabia S, Patterson MR, Fang Z, Heywood J, et al. GGIR: Raw Accelerometer Data Analysis. Version 3.2-10. 2025. doi:10.5281/zenodo.1051064.",
    "faitatzidou_mo685_2022": "Faitatzidou D, Dipla K, Zafeiridis A, Theodorakopoulou M, Koutlas A, Polychronidou G, et al. MO685: Brain Oxygenation Assessed by Near-Infrared Spectroscopy During a Mental Task and a Mild Physical Stress in Hemodialysis and Peritoneal Dialysis. Nephrology Dialysis Transplantation. 2022 May;37(Suppl 3):gfac078.022. doi:10.1093/ndt/gfac078.022.",
    "junior_21_2015": "Júnior JAS, Ribeiro-Samora GA, Ferreira DR, Valeriano MCP, Santos RF, Britto RR, et al. 21 Cardiopulmonary and peripheral responses to treadmill and cycle ergometer incremental exercise in patients with peripheral arterial disease: a pilot study. British Journal of Sports Medicine. 2015 Oct;49(Suppl 2):A7.2-A7. doi:10.1136/bjsports-2015-095576.21.",
    "mudra_bedside_2005": "Mudra R, Niederer P, Keller E. Bedside monitoring of cerebral blood flow (CBF) in patients with cerebral vasospasm after subarachnoid hemorrhage. Journal of Cerebral Blood Flow & Metabolism. 2005 Aug;25(1 Suppl):S146. doi:10.1038/sj.jcbfm.9591524.0146.",
    "bretonneau_intercostal_2018": "Bretonneau Q, de Bisschop C, Pichon A. Intercostal muscle oxygenation during expiratory load breathing. European Respiratory Journal. 2018;52(Suppl 62):PA3359. doi:10.1183/13993003.congress-2018.pa3359.",
    "Immink2021": "Immink MA, Pointon M, Wright DL, Marino FE. Prefrontal Cortex Activation During Motor Sequence Learning Under Interleaved and Repetitive Practice: A Two-Channel Near-Infrared Spectroscopy Study. Frontiers in Human Neuroscience. 2021 May;15. doi:10.3389/fnhum.2021.644968.",
    "Pethick2021": "Pethick J, Winter SL, Burnley M. Fatigue-induced changes in knee-extensor torque complexity and muscle metabolic rate are dependent on joint angle. European Journal of Applied Physiology. 2021 Aug. doi:10.1007/s00421-021-04779-1.",
    "borges_acute_2026": "Borges NMDS, Lima DTD, Morais ABDA, Tenório LNFC, Vieira ST, Carneiro HMLDO, et al. Acute Effect of Inspiratory Muscle Training on Peripheral Tissue Oxygenation Behavior in Individuals With COPD: A Randomized Crossover Study. Physiotherapy Research International. 2026;31(2):e70177. doi:10.1002/pri.70177.",
    "allameh_tabatabai_university_effect_2025": "Allameh Tabataba’i University, Mirzaee A, Mousavi Razavi MS, Allameh Tabataba’i University, Parham F, Allameh Tabataba’i University, et al. The effect of automatic speech recognition on Iranian interpreters' cognitive load: An fNIRS study. SKASE Journal of Translation and Interpretation. 2025;18(2). doi:10.33542/JTI2025-S-15.",
    "van_doorslaer_de_ten_ryen_higher_2021": "van Doorslaer de ten Ryen S, Warnier G, Gnimassou O, Belhaj MR, Benoit N, Naslain D, et al. Higher strength gain after hypoxic vs normoxic resistance training despite no changes in muscle thickness and fractional protein synthetic rate. The FASEB Journal. 2021 Aug;35(8). doi:10.1096/fj.202100654rr. PMID: 34324735.",
    "da_luz_goulart_effect_2023": "da Luz Goulart C, Caruso FR, Garcia de Araújo AS, Garcia de Moura SC, Catai AM, Batista dos Santos P, et al. The Effect of Adding Noninvasive Ventilation to High-Intensity Exercise on Peripheral and Respiratory Muscle Oxygenation. Respiratory Care. 2023 Feb:respcare.10315. doi:10.4187/respcare.10315.",
    "costalat_steepest_2026": "Costalat G, Sautillet B, Millet GP, Unal C, Abaïdia AE, Hassar A, et al. Steepest near-infrared spectroscopy-derived deoxygenation slopes during arterial occlusions provide more reliable assessments of muscle mitochondrial capacity. Experimental Physiology. 2026 Feb. doi:10.1113/EP093040.",
    "gaarden_age-related_2021": "Gaarden AP. Age-related differences in muscle microvascular response and muscle oxygen uptake: a near infrared spectroscopy apporach [master's thesis]. Trondheim: Norwegian University of Science and Technology; 2021.",
    "colier_near_1995": "Colier W. Near Infrared Spectroscopy: Toy or Tool? [thesis]. Nijmegen (Netherlands): Katholieke Universiteit Nijmegen; 1995. Available from: https://hdl.handle.net/2066/146037",
    "Schultz2020": "Schultz E. The Optimal Treatment Time Of Dry Cupping Therapy To Induce Changes In Local Blood Flow At The Upper Trapezius [dissertation]. Illinois State University; 2020. doi:10.30707/ETD2020.Schultz.E.",
    "Beekvelt2001": "van Beekvelt MCP. Quantitative near-infrared spectroscopy in human skeletal muscle: methodological issues and clinical application [dissertation]. 2002.",
    "welch_nirs_2013-1": "Hesford CM, Cardinale M, Laing SJ, Cooper CE. NIRS measurements with elite speed skaters: Comparison between the ice rink and the laboratory. In: Welch WJ, Palm F, Bruley DF, Harrison DK, editors. Advances in Experimental Medicine and Biology. New York (NY): Springer New York; 2013. p. 81-6. doi:10.1007/978-1-4614-4989-8_12. PMID: 22879018.",
    "kaushik_nanosensors_2022": "Kaushik S, Soni V, Skotti E. Nanosensors for Futuristic Smart and Intelligent Healthcare Systems. Boca Raton: CRC Press; 2022. doi:10.1201/9781003093534.",
    "Teo2018": "Teo WP, White D, Macpherson H. Using noninvasive methods to drive brain-computer interface (BCI): The role of electroencephalography and functional near-infrared spectroscopy in BCI. In: Smart Wheelchairs and Brain-computer Interfaces: Mobile Assistive Technologies. 2nd ed. Elsevier B.V.; 2018. p. 33-63. doi:10.1016/B978-0-12-812892-3.00003-0.",
    "baca_intra-individual_2023": "Sölkner S, Jennewein S, Hovorka M, Prinz B, Nimmerichter A. Intra-individual Variation of the Muscular Oxygen Saturation at Different Exercise Intensities and Cadences. In: Baca A, Exel J, editors. 13th World Congress of Performance Analysis of Sport and 13th International Symposium on Computer Science in Sport. Cham: Springer Nature Switzerland; 2023. p. 82-6. doi:10.1007/978-3-031-31772-9_18.",
    "hennrich_investigating_2015": "Hennrich J, Herff C, Heger D, Schultz T. Investigating deep learning for fNIRS based BCI. In: Proceedings of the Annual International Conference of the IEEE Engineering in Medicine and Biology Society, EMBS. Milan: IEEE; 2015. p. 2844-7. doi:10.1109/EMBC.2015.7318984. PMID: 26736884.",
    "bonnal_video_2023": "Bonnal J, Ozsancak C, Prieur F, Auzou P. Video mirror feedback induces more extensive brain activation compared to the mirror box: an fNIRS study in healthy adults. In Review [Preprint]. 2023 Dec. doi:10.21203/rs.3.rs-3678690/v1.",
    "GoldbergerEtAl2000": "Goldberger AL, Amaral LAN, Glass L, Hausdorff JM, Ivanov PC, Mark RG, et al. PhysioBank, PhysioToolkit, and PhysioNet: Components of a New Research Resource for Complex Physiologic Signals. Circulation. 2000;101(23). doi:10.1161/01.CIR.101.23.e215.",
    "GoncalvesEtAl2003": "Gonçalves SI, de Munck JC, Verbunt JPA, Bijma F, Heethaar RM, Lopes da Silva F. In Vivo Measurement of the Brain and Skull Resistivities Using an EIT-Based Method and Realistic Models for the Head. IEEE Transactions on Biomedical Engineering. 2003;50(6):754-67. doi:10.1109/TBME.2003.812164.",
    "FischlEtAl2004": "Fischl B, Salat DH, van der Kouwe AJW, Makris N, Ségonne F, Quinn BT, et al. Sequence-Independent Segmentation of Magnetic Resonance Images. NeuroImage. 2004;23:S69-84. doi:10.1016/j.neuroimage.2004.07.016.",
    "KriegeskorteEtAl2008": "Kriegeskorte N, Mur M, Bandettini P. Representational Similarity Analysis – Connecting the Branches of Systems Neuroscience. Frontiers in Systems Neuroscience. 2008;2:4. doi:10.3389/neuro.06.004.2008. PMID: 19104670; PMCID: PMC2605405.",
    "Pascual-Marqui2002": "Pascual-Marqui RD. Standardized Low-Resolution Brain Electromagnetic Tomography (sLORETA): Technical Details. Methods and Findings in Experimental and Clinical Pharmacology. 2002;24(D):5-12. PMID: 12575463. Available from: https://pubmed.ncbi.nlm.nih.gov/12575463/",
    "LachauxEtAl1999": "Lachaux JP, Rodriguez E, Martinerie J, Varela FJ. Measuring Phase Synchrony in Brain Signals. Human Brain Mapping. 1999;8(4):194-208. doi:10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C.",
    "HamalainenHari2002": "Hämäläinen MS, Hari R. Magnetoencephalographic Characterization of Dynamic Brain Activation: Basic Principles and Methods of Data Collection and Source Analysis. In: Toga AW, Mazziotta JC, editors. Brain Mapping: The Methods. 2nd ed. San Diego: Academic Press; 2002. p. 227-53. doi:10.1016/B978-012693019-1/50012-5.",
    "Montoya-MartinezEtAl2017": "Montoya-Martínez J, Cardoso JF, Gramfort A. Caveats with Stochastic Gradient and Maximum Likelihood Based ICA for EEG. In: Tichavský P, Babaie-Zadeh M, Michel OJJ, Thirion-Moreau N, editors. Latent Variable Analysis and Signal Separation. Cham: Springer International Publishing; 2017. p. 279-89. doi:10.1007/978-3-319-53547-0_27.",
    "HamalainenIlmoniemi1984": "Hämäläinen MS, Ilmoniemi RJ. Interpreting Measured Magnetic Fields of the Brain: Estimates of Current Distributions. Helsinki: Helsinki University of Technology; 1984. Report No.: TKK-F-A559.",
    "NurminenEtAl2017": "Nurminen J, Paananen H, Mäkelä J. High Frequency Somatosensory MEG: Evoked Responses, Freesurfer Reconstruction. Zenodo; 2017. doi:10.5281/zenodo.889234.",
    "hill_ethnic_2015": "Hill LK, Hu DD, Koenig J, Sollers JJ, Kapuku G, Wang X, et al. Ethnic Differences in Resting Heart Rate Variability: A Systematic Review and Meta-Analysis. Psychosomatic medicine. 2015 Jan;77(1):16-25. doi:10.1097/PSY.0000000000000133. PMID: 25551201; PMCID: PMC4293235.",
    "quintana_guidelines_2016": "Quintana DS, Alvares GA, Heathers JAJ. Guidelines for Reporting Articles on Psychiatry and Heart rate variability (GRAPH): recommendations to advance research communication. Translational Psychiatry. 2016 May;6(5):e803. doi:10.1038/tp.2016.73.",
    "nederend_impedance_2017": "Nederend I, ten Harkel ADJ, Blom NA, Berntson GG, de Geus EJC. Impedance cardiography in healthy children and children with congenital heart disease: Improving stroke volume assessment. International Journal of Psychophysiology. 2017 Oct;120:136-47. doi:10.1016/j.ijpsycho.2017.07.015.",
    "michael_waskom_2017_883859": "Waskom M, Botvinnik O, O'Kane D, Hobson P, Lukauskas S, Gemperline DC, et al. mwaskom/seaborn: v0.8.1 (September 2017). Zenodo; 2017 Sep. doi:10.5281/zenodo.883859.",
    "dupre2023relationship": "Dupré C, Brégère M, Berger M, Pichot V, Celle S, Garet M, et al. Relationship between moderate-to-vigorous, light intensity physical activity and sedentary behavior in a prospective cohort of older French adults: a 18-year follow-up of mortality and cardiovascular events─ the PROOF cohort study. Frontiers in Public Health. 2023;11:1182552. doi:10.3389/fpubh.2023.1182552.",
    "shim2025wrist": "Shim J, Bishehsari F, Mahdavinia M, Zeitzer J. From Wrist Data to Lifespan: Elucidating Inflammation-Driven Biological Ageing Via Activity Rhythms Captured by Wearable Devices. SSRN [Preprint]. 2025 Jul 9. doi:10.2139/ssrn.5341710.",
    "sasson_increasing_2013": "Sasson C, Meischke H, Abella BS, Berg RA, Bobrow BJ, Chan PS, et al. Increasing cardiopulmonary resuscitation provision in communities with low bystander cardiopulmonary resuscitation rates: a science advisory from the American Heart Association for healthcare providers, policymakers, public health departments, and community leaders. Circulation. 2013 Mar;127(12):1342-50. doi:10.1161/CIR.0b013e318288b4dd. PMID: 23439512.",
    "batsis:rural": "Batsis JA, Petersen CL, Clark MM, Cook SB, Kotz D, Gooding TL, et al. A Rural Mobile Health Obesity Wellness Intervention for Older Adults with Obesity. BMC Geriatrics. Forthcoming 2020. Available from: https://www.cs.dartmouth.edu/~kotz/research/batsis-rural/index.html",
    "hicks2001": "von Hicks M 3rd. Design of a Carbon Fiber Composite Grid Structure for the GLAST Spacecraft Using a Novel Manufacturing Technique. Palo Alto: Stanford Press; 2001.",
    "american_rights_at_work_public_2012": "American Rights at Work. Public Service Research Foundation [Internet]. 2012 [cited 2012 Jul 27]. Available from: http://www.americanrightsatwork.org/blogcategory-275/",
    "ietf-bmwg-evpntest-09": "jacob S, Tiruveedhula K. Benchmarking Methodology for EVPN and PBB-EVPN. Internet Engineering Task Force; 2021 Jun 18. Report No.: draft-ietf-bmwg-evpntest-09. Available from: https://datatracker.ietf.org/doc/html/draft-ietf-bmwg-evpntest-09 Work in Progress.",
    "author:06": "Author F, Author S. Some publication title. In: Editor F, Editor S, editors. Proceedings of the Xth Conference on XYZ. 2006. p. 330-1.",
    "conference:06": "Editor F, Editor S, editors. Proceedings of the Xth Conference on XYZ. 2006.",
    "pmid31025164": "Egger F, Hofer C, Hammerle FP, Löfler S, Nürnberg M, Fiedler L, et al. Influence of electrical stimulation therapy on permanent pacemaker function. Wien Klin Wochenschr. 2019 Jul;131(13-14):313-20. doi:10.1007/s00508-019-1494-5. PMID: 9793098.",
    "renewal": "Fraser C. Estimating Individual and Household Reproduction Numbers in an Emerging Epidemic. PLOS ONE. 2007 Aug;2(8):1-12. doi:10.1371/journal.pone.0000758.",
    "approxGP": "Riutort-Mayol G, Bürkner PC, Andersen MR, Solin A, Vehtari A. Practical Hilbert space approximate Bayesian Gaussian processes for probabilistic programming. arXiv [Preprint]. 2020 Apr. Available from: https://arxiv.org/abs/2004.11408",
    "Rasmussen2020": "Lund Rasmussen C, Palarea-Albaladejo J, Johansson MS, Crowley P, Stevens ML, Gupta N, et al. Zero problems with compositional data of physical behaviors: a comparison of three zero replacement methods. International Journal of Behavioral Nutrition and Physical Activity. 2020. doi:10.1186/s12966-020-01029-z.",
    "Emam2019": "Emam I, CDISC. CDISC-SDTM sample study [dataset]. Version 1. Harvard Dataverse; 2019. doi:10.7910/DVN/51B6NK.",
    "10.1111_icad.12730": "Willighagen LG, Jongejans E. Mapping wing morphs of Tetrix subulata using citizen science data: Flightless groundhoppers are more prevalent in grasslands near water. Insect Conservation and Diversity. 2024 Mar 2. doi:10.1111/icad.12730.",
    "citeulike:14483146": "Luo X, Li L. Metabolomics of Small Numbers of Cells: Metabolomic Profiling of 100, 1000, and 10000 Human Breast Cancer Cells. Anal Chem. 2017 Nov 7;89(21):11664-71. doi:10.1021/acs.analchem.7b03100.",
}


@pytest.fixture(scope="module")
def corpus() -> tuple[Bibliography, Formatter]:
    assert REFERENCES.is_file(), f"the second Vancouver corpus is missing: {REFERENCES}"
    bib = load(str(REFERENCES), "references.bib")
    return bib, Formatter(bib)


def test_the_table_covers_the_corpus(corpus: tuple[Bibliography, Formatter]) -> None:
    bib, _ = corpus
    assert len(bib.entries) == 53
    assert set(GOLDEN) <= {item.key for item in bib.entries.values()}


@pytest.mark.parametrize("key", list(GOLDEN))
def test_entry_renders_in_nlm_form(corpus: tuple[Bibliography, Formatter], key: str) -> None:
    bib, formatter = corpus
    item = bib.get(key)
    assert item is not None
    assert formatter.format(item).text == GOLDEN[key]


def test_only_real_gaps_are_warned_about(corpus: tuple[Bibliography, Formatter]) -> None:
    bib, formatter = corpus
    for item in bib.entries.values():
        formatter.format(item)
    assert sorted([str(p) for p in bib.problems] + [str(p) for p in formatter.problems]) == sorted(
        [
            "references.bib:49: entry 'junior_21_2015': the url field has a space or a line break in it, "
            "which a link cannot hold (remove it, or write a space as %20)",
            "references.bib:281: entry 'Beekvelt2001' has no school field, which a reference of type @thesis needs",
            "references.bib:637: entry 'ggir' has no journal field, which a reference of type @article needs",
        ]
    )
