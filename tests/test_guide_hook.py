"""The guide's hook (overrides/hooks/guide.py) in a real build: images without alt text, quotes in <meta>."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT, mkdocs_build

PAGE = """\
---
description: 'The "reverse hyper" <b>for</b> glutes'
---

# Images

![](images/a.svg)

![A bench seen from the side](images/a.svg)

```markdown
![](images/shown-as-code.svg)
```

Inline `![](images/code.svg)` too.

<img src="images/a.svg" width="10">
<img src="images/a.svg" alt="">
"""


def test_images_without_alt_are_warnings_and_meta_is_escaped(tmp_path: Path) -> None:
    project = tmp_path / "site-src"
    (project / "docs" / "images").mkdir(parents=True)
    (project / "docs" / "images" / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (project / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: hook test\n"
        "theme:\n  name: material\n  custom_dir: " + str(ROOT / "overrides") + "\n"
        "extra:\n  theme_color: {light: '#fff', dark: '#000'}\n  social_image: {path: a.png, alt: x}\n"
        "hooks:\n  - " + str(ROOT / "overrides" / "hooks" / "guide.py") + "\n",
        encoding="utf-8",
    )
    build = mkdocs_build(project, tmp_path / "site", "--strict")
    print(build.log)
    assert build.returncode == 1  # --strict: the warnings fail it
    assert build.log_lines("WARNING") == [
        "docs/index.md:7: an image without alt text: readers who cannot see it get nothing "
        "(describe it: ![what it shows](images/a.svg))",
        "docs/index.md:17: an image without alt text: readers who cannot see it get nothing "
        '(describe it: <img ... alt="what it shows">)',
    ]
    mkdocs_build(project, tmp_path / "site")  # without --strict, to read the page
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    metas = re.findall(r"<meta (?:name|property)=\"(?:description|og:description|twitter:description)\"[^>]*>", html)
    assert len(metas) == 3
    for meta in metas:
        assert 'content="The &#34;reverse hyper&#34; &lt;b&gt;for&lt;/b&gt; glutes"' in meta
