"""``mkdocs serve``: the .bib is watched, numbers stay, messages point at lines.

A real ``mkdocs serve`` of a fixture site on 127.0.0.1 (an ephemeral port),
read over HTTP; every wait is bounded.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import FIXTURES, tool_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            env=tool_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, count: int = 1, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if sum(1 for line in list(self.lines) if re.search(pattern, line)) >= count:
                return
            time.sleep(0.2)
        raise AssertionError(f"no {count}x {pattern!r} in {seconds} s:\n" + "\n".join(self.lines))

    def built(self) -> int:
        return sum(1 for line in list(self.lines) if "Documentation built in" in line)

    def edit_until_rebuilt(self, path: Path, old: str, new: str, attempts: int = 6) -> None:
        """Change a file and wait for the rebuild it causes.

        MkDocs watches by polling, from a first snapshot its watcher thread
        takes just after "Serving on": an edit made before that snapshot is
        never seen. So when no rebuild follows, the edit is made again (the
        file grows by a blank line, which changes no output), a bounded
        number of times.
        """
        before = self.built()
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        for _ in range(attempts):
            try:
                self.wait_for(r"Documentation built in", count=before + 1, seconds=15)
                return
            except AssertionError:
                path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        self.wait_for(r"Documentation built in", count=before + 1, seconds=60)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def test_serve_rebuilds_when_the_bib_changes_and_keeps_numbers(tmp_path: Path) -> None:
    project = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", project)
    server = Server(project)
    try:
        server.wait_for(r"Serving on")
        before = server.get("")
        assert "First article" in before
        numbers = re.findall(r'id="cite-index-\d+" data-keys="[^"]+"><a href="[^"]+"[^>]*>(\d+)', before)
        server.edit_until_rebuilt(project / "references.bib", "First article", "First article, corrected")
        after = server.get("")
        assert "First article, corrected" in after
        assert re.findall(r'id="cite-index-\d+" data-keys="[^"]+"><a href="[^"]+"[^>]*>(\d+)', after) == numbers
        server.edit_until_rebuilt(
            project / "docs" / "index.md",
            "Then two at once",
            "A broken link to [nowhere](nowhere.md).\nThen two at once",
        )
        server.wait_for(r"WARNING\s+-\s+docs/index\.md:4: Doc file 'index\.md' contains a link 'nowhere\.md'")
    finally:
        server.stop()
    assert not any("Traceback" in line for line in server.lines)
