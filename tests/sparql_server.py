"""A real ``polkg serve`` process on a free port of 127.0.0.1, for the SPARQL endpoint's tests."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from processes import free_port, running

TOKEN = "sparql-test-token"


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
    base = f"http://127.0.0.1:{port}"
    with running(command, base + "/sparql", environment) as process:
        yield Server(base, process.pid)
