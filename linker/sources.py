"""Reading gazetteer sources: JSON Lines records and the Wikidata JSON dump, plain or compressed.

Both come one entity per line; the dump wraps them in ``[``/``]`` with a comma after each line.
``.bz2``/``.gz`` files are streamed. A line that is not JSON is reported and skipped.
"""

from __future__ import annotations

import bz2
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from polkg.linker.wikidata import record_from_entity


class GazetteerError(Exception):
    """A gazetteer file is missing, unreadable or not what polkg expects (the message names it)."""


@dataclass
class Skipped:
    """A source line that could not be read."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def _open(path: Path) -> IO[str]:
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_source(path: Path, skipped: list[Skipped]) -> Iterator[dict[str, Any]]:
    """Gazetteer records from ``path``; unreadable lines are appended to ``skipped``.

    A line with a ``qid`` is already a record; one with an ``id`` is a Wikidata entity, converted
    (entities of no political type are dropped silently, as most of a full dump is).
    """
    if not path.is_file():
        raise GazetteerError(f"{path}: no such gazetteer source file")
    try:
        with _open(path) as lines:
            for number, line in enumerate(lines, 1):
                text = line.strip().rstrip(",")
                if text in ("", "[", "]"):
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as err:
                    skipped.append(Skipped(str(path), number, f"not JSON ({err.msg})"))
                    continue
                if not isinstance(obj, dict) or not ("qid" in obj or "id" in obj):
                    reason = "neither a gazetteer record (qid) nor a Wikidata entity (id)"
                    skipped.append(Skipped(str(path), number, reason))
                    continue
                if "qid" in obj:
                    yield obj
                elif (record := record_from_entity(obj)) is not None:
                    yield record
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read ({err})") from err
