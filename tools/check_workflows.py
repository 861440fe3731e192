"""Check the GitHub workflows and issue forms, offline: schema and project rules.

Usage: python tools/check_workflows.py [--root .]

The workflows cannot run here, so this is how they are kept valid:

* every file is checked against the JSON schemas that check-jsonschema ships
  (GitHub workflows, issue forms, the issue chooser config), read from the
  installed package, never downloaded; every job needs a ``timeout-minutes``;
* and against this project's rules: no ``pull_request_target``; a workflow
  that runs on pull requests gets a read-only token and no secrets; actions
  are pinned to a version, not a branch; every ``make TARGET`` a workflow
  runs exists in the Makefile, so CI runs what contributors run.

Every problem is one line, ``.github/workflows/pr.yml:12: ...``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

try:
    from tools.project import plural
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import plural

SCHEMAS = {
    "workflow": ("vendor", "github-workflows.json"),
    "timeout": ("custom", "github-workflows-require-timeout.json"),
    "issue-form": ("vendor", "github-issue-forms.json"),
    "issue-config": ("vendor", "github-issue-config.json"),
}
MAKE_CALL = re.compile(r"(?:^|[;&|(]\s*|\s)make\s+((?:[\w./-]+(?:=\S*)?\s*)+)", re.M)
USES = re.compile(r"^[\w.-]+/[\w./-]+@(?P<ref>\S+)$")


@dataclass
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def load_schema(kind: str) -> dict[str, Any]:
    folder, name = SCHEMAS[kind]
    text = resources.files("check_jsonschema.builtin_schemas").joinpath(folder, name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def line_of(data: Any, path: list[str | int]) -> int:
    """The 1-based line of the node at path in ruamel's round-trip data, or its nearest parent."""
    line = 1
    node = data
    for part in path:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                line = (lc.item(part) if isinstance(part, int) else lc.key(part))[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _plain(data: Any) -> Any:
    """ruamel's round-trip data as plain dicts and lists, for jsonschema."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def schema_problems(shown: str, data: Any, kinds: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    plain = _plain(data)
    for kind in kinds:
        validator = jsonschema.Draft7Validator(load_schema(kind))
        for error in sorted(validator.iter_errors(plain), key=lambda e: list(map(str, e.absolute_path))):
            if kind == "timeout":
                where = list(error.absolute_path)
                message = "every job needs 'timeout-minutes', so that a stuck run ends"
            else:
                leaf = _leaf(error)
                where = list(leaf.absolute_path)
                message = _message(leaf)
            path = ".".join(str(p) for p in where) or "(top level)"
            problem = Problem(shown, line_of(data, where), f"{path}: {message}")
            if str(problem) not in map(str, problems):
                problems.append(problem)
    return problems


def _leaf(error: Any) -> Any:
    """The most specific error under a oneOf/anyOf: the one deepest in the file."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    return error


def _message(error: Any) -> str:
    if error.validator == "additionalProperties":
        return str(error.message)
    if error.validator in ("required", "enum", "const", "pattern", "minItems", "minLength"):
        return str(error.message)[:200]
    shown = repr(error.instance)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{shown}: not allowed here ({error.validator} {error.validator_value!r:.80})"


def makefile_targets(makefile: Path) -> set[str]:
    targets: set[str] = set()
    if not makefile.is_file():
        return targets
    for line in makefile.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.%-]+(?:\s+[A-Za-z0-9_.%-]+)*)\s*:(?!=)", line)
        if match and not line.startswith("."):
            targets.update(match.group(1).split())
    return targets


def _triggers(data: Any) -> set[str]:
    on = data.get("on", data.get(True)) if isinstance(data, dict) else None
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(t) for t in on}
    if isinstance(on, dict):
        return {str(t) for t in on}
    return set()


def _walk(node: Any, path: list[str | int]) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, [*path, index])
    else:
        yield path, node


def policy_problems(shown: str, data: Any, targets: set[str]) -> list[Problem]:
    problems = []
    triggers = _triggers(data)
    if "pull_request_target" in triggers:
        on = data.get("on")
        problems.append(
            Problem(
                shown,
                line_of(data, ["on", "pull_request_target"] if isinstance(on, dict) else ["on"]),
                "never trigger on pull_request_target: it runs a fork's code with a write token "
                "and the repository's secrets; use pull_request",
            )
        )
    if "pull_request" in triggers:
        permissions = data.get("permissions")
        if permissions != {"contents": "read"}:
            problems.append(
                Problem(
                    shown,
                    line_of(data, ["permissions"]) if permissions is not None else 1,
                    "a workflow that runs on pull requests needs 'permissions: contents: read' "
                    "at the top, and nothing more",
                )
            )
        for name, job in (data.get("jobs") or {}).items():
            if isinstance(job, dict) and "permissions" in job:
                problems.append(
                    Problem(
                        shown,
                        line_of(data, ["jobs", name, "permissions"]),
                        "pull request jobs keep the read-only token",
                    )
                )
    for path, value in _walk(data, []):
        if not isinstance(value, str):
            continue
        if "pull_request" in triggers and "secrets." in value:
            problems.append(
                Problem(shown, line_of(data, path), "a workflow that runs on pull requests uses no secrets")
            )
        if path and path[-1] == "uses" and not value.startswith(("./", "docker://")):
            match = USES.match(value)
            if not match or match["ref"] in ("main", "master", "HEAD", "latest"):
                problems.append(
                    Problem(shown, line_of(data, path), f"pin '{value}' to a released version (owner/action@v4)")
                )
        if path and path[-1] == "run":
            for call in MAKE_CALL.finditer(value):
                for word in call.group(1).split():
                    if "=" in word or word.startswith("-"):
                        continue
                    if word not in targets:
                        problems.append(
                            Problem(
                                shown,
                                line_of(data, path),
                                f"'make {word}': the Makefile has no such target (CI must run what contributors run)",
                            )
                        )
    return problems


def form_problems(shown: str, data: Any) -> list[Problem]:
    """What GitHub rejects in an issue form but the schema lets through: a repeated id."""
    problems = []
    ids: dict[str, int] = {}
    body = data.get("body") if isinstance(data, dict) else None
    for index, item in enumerate(body if isinstance(body, list) else []):
        if not isinstance(item, dict):
            continue
        ident = item.get("id")
        if isinstance(ident, str):
            line = line_of(data, ["body", index, "id"])
            if ident in ids:
                problems.append(Problem(shown, line, f"id {ident!r} is used twice (first on line {ids[ident]})"))
            ids.setdefault(ident, line)
    return problems


def check(root: Path) -> tuple[list[Problem], int]:
    yaml = YAML(typ="rt")
    problems: list[Problem] = []
    targets = makefile_targets(root / "Makefile")
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    forms = sorted((root / ".github" / "ISSUE_TEMPLATE").glob("*.y*ml"))
    for path in workflows + forms:
        shown = path.relative_to(root).as_posix()
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problems.append(Problem(shown, line, f"not valid YAML: {getattr(error, 'problem', error)}"))
            continue
        if path in workflows:
            problems += schema_problems(shown, data, ["workflow", "timeout"])
            problems += policy_problems(shown, data, targets)
        elif path.stem == "config":
            problems += schema_problems(shown, data, ["issue-config"])
        else:
            problems += schema_problems(shown, data, ["issue-form"])
            problems += form_problems(shown, data)
    return problems, len(workflows) + len(forms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder")
    args = parser.parse_args(argv)
    problems, count = check(args.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"workflows: {plural(len(problems), 'problem')} in .github/; fix each line above")
        return 1
    print(f"workflows: {plural(count, 'file')} checked, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
