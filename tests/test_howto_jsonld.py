"""The guide's HowTo JSON-LD (overrides/partials/howto-jsonld.html) from hostile front matter.

Front-matter values go into a <script type="application/ld+json"> element:
``<``, ``>`` and ``&`` must be written as \\u003c, \\u003e and \\u0026 so that a
value can neither end the script element nor open an HTML comment in it.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, mkdocs_build

PAGE = """---
howto:
  name: "<!-- </script><script>alert(1)</script>"
  description: "a <b>description</b>"
  tools: ["<!--"]
  steps:
    - name: "One"
      text: "Tom & Jerry>"
---
# Home

Text.
"""


def test_front_matter_cannot_end_the_script_element(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        f"site_name: jsonld\ntheme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n"
        "extra:\n  theme_color: {light: '#fbf8f5', dark: '#17131a'}\n"
        "  social_image: {path: images/social.png, alt: a preview}\n",
        encoding="utf-8",
    )
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode == 0, build.log
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '"name": "\\u003c!-- \\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"' in html
    assert '"text": "Tom \\u0026 Jerry\\u003e"' in html
    assert '"name": "\\u003c!--"' in html  # the tool
    assert "<!-- </script>" not in html
    assert "<script>alert(1)" not in html
