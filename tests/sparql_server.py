"""A real ``polkg serve`` process on a free port of 127.0.0.1, for the SPARQL endpoint's tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = "sparql-test-token"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and process id."""

    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its live child processes (the query workers)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.pid in (pid, ppid):
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total


@contextlib.contextmanager
def polkg_serve(store: str | Path = "memory", token: str | None = TOKEN, **env: str) -> Iterator[Server]:
    """Run ``polkg serve --store STORE`` (env ``POLKG_*`` from ``env``); yield it, stop it afterwards."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("POLKG_")}
    environment.update({f"POLKG_{key.upper()}": value for key, value in env.items()})
    if token:
        environment["POLKG_TOKEN"] = token
    command = [sys.executable, "-m", "polkg.cli", "serve", "--store", str(store), "--port", str(port)]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield Server(base, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, log, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"polkg serve exited ({process.returncode}): {log.read()[-2000:]}")
        try:
            if httpx.get(base + "/sparql", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"polkg serve at {base} did not answer within {timeout:.0f} s")
