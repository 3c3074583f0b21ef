"""Whether an event happened, is planned, was cancelled or is negated, read off the trigger and
the words governing it (the lexicon's cue lists); and whether it is only hypothetical."""

from __future__ import annotations

from spacy.tokens import Token

from polkg.extractor.lexicon import Lexicon
from polkg.model import Status

# a reported or subordinate clause does not pass its governor's status to the trigger
CLAUSE_BARRIERS = {"ccomp", "parataxis", "advcl", "acl:relcl", "relcl", "conj", "ROOT", "csubj", "dep", "appos"}
NEG_DEPS = {"neg"}
COMPLEMENT_DEPS = {"xcomp", "obj", "dobj", "nsubj:pass", "nsubjpass", "obl:arg", "acl", "ccomp", "pobj", "prep"}


def governors(trigger: Token, limit: int = 3) -> list[Token]:
    """The trigger and up to ``limit`` heads above it within its clause ("a refusé de rencontrer",
    "was expected to meet", "l'annulation de la visite")."""
    chain = [trigger]
    token = trigger
    for _ in range(limit):
        purpose = token.dep_ == "advcl" and _infinitive(token)  # "will travel … to meet", "pour rencontrer"
        if (token.dep_ in CLAUSE_BARRIERS and not purpose) or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
    return chain


def _infinitive(token: Token) -> bool:
    return "Inf" in token.morph.get("VerbForm") or token.tag_ == "VB"


def _antecedent_status(chain: list[Token], lex: Lexicon) -> Status | None:
    """A meeting in a relative clause of a cancelled or refused visit takes its status ("a annulé sa
    visite à Berlin, où il devait rencontrer…", "cancelled a visit, where he was due to meet…")."""
    top = chain[-1]
    relative = top.dep_ in {"acl:relcl", "relcl"} or (
        top.dep_ == "advcl" and any("Rel" in c.morph.get("PronType") or c.tag_ in {"WRB", "WP"} for c in top.children))
    if relative and top.head.i != top.i:
        status = event_status(top.head, lex)
        if status in {Status.CANCELLED, Status.NEGATED}:
            return status
    return None


def _words(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _negated(token: Token, lex: Lexicon) -> bool:
    for child in token.children:
        if child.dep_ in NEG_DEPS:
            return True
        if child.lower_ in lex["negation_words"] and ("Neg" in child.morph.get("Polarity") or lex.lang == "en"):
            return True
    return False


def _planned_form(token: Token, lex: Lexicon) -> bool:
    """Future or conditional by morphology, an auxiliary, or (French) a verb ending the model missed."""
    if "Fut" in token.morph.get("Tense") or "Cnd" in token.morph.get("Mood"):
        return True
    if any(c.dep_ in {"aux", "aux:tense"} and c.lower_ in {"will", "'ll", "shall", "would", "'d", "wo"} for c in token.children):
        return True
    if token.pos_ in {"VERB", "AUX", "ADV", "ADJ", "NOUN"} and lex["planned_suffixes"] and token.text[:1].islower():
        finite = "Fin" in token.morph.get("VerbForm") or not token.morph.get("VerbForm")
        return finite and "Past" not in token.morph.get("Tense") and any(
            token.lower_.endswith(s) and len(token.text) > len(s) + 3 and token.lower_[: -len(s)].endswith(("e", "i", "d", "t", "n", "l", "v", "u"))
            for s in lex["planned_suffixes"] if len(s) >= 4)
    return False


def event_status(trigger: Token, lex: Lexicon) -> Status:
    """The status of the event a trigger reports, by the strongest cue: cancelled, negated, planned."""
    chain = governors(trigger)
    cue_tokens = chain + [c for t in chain for c in t.children if c.dep_ in {"amod", "acl", "prt", "compound:prt", "advmod", "aux", "aux:tense", "xcomp"}]
    words = set().union(*(_words(t) for t in cue_tokens))
    inherited = _antecedent_status(chain, lex)
    if inherited is not None:
        return inherited
    if words & lex["cancel_words"]:
        return Status.CANCELLED
    if (words & lex["refuse_words"]) or any(_negated(t, lex) for t in chain) or any(
            c.lower_ in lex["refuse_words"] for t in chain for c in t.children if c.dep_ in {"advmod"}):
        return Status.NEGATED
    if _planned_governor(chain, lex) or any(_planned_form(t, lex) for t in chain if t.pos_ in {"VERB", "AUX"} or t.i == trigger.i) \
            or any(c.lower_ in lex["planned_modifiers"] for t in chain for c in t.children) or _planned_time(trigger, lex):
        return Status.PLANNED
    return Status.HAPPENED


TIME_NOUNS = {"semaine", "mois", "année", "an", "week", "month", "year", "weekend", "week-end"}


def _planned_time(trigger: Token, lex: Lexicon) -> bool:
    """A time phrase of the trigger that points ahead: "recevra X la semaine prochaine", "next month"."""
    return any(g.dep_ == "amod" and g.lower_ in lex["planned_modifiers"]
               for c in trigger.children if c.dep_ in {"obl:mod", "obl", "npadvmod", "nmod:tmod"}
               and (c.lemma_.lower() in TIME_NOUNS or c.ent_type_ in {"DATE", "TIME"}) for g in c.children)


def _planned_governor(chain: list[Token], lex: Lexicon) -> bool:
    """"doit rencontrer", "is expected to meet", "will meet", "la visite prévue": a planning word
    governing the trigger as its complement, or a future auxiliary."""
    for below, above in zip(chain, chain[1:]):
        if below.dep_ in COMPLEMENT_DEPS and _words(above) & lex["planned_governors"]:
            return True
    return any(c.dep_ in {"aux", "aux:tense", "aux:pass", "auxpass"} and _words(c) & lex["planned_governors"]
               for t in chain for c in t.children)


def is_hypothetical(trigger: Token, lex: Lexicon) -> bool:
    """A meeting only wished for or made conditional ("if they meet", "seraient les bienvenus")."""
    for token in governors(trigger, limit=4):
        if any(c.dep_ == "mark" and c.lower_ in lex["hypothetical_marks"] for c in token.children):
            return True
        clauses = [c for c in token.children if c.dep_ in {"advcl"}]
        if any(m.dep_ == "mark" and m.lower_ in lex["hypothetical_marks"] for c in clauses for m in c.children):
            return True  # "pourrait se rendre en Algérie si les relations s'améliorent"
        if token.i != trigger.i and token.lemma_.lower() in lex["hypothetical_words"]:
            return True
    return False
