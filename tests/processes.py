"""Real server processes on 127.0.0.1 for the tests: a free port, a process started and stopped around a block,
and ``oxigraph serve``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], ready_url: str, env: dict[str, str] | None = None,
            timeout: float = 60.0) -> Iterator[subprocess.Popen]:
    """Start ``command``, wait until ``ready_url`` answers 200 (failing with the process's output if it exits
    first), yield the process, and stop it afterwards."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, env=env if env is not None else dict(os.environ), stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            _wait_until_up(ready_url, process, log, timeout)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}): {log.read()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def oxigraph_serve(location: Path | None = None) -> Iterator[str]:
    """A real ``oxigraph serve`` (union default graph, like polkg's store) in memory or at ``location``;
    yields its base URL (``/query``, ``/update``, ``/store``)."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server CLI (PyPI package oxigraph) is not installed")
    base = f"http://127.0.0.1:{free_port()}"
    command = [str(OXIGRAPH), "serve", "--bind", base.removeprefix("http://"), "--union-default-graph"]
    if location is not None:
        command += ["--location", str(location)]
    with running(command, base + "/query?query=ASK%7B%7D"):
        yield base
