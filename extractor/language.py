"""Language of a text, French or English, with lingua-language-detector."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_CODES = {Language.FRENCH: "fr", Language.ENGLISH: "en"}


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Built once: lingua's models for French and English only."""
    return LanguageDetectorBuilder.from_languages(*_CODES).build()


def detect_language(text: str, default: str = "en") -> str:
    """``"fr"`` or ``"en"``; ``default`` when the text gives no clue (empty, digits, symbols)."""
    found = _detector().detect_language_of(text)
    return _CODES[found] if found is not None else default
