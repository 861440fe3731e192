"""The system packages `make build` and `make test` need: check them, install the missing ones.

    python3 tools/system_packages.py build|test      check; install what is missing, or stop
    python3 tools/system_packages.py --list build|test   the Debian names, one line (for CI)

The list is tools/system-packages.txt. Missing packages are installed with
apt-get when this runs as root, or with `sudo -n` when that works without a
password; otherwise it prints ONE message with the one command to run and
exits 1. On a machine without apt-get the command is Homebrew's.
SYSTEM_PACKAGES=check in the environment: never install, only check.

Only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).resolve().parent / "system-packages.txt"
STAGES = {"build": ("build",), "test": ("build", "test")}
WHAT_FOR = {"build": "the PDF handout of make build", "test": "make test (browser and PDF tests)"}


@dataclass(frozen=True)
class Need:
    debian: str
    homebrew: str
    stage: str
    kind: str  # cmd, lib or font
    name: str
    line: int

    def shown(self) -> str:
        return {"cmd": f"the program {self.name}", "lib": self.name, "font": f"the font {self.name}"}[self.kind]


def read_list(path: Path = LIST) -> list[Need]:
    needs = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split(None, 3)
        kind, _, name = fields[3].partition(":") if len(fields) == 4 else ("", "", "")
        if len(fields) != 4 or fields[2] not in STAGES or kind not in ("cmd", "lib", "font") or not name:
            raise SystemExit(f"{path}:{number}: expected 'debian homebrew build|test cmd:|lib:|font:NAME'")
        needs.append(Need(fields[0], fields[1], fields[2], kind, name.strip(), number))
    return needs


def _debian_installed(package: str) -> bool:
    if not shutil.which("dpkg-query"):
        return True  # cannot tell: let the program that needs it say so
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return proc.returncode == 0 and "install ok installed" in proc.stdout


def _library_loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        pass
    stem = re.sub(r"^lib|\.so(\.\d+)*$", "", soname)  # libpango-1.0.so.0 -> pango-1.0
    if ctypes.util.find_library(stem):
        return True
    prefixes = ("/opt/homebrew/lib", "/usr/local/lib")  # Homebrew's, not on macOS's default search path
    return any(Path(prefix, f"lib{stem}.dylib").exists() for prefix in prefixes)


def _font_known(family: str, package: str) -> bool:
    if not shutil.which("fc-list"):
        return _debian_installed(package)
    proc = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True)
    return proc.returncode == 0 and bool(proc.stdout.strip())


def present(need: Need) -> bool:
    if need.kind == "cmd":
        return shutil.which(need.name) is not None
    if need.kind == "lib":
        return _library_loads(need.name)
    return _font_known(need.name, need.debian)


def needed(stage: str, needs: list[Need]) -> list[Need]:
    return [n for n in needs if n.stage in STAGES[stage]]


def missing(stage: str, needs: list[Need] | None = None) -> list[Need]:
    return [n for n in needed(stage, read_list() if needs is None else needs) if not present(n)]


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _apt_prefix() -> list[str] | None:
    """How to run apt-get here: [] as root, ['sudo', '-n'] when sudo needs no password, else None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def install_command(lost: list[Need]) -> str:
    """The one command that installs the missing packages on this machine."""
    if shutil.which("apt-get") or not (sys.platform == "darwin" or shutil.which("brew")):
        sudo = "" if os.geteuid() == 0 else "sudo "
        names = " ".join(_unique([n.debian for n in lost]))
        return f"{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends {names}"
    return "brew install " + " ".join(_unique([n.homebrew for n in lost]))


def message(stage: str, lost: list[Need], tried: bool = False) -> str:
    packages = ", ".join(
        f"{package} ({', '.join(n.shown() for n in lost if n.debian == package)})"
        for package in _unique([n.debian for n in lost])
    )
    if not shutil.which("apt-get") and (sys.platform == "darwin" or shutil.which("brew")):
        packages = ", ".join(_unique([n.homebrew for n in lost]))
    first = "still missing after apt-get install" if tried else "missing"
    return (
        f"error: system packages {first} for {WHAT_FOR[stage]}: {packages}\n"
        f"       install them with this one command, then run make {stage} again:\n"
        f"       {install_command(lost)}"
    )


def _install(prefix: list[str], packages: list[str]) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"installing system packages: {' '.join(packages)}", flush=True)
    steps = [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]]
    for step in steps:
        proc = subprocess.run([*prefix, *step], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            print(proc.stderr.strip(), file=sys.stderr)
            return False
    return True


def ensure(stage: str) -> int:
    lost = missing(stage)
    if not lost:
        return 0
    prefix = None if os.environ.get("SYSTEM_PACKAGES") == "check" else _apt_prefix()
    if prefix is not None:
        _install(prefix, _unique([n.debian for n in lost]))
        still = missing(stage)
        if not still:
            return 0
        print(message(stage, still, tried=True), file=sys.stderr)
        return 1
    print(message(stage, lost), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--list", action="store_true", help="print the Debian package names and stop")
    args = parser.parse_args(argv)
    if args.list:
        print(" ".join(_unique([n.debian for n in needed(args.stage, read_list())])))
        return 0
    return ensure(args.stage)


if __name__ == "__main__":
    sys.exit(main())
