"""The SPARQL 1.1 Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for updates, as USING clauses.

Oxigraph's update API has no dataset parameter, so the protocol's dataset is written into the update text: a
``USING <g>`` / ``USING NAMED <g>`` before the ``WHERE`` of each operation that has one (``DELETE WHERE { P }`` becomes
``DELETE { P } USING … WHERE { P }``). An operation that already names its dataset (``WITH``/``USING``) conflicts
with the protocol's and is refused, as the protocol requires. Only the top level of the update is looked at: strings,
IRIs, comments and braces are skipped as whole tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<name>[A-Za-z_][\w.-]*:[\w.%:-]*|:[\w.%:-]*|[?$]\w+)
  | (?P<word>[A-Za-z]+)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<semicolon>;)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class DatasetConflict(ValueError):
    """The update names its own dataset (WITH/USING) and the request gave one too."""


def _top_level(update: str) -> Iterator[tuple[str, str, int, int, int]]:
    """(kind, upper-cased text, start, end, depth) of every token that is not whitespace or a comment."""
    depth = 0
    for match in _TOKENS.finditer(update):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth -= 1
        yield kind, match.group().upper(), match.start(), match.end(), depth
        if kind == "open":
            depth += 1


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """``update`` with the protocol's dataset as USING clauses; unchanged when both lists are empty."""
    if not using and not using_named:
        return update
    clause = " ".join([f"USING <{iri}>" for iri in using] + [f"USING NAMED <{iri}>" for iri in using_named])
    tokens = list(_top_level(update))
    edits: list[tuple[int, int, str]] = []
    previous = ""
    for index, (kind, text, start, end, depth) in enumerate(tokens):
        if depth != 0:
            continue
        if kind == "word" and text in ("WITH", "USING"):
            raise DatasetConflict(
                "the update has a WITH or USING clause and the request has using-graph-uri/using-named-graph-uri: "
                "give the dataset one way only"
            )
        if kind == "word" and text == "WHERE":
            if previous == "DELETE":  # DELETE WHERE { P }  →  DELETE { P } USING … WHERE { P }
                edits.append((start, end, f"{_group_after(tokens, index, update)} {clause} WHERE"))
            else:
                edits.append((start, start, f"{clause} "))
        previous = text
    for start, end, replacement in reversed(edits):
        update = update[:start] + replacement + update[end:]
    return update


def _group_after(tokens: list[tuple[str, str, int, int, int]], index: int, update: str) -> str:
    """The text of the ``{ … }`` group that follows token ``index`` (at the top level)."""
    opening = next((t for t in tokens[index + 1 :] if t[0] == "open" and t[4] == 0), None)
    closing = next((t for t in tokens[index + 1 :] if t[0] == "close" and t[4] == 0), None)
    if opening is None or closing is None:
        return "{}"  # malformed: Oxigraph's parser reports it
    return update[opening[2] : closing[3]]
