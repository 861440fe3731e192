"""The download button's size is the PDF's, written in after the PDF is built."""

from __future__ import annotations

from pathlib import Path

from pdf.handout_size import fill, shown_size


def test_each_marked_place_gets_its_pdfs_size(tmp_path: Path) -> None:
    (tmp_path / "handout.pdf").write_bytes(b"%" * 84_321)
    (tmp_path / "handout-letter.pdf").write_bytes(b"%" * 1_200)
    home = tmp_path / "index.html"
    home.write_text(
        '<a>Download the handout (PDF<span data-handout-size="handout.pdf"></span>)</a>'
        '<a>Letter (PDF<span data-handout-size="handout-letter.pdf">, 9 kB</span>)</a>'
        '<a>Other (PDF<span data-handout-size="missing.pdf"></span>)</a>',
        encoding="utf-8",
    )
    (tmp_path / "other.html").write_text("<p>no mark</p>", encoding="utf-8")
    changed = fill(
        tmp_path, {"handout.pdf": tmp_path / "handout.pdf", "handout-letter.pdf": tmp_path / "handout-letter.pdf"}
    )
    assert changed == [home]
    assert home.read_text(encoding="utf-8") == (
        '<a>Download the handout (PDF<span data-handout-size="handout.pdf">, 84 kB</span>)</a>'
        '<a>Letter (PDF<span data-handout-size="handout-letter.pdf">, 1 kB</span>)</a>'
        '<a>Other (PDF<span data-handout-size="missing.pdf"></span>)</a>'
    )
    assert shown_size(400) == ", 1 kB"
