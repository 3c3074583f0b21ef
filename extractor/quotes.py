"""Quotations in news text: character spans between matching quotation marks.

Handles straight double quotes, curly quotes, «guillemets», ``Treebank`` quotes and ‘single curly’
quotes; a quotation does not run past a line break, and an unmatched mark opens nothing.
"""

from __future__ import annotations

import re

PAIRS = {"«": "»", "“": "”", "„": "“", "‘": "’", "``": "''", '"': '"', "‹": "›", "'": "'"}
_MARK = re.compile(r"``|''|[«»“”„‘’\"‹›]|(?<![\w'])'(?=\w)|(?<=[\w.,!?])'(?![\w'])")
MAX_QUOTE_CHARS = 3000


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Inner ``(start, end)`` character spans of the quotations of ``text`` (marks and edge spaces
    excluded), in order, not nested."""
    spans: list[tuple[int, int]] = []
    opener: re.Match[str] | None = None
    for mark in _MARK.finditer(text):
        sign = mark.group()
        if opener is not None:
            closer = PAIRS[opener.group()]
            if sign == closer or (opener.group() == '"' and sign in "”") or (opener.group() == "“" and sign == '"'):
                _add(text, opener.end(), mark.start(), spans)
                opener = None
                continue
            if "\n" in text[opener.end() : mark.start()] or mark.start() - opener.end() > MAX_QUOTE_CHARS:
                opener = None
        if opener is None and sign in PAIRS and not _is_apostrophe(text, mark):
            opener = mark
    return spans


def _is_apostrophe(text: str, mark: re.Match[str]) -> bool:
    """A ‘ or ’ between letters is an apostrophe, not a quotation mark."""
    if mark.group() not in "‘’'":
        return False
    if mark.group() == "'":  # a straight single quote opens only at a word start: " 'Europe must…'"
        return mark.start() > 0 and not (text[mark.start() - 1].isspace() or text[mark.start() - 1] in ":(")
    before = text[mark.start() - 1] if mark.start() else " "
    return before.isalnum()


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
