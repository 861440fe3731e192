"""What the handout needs to know about the project: nav, URL, version, date.

Everything here is read with MkDocs' own config loader, so the handout sees
the same navigation, ``site_url`` and ``extra`` settings as ``mkdocs build``.
Nothing here reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


class ProjectError(Exception):
    """A problem with the project's configuration or built site."""


@dataclass
class NavPage:
    """One page of the site, in navigation order."""

    src: str  # docs/ relative source path, "muscles.md"
    url: str  # site-relative URL, "muscles/" ("" for the home page)
    dest: str  # site-relative output file, "muscles/index.html"
    title: str  # the title in the navigation


@dataclass
class Project:
    config_file: Path
    site_dir: Path  # the built site (site_dir of mkdocs.yml, or --site-dir)
    site_name: str
    site_description: str
    site_url: str
    copyright: str
    repo_url: str
    version: str
    version_source: str
    date: dt.datetime  # UTC
    date_source: str
    pages: list[NavPage] = field(default_factory=list)
    language: str = "en"

    @property
    def root(self) -> Path:
        return self.config_file.parent


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return out if proc.returncode == 0 and out else None


def source_date(root: Path, config_file: Path) -> tuple[dt.datetime, str]:
    """The handout's date, and where it came from.

    1. ``SOURCE_DATE_EPOCH`` (reproducible-builds.org), when set;
    2. else the committer date of the last commit (``git log -1``);
    3. else the modification time of mkdocs.yml (a tarball without .git).
    Never the current time, so two builds of the same sources are identical.
    """
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        try:
            stamp = int(env)
        except ValueError:
            raise ProjectError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {env!r}") from None
        return dt.datetime.fromtimestamp(stamp, dt.UTC), "SOURCE_DATE_EPOCH"
    commit = _git(root, "log", "-1", "--format=%ct")
    if commit and commit.isdigit():
        return dt.datetime.fromtimestamp(int(commit), dt.UTC), "last commit"
    mtime = int(config_file.stat().st_mtime)
    return dt.datetime.fromtimestamp(mtime, dt.UTC), f"modification time of {config_file.name}"


def project_version(root: Path, configured: str | None) -> tuple[str, str]:
    """A git tag on the current commit wins; else ``extra.version``.

    A leading "v" is dropped from the tag ("v1.2.0" prints as "1.2.0").
    """
    tag = _git(root, "describe", "--tags", "--exact-match", "HEAD")
    if tag:
        return (tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag), "git tag"
    if configured:
        return str(configured), "extra.version"
    return "unversioned", "no git tag on HEAD and no extra.version in mkdocs.yml"


def load_project(config_file: Path, site_dir: Path | None = None) -> Project:
    """Read mkdocs.yml with MkDocs itself, and resolve the nav to built files."""
    # MkDocs logs config warnings through "mkdocs"; `mkdocs build --strict`
    # already reported them, so the handout stays quiet about them.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    config_file = config_file.resolve()
    if not config_file.is_file():
        raise ProjectError(f"{config_file}: no such file (give the project's mkdocs.yml with --config)")
    try:
        kwargs = {"config_file": str(config_file)}
        if site_dir is not None:
            kwargs["site_dir"] = str(site_dir)
        config = load_config(**kwargs)
    except (ConfigurationError, OSError) as exc:
        raise ProjectError(f"{config_file}: {exc}") from None
    files = get_files(config)
    nav = get_navigation(files, config)
    pages = []
    for page in nav.pages:
        title = page.title or page.file.name
        pages.append(NavPage(src=page.file.src_uri, url=page.url, dest=page.file.dest_uri, title=title))
    if not pages:
        raise ProjectError(f"{config_file}: the navigation has no pages")

    root = config_file.parent
    extra = config.get("extra") or {}
    version, version_source = project_version(root, extra.get("version"))
    date, date_source = source_date(root, config_file)
    site_url = config.get("site_url") or ""
    if not site_url:
        raise ProjectError(f"{config_file}: site_url is not set; the handout prints it and its QR code")
    return Project(
        config_file=config_file,
        site_dir=Path(config["site_dir"]).resolve(),
        site_name=config["site_name"],
        site_description=(config.get("site_description") or "").strip(),
        site_url=site_url,
        copyright=config.get("copyright") or "",
        repo_url=config.get("repo_url") or "",
        version=version,
        version_source=version_source,
        date=date,
        date_source=date_source,
        pages=pages,
        language=(config["theme"].get("language") if config.get("theme") else None) or "en",
    )
