"""``mkdocs serve`` measured: rebuilds after edits, their time and memory."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .builds import BUILT, wait_for_quiet
from .engines import child_env, python_for
from .generate import (
    Site,
)

# -- mkdocs serve ------------------------------------------------------------------------------


@dataclass
class ServeResult:
    size: str
    flavour: str
    rebuilds: list[float] = field(default_factory=list)  # "Building documentation" -> "Reloading browsers"
    latencies: list[float] = field(default_factory=list)  # edit -> "Reloading browsers"
    cpus: list[float] = field(default_factory=list)  # server CPU seconds from the edit to the reload
    first_build: float | None = None
    rss_mb: float | None = None  # VmHWM of the server after the rebuilds


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def serve_rebuilds(site: Site, edits: int, cache_dir: Path, logs: Path, timeout: float = 600) -> ServeResult:
    """Start `mkdocs serve`, edit one page `edits` times, time each rebuild.

    A rebuild is timed from the server's "Building documentation..." to its
    "Reloading browsers", as this process reads them from the pipe. MkDocs'
    own "Documentation built in X seconds" cannot be relied on: its build
    logger drops a message identical to an earlier one, so two rebuilds of
    the same duration log it once.
    """
    result = ServeResult(site.size.tag, site.flavour)
    port = _free_port()
    cmd = [str(python_for(site.flavour)), "-m", "mkdocs", "serve", "-f", str(site.config), "-a", f"127.0.0.1:{port}"]
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    log_path = logs / f"{site.flavour}-serve.log"
    page = site.root / "docs" / site.pages[len(site.pages) // 2].src
    original = page.read_text(encoding="utf-8")
    proc = subprocess.Popen(
        cmd,
        cwd=site.root,
        env=child_env(site.flavour, cache_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
    )

    def reader() -> None:
        with open(log_path, "w", encoding="utf-8") as log:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put((time.perf_counter(), line))
                log.write(line)
                log.flush()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()

    def wait_for(text: str, since: float, timeout: float = timeout) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (proc.poll() is not None and lines.empty()):
                raise RuntimeError(f"mkdocs serve ({site.flavour}): no '{text}' in the log; see {log_path}")
            try:
                stamp, line = lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if "ERROR" in line and "Error" not in text:
                raise RuntimeError(f"mkdocs serve ({site.flavour}) logged an error: {line.strip()} (see {log_path})")
            if stamp >= since and text in line:
                return stamp, line

    try:
        _, line = wait_for("Documentation built in", 0)
        result.first_build = float(BUILT.search(line).group(1))  # type: ignore[union-attr]
        wait_for("Serving on", 0)
        for i in range(edits):
            time.sleep(1.5)  # let the file watcher settle
            wait_for_quiet()
            while not lines.empty():
                lines.get_nowait()
            cpu_before = _proc_cpu(proc.pid)
            page.write_text(original + f"\nOne more sentence, edit {i + 1}.\n", encoding="utf-8")
            edited = time.perf_counter()
            began, _ = wait_for("Building documentation", edited, timeout=60)
            reloaded, _ = wait_for("Reloading browsers", began)
            result.cpus.append(_proc_cpu(proc.pid) - cpu_before)
            result.rebuilds.append(reloaded - began)
            result.latencies.append(reloaded - edited)
        result.rss_mb = _vm_hwm_mb(proc.pid)
    finally:
        page.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        thread.join(timeout=5)
    return result
