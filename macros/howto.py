"""schema.org HowTo JSON-LD, generated from a page's front matter."""

from __future__ import annotations

import json
from collections.abc import Mapping

from markupsafe import Markup

_SCRIPT_SAFE = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def howto_jsonld(howto: Mapping[str, object], url: str | None = None) -> Markup:
    """A ``<script type="application/ld+json">`` block for a HowTo.

    ``howto`` has ``name``, ``description``, ``tools`` (list of names) and
    ``steps`` (list of mappings with ``name`` and ``text``) — the same data the
    page renders its numbered steps from, so nothing is written twice.
    """
    steps = [step for step in _as_list(howto.get("steps")) if isinstance(step, Mapping)]
    tools = _as_list(howto.get("tools"))
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": str(howto.get("name", "")),
        "description": str(howto.get("description", "")),
        "tool": [{"@type": "HowToTool", "name": str(tool)} for tool in tools],
        "step": [
            {
                "@type": "HowToStep",
                "position": position,
                "name": str(step.get("name", "")),
                "text": str(step.get("text", "")),
            }
            for position, step in enumerate(steps, start=1)
        ],
    }
    if url:
        data["url"] = url
    # "</script" would end the element early and "<!--" change how it ends: like
    # every JSON-in-HTML writer, write <, > and & (and the JavaScript line breaks)
    # as \u escapes, which JSON reads as the same characters. They are only ever
    # inside strings here, so the structure is untouched.
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE)
    return Markup(f'\n\n<script type="application/ld+json">\n{text}\n</script>\n\n')


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []
