"""Small helpers the check tools share: reading mkdocs.yml, naming files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _TolerantLoader(yaml.SafeLoader):
    """A safe YAML loader that reads MkDocs tags (!ENV, !!python/name:...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return None


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_TolerantLoader)  # a SafeLoader subclass: safe


@dataclass
class Settings:
    config_file: Path
    docs_dir: Path
    site_url: str
    nav: Any


def load_settings(config_file: Path) -> Settings:
    """The few mkdocs.yml settings the checks need, without loading MkDocs' plugins."""
    data = read_yaml(config_file) if config_file.is_file() else {}
    data = data if isinstance(data, dict) else {}
    root = config_file.resolve().parent
    docs = Path(str(data.get("docs_dir") or "docs"))
    return Settings(
        config_file=config_file,
        docs_dir=docs if docs.is_absolute() else root / docs,
        site_url=str(data.get("site_url") or ""),
        nav=data.get("nav"),
    )


def relative(path: Path | str, root: Path | None = None) -> str:
    """path relative to root (default: the current folder) when inside it, with '/'."""
    root = (root or Path.cwd()).resolve()
    full = Path(path).resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(path)).as_posix()


def plural(number: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def front_matter_dropped(path: Path) -> bool:
    """A page whose front matter is not valid YAML (MkDocs would publish it as text).

    `python -m macros check` and the build report it, at its line; the checks
    that read the page as Markdown (lint, spelling) skip it until it is fixed,
    since everything they would say about it follows from that one mistake.
    """
    if path.suffix != ".md":
        return False
    from macros.pages.front_matter import check_front_matter
    from macros.problems import Problems

    text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
    return not check_front_matter(text, str(path), Problems())


SKIPPED_BROKEN = "{path}: not checked, its front matter is not valid YAML (`python -m macros check` says where)"
