"""Build the PDF handout from the built site: ``python -m pdf``.

    .venv/bin/mkdocs build --strict     # first: the HTML the handout is made of
    .venv/bin/python -m pdf             # then: site/handout.pdf, site/handout-letter.pdf

Exit status: 0 written; 1 the site or the layout has a problem; 2 a system
library WeasyPrint needs is missing (the message says which package to install).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .project import ProjectError, load_project


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pdf",
        description="Build the PDF handout (A4 and US Letter) from the site that mkdocs build wrote.",
    )
    parser.add_argument(
        "-f", "--config", default="mkdocs.yml", type=Path, help="the project's mkdocs.yml (default: %(default)s)"
    )
    parser.add_argument("-d", "--site-dir", type=Path, help="the built site (default: site_dir of mkdocs.yml)")
    parser.add_argument("-o", "--out-dir", type=Path, help="where to write the PDFs (default: the site folder)")
    parser.add_argument(
        "--paper",
        action="append",
        choices=["a4", "letter"],
        help="paper size to build; repeat for both (default: a4 and letter)",
    )
    parser.add_argument("--html", type=Path, help="also write the assembled print HTML here (for debugging)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args = parse_args(argv)
    from .render import PAPERS, MissingLibrary, Renderer, RenderError, import_weasyprint

    started = time.perf_counter()
    try:
        import_weasyprint()  # first: a missing system library is the likeliest problem
        project = load_project(args.config, args.site_dir)
        site_dir = project.site_dir
        out_dir = (args.out_dir or site_dir).resolve()
        renderer = Renderer(site_dir, project.site_url, project.version)

        from .assemble import assemble

        assembled = assemble(project, site_dir)
        if args.html:
            args.html.write_text(assembled.html, encoding="utf-8")
        print(
            f"handout: version {project.version} ({project.version_source}), "
            f"date {project.date:%Y-%m-%d} ({project.date_source})"
        )
        written = {}
        for name in dict.fromkeys(args.paper or ["a4", "letter"]):
            output = renderer.render(assembled.html, PAPERS[name], out_dir)
            written[output.path.name] = output.path
            print(
                f"handout: wrote {_shown(output.path)} ({output.paper.label}, "
                f"{output.pages} pages) in {output.seconds:.1f} s"
            )
        if out_dir == site_dir.resolve():  # the site links to these files: show their sizes
            from .handout_size import fill

            fill(site_dir, written)
    except MissingLibrary as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ProjectError, RenderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"handout: done in {time.perf_counter() - started:.1f} s")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
