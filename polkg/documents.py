"""Reading input documents: ``.txt`` files with a ``NAME.meta.json`` sidecar, ``.jsonl`` files,
directories (recursively) and ``-`` for standard input.

:func:`read_documents` yields a :class:`Document` or a :class:`DocumentError` for each input, so a
bad file is reported and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polkg.model import Document

META_SUFFIX = ".meta.json"
TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass
class DocumentError:
    """A document that could not be read: where it came from and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (``YYYY-MM-DD``, or a longer timestamp starting with one); partial dates give None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        if len(text) < 10:  # "2019-01" or "2019": known month or year only
            return None
        raise ValueError(f"not an ISO date: {text!r}") from None


def document_from_record(record: dict[str, Any], default_id: str, path: str | None = None) -> Document:
    """Build a Document from a JSON object (a JSONL line or a sidecar plus text)."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("missing or non-string 'text'")
    lang = record.get("lang")
    if lang is not None and lang not in ("fr", "en"):
        raise ValueError(f"unsupported lang {lang!r} (fr or en)")
    return Document(
        id=str(record.get("id") or default_id),
        text=text,
        lang=lang,
        published=parse_date(record.get("published")),
        title=record.get("title") or record.get("source_title"),
        url=record.get("url") or record.get("source_url"),
        source=record.get("source"),
        path=path,
    )


def _read_text_file(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    meta_path = path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX)
    meta: dict[str, Any] = {}
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ValueError(f"bad sidecar {meta_path.name}: {err}") from None
    return document_from_record({**meta, "text": text}, default_id=path.stem, path=str(path))


def _read_jsonl(lines: Iterable[str], where: str) -> Iterator[Document | DocumentError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            yield document_from_record(json.loads(line), default_id=f"{Path(where).stem}-{number}", path=place)
        except (json.JSONDecodeError, ValueError) as err:
            yield DocumentError(place, str(err))


def _expand(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and (child.suffix in TEXT_SUFFIXES | JSONL_SUFFIXES):
                yield child
    else:
        yield path


def read_documents(inputs: Iterable[str | Path]) -> Iterator[Document | DocumentError]:
    """Yield every document of ``inputs`` in order; unreadable ones as :class:`DocumentError`."""
    for item in inputs:
        if str(item) == "-":
            yield from _read_stdin()
            continue
        root = Path(item)
        if not root.exists():
            yield DocumentError(str(root), "no such file or directory")
            continue
        for path in _expand(root):
            try:
                if path.suffix in JSONL_SUFFIXES:
                    with path.open(encoding="utf-8") as handle:
                        yield from _read_jsonl(handle, str(path))
                else:
                    yield _read_text_file(path)
            except (OSError, UnicodeDecodeError, ValueError) as err:
                yield DocumentError(str(path), str(err))


def _read_stdin() -> Iterator[Document | DocumentError]:
    """Standard input: JSON Lines when every non-empty line is a JSON object, else one plain text."""
    data = sys.stdin.read()
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        yield from _read_jsonl(lines, "<stdin>")
    else:
        yield Document(id="stdin", text=data, path="<stdin>")
