"""Rules on the dependency parse: from a trigger token to an event candidate with its actors.

One function per event family (statements, meetings, votes); each reads the trigger's
dependents (subject, object, "avec"/"with" companions, inverted speakers) through
:class:`~polkg.extractor.mentions.DocumentEntities`, which resolves names and coreference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from polkg.extractor.lexicon import Lexicon
from polkg.extractor.mentions import DocumentEntities
from polkg.extractor.status import event_status, is_hypothetical
from polkg.model import Actor, EventType, Kind, Role, Status, Subtype

SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
INVERTED_SPEAKER_DEPS = {"obj", "nmod", "appos", "iobj", "obl:arg", "obl:mod", "dobj", "attr", "flat:name", "acl", "amod", "nsubj"}
ACTOR_KINDS = {Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION, Kind.GROUP, Kind.PLACE}  # a place can stand for its government


@dataclass
class Candidate:
    """An event read from one sentence, before mentions of the same event are merged."""

    type: EventType
    trigger: Token
    unit: Span
    actors: list[Actor]
    status: Status = Status.HAPPENED
    subtype: Subtype | None = None
    quote: str | None = None
    topic: str | None = None
    place: Actor | None = None
    body: Actor | None = None
    resolution: str | None = None
    confidence: float = 0.7
    extra_units: list[Span] = field(default_factory=list)
    offset: int = 0  # character offset of the parsed piece in the document


def case_of(token: Token) -> str:
    """The preposition introducing a nominal dependent ("avec", "with", "de"), lower-cased."""
    marks = [c.lower_ for c in token.children if c.dep_ in {"case", "mark"} and c.i < token.i]
    if token.dep_ == "pobj" and token.head.dep_ in {"prep", "agent", "dative"}:
        return token.head.lower_
    return " ".join(marks)


def nominal_dependents(token: Token) -> list[Token]:
    """Nominal dependents, seen through English prepositions (prep → pobj)."""
    out = []
    for child in token.children:
        if child.dep_ in {"prep", "agent", "dative"} and child.pos_ == "ADP":
            out.extend(c for c in child.children if c.dep_ == "pobj")
        else:
            out.append(child)
    return out


def root_of(token: Token) -> Token:
    """The root of the token's dependency tree (its sentence's root, without ``Token.sent``,
    which walks the whole document each time)."""
    while token.head.i != token.i:
        token = token.head
    return token


def with_conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it or with its apposed name
    ("le président Joe Biden et M. Netanyahu")."""
    heads = [token, *[c for c in token.children if c.dep_ in {"appos", "flat:name"} or (c.ent_iob_ == "I" and token.ent_type_)]]
    return [token, *[t for h in heads for t in h.conjuncts if t.i > h.i]]


class SentenceRules:
    """The rules of one language, applied to the sentence units of one document."""

    def __init__(self, entities: DocumentEntities, lexicon: Lexicon) -> None:
        self.ents = entities
        self.lex = lexicon
        self.last_speaker: Actor | None = None

    # --- helpers -------------------------------------------------------------------------------
    def subjects(self, verb: Token) -> list[Token]:
        """The subject(s) of a verb, climbing from infinitives and participles to the verb they hang on."""
        token = verb
        for _ in range(4):
            found = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            if len(found) == 1 and found[0].lower_ in {"who", "that", "which", "qui"} and token.dep_ in {"relcl", "acl:relcl"} \
                    and token.head.head.lower_ in {"among", "parmi"}:
                # "X were among those who abstained", "X figuraient parmi ceux qui se sont abstenus"
                found = [c for c in token.head.head.head.children if c.dep_ in SUBJECT_DEPS]
            if not found and token.i == verb.i:  # a name before the verb the parser did not call subject
                found = [c for c in token.children if c.i < token.i and c.ent_type_ in {"PER", "PERSON", "ORG", "GPE", "LOC", "NORP"}
                         and not case_of(c) and c.dep_ not in {"obl", "obl:mod", "obl:arg", "nmod"}][:1]
            if not found and token.i == verb.i:  # "le chancelier nouvellement élu, Friedrich Merz, a effectué…": the
                found = self._apposed_name_before(token)  # parser lost the subject; the name between commas is it
            if found:
                # a subject before its verb does not coordinate with names after it
                return [t for s in found for t in with_conjuncts(s) if t.i == s.i or s.i > token.i or t.i < token.i]
            if token.dep_ in {"xcomp", "advcl", "conj", "acl", "acomp"} and token.head.i != token.i:
                token = token.head
                continue
            if token.dep_ in {"obj", "dobj"} and token.pos_ == "NOUN":  # "a confirmé son intention de se rendre"
                token = token.head
                continue
            if token.dep_ == "pcomp" and token.head.lower_ == "for":  # "criticised X for abstaining"
                return [t for c in token.head.head.children if c.dep_ in {"dobj", "obj"} for t in with_conjuncts(c)]
            if token.dep_ == "pcomp" and token.head.head.i != token.head.i:  # "told reporters after meeting X"
                token = token.head.head
                continue
            break
        return []

    def _apposed_name_before(self, verb: Token) -> list[Token]:
        """A person name set between commas right before a subjectless verb (and its auxiliaries)."""
        start = min([verb.i] + [c.i for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i])
        doc = verb.doc
        if start < 3 or doc[start - 1].text != "," or doc[start - 2].i not in self.ents.ent_of:
            return []
        ent = self.ents.ent_of[doc[start - 2].i]
        if ent.label_ not in {"PER", "PERSON"} or ent.end != start - 1 or ent.start < 1 or doc[ent.start - 1].text != ",":
            return []
        return [ent.root]

    def actors_of(self, tokens: list[Token], role: Role, speaker: Actor | None = None) -> list[Actor]:
        actors: list[Actor] = []
        for token in tokens:
            mention = self.ents.actor(token, role, speaker)
            if mention is None:
                continue
            actors.extend(mention.members or [mention.actor])
        return actors

    def is_media(self, actor: Actor) -> bool:
        """A news medium, agency, journalist or document (R5: not a speaker)."""
        words = {w.strip(".,’'").lower() for w in (actor.text or "").split()}
        return bool(words & self.lex["media_words"]) or (actor.name or "").lower() in self.lex["media_words"] \
            or (actor.text or "").lower() in self.lex["media_words"]

    def quotes_in(self, unit: Span, exclude: list[Actor] = ()) -> list[tuple[int, int]]:
        quotes = unit.doc._.quotes or []
        return [(s, e) for s, e in quotes if s >= unit.start_char and e <= unit.end_char
                and not any(a.start is not None and s <= a.start < e for a in exclude)]

    def inside_quote(self, token: Token) -> bool:
        return any(s <= token.idx < e for s, e in token.doc._.quotes or [])

    # --- statements ------------------------------------------------------------------------------
    def statement(self, trigger: Token, unit: Span) -> Candidate | None:
        lex = self.lex
        if trigger.pos_ in {"NOUN", "PROPN", "ADP", "DET", "PRON"} or self.inside_quote(trigger):
            return None
        if trigger.lemma_.lower() in lex["phone_only_verbs"] and (
                not self._content_complement(trigger) or any(c.dep_ in {"obj", "dobj"} and c.ent_type_ for c in trigger.children)):
            return None  # "a appelé Vladimir Poutine" is a call, "a appelé à la retenue" a statement
        speakers_tokens = [t for t in self.subjects(trigger) if not self._inside_report(trigger, t)]
        after = [t for t in speakers_tokens if t.i > trigger.i]
        if self._after_report(trigger) and after:
            speakers_tokens = after  # ", a indiqué le Kremlin"
        elif after and len(after) < len(speakers_tokens):
            speakers_tokens = [t for t in speakers_tokens if t.i < trigger.i]  # a subject before the verb wins
        if not speakers_tokens:
            speakers_tokens = self._name_before(trigger)
        passive = any(c.dep_ in {"aux:pass", "auxpass"} for c in trigger.children)
        inverted = self._inverted_speaker(trigger)
        if inverted:
            speakers_tokens, passive = inverted, False
        if passive:
            speakers_tokens = [c for c in nominal_dependents(trigger) if case_of(c) in lex["passive_agent_marks"] or c.dep_ in {"obl:agent", "agent"}]
        speakers = [a for a in self.actors_of(speakers_tokens, Role.SPEAKER) if a.kind in ACTOR_KINDS]
        if not speakers:  # "Or par un tweet, Kinshasa annonce que…"
            speakers = [a for a in self.actors_of(self._name_before(trigger), Role.SPEAKER) if a.kind in ACTOR_KINDS]
        if not speakers and not passive:  # inverted subject, parsed as an object: ", a déclaré M. X"
            for child in trigger.children:
                if child.dep_ in INVERTED_SPEAKER_DEPS and child.i > trigger.i and not case_of(child) \
                        and not self._inside_report(trigger, child):
                    speakers = [a for a in self.actors_of([child], Role.SPEAKER) if a.kind in ACTOR_KINDS]
                    if speakers:
                        break
        if speakers and all(self.is_media(s) for s in speakers):
            if trigger.lemma_.lower() in lex["quote_verbs"]:
                speakers = self.actors_of([c for c in trigger.children if c.dep_ in {"obj", "dobj"}], Role.SPEAKER)
            else:
                return None
        speakers = [s for s in speakers if not self.is_media(s) and len((s.name or s.text).strip()) > 1]
        if not speakers:
            return None
        quotes = self.quotes_in(unit, exclude=speakers)
        # after reported words (", a ajouté X", "…, he added") the content is before the verb; not after a subject
        # set off by commas ("le Président X, accompagné de quatre ministres, a salué les officiels")
        after_content = self._after_report(trigger) and not (
            trigger.doc[self._verb_start(trigger) - 1].text == "," and any(t.i < trigger.i for t in speakers_tokens))
        needs_content = trigger.lemma_.lower() in lex["statement_verbs_need_content"] and not inverted and not after_content
        if needs_content and not quotes and not self._content_complement(trigger):
            return None
        addressees = self._addressees(trigger)
        quote = " […] ".join(self.ents.text[s:e] for s, e in quotes) or None
        topic = None if quote else self._topic(trigger)
        confidence = 0.9 if quote else 0.75
        if any(s.text != (s.name or s.text) and s.text.lower() in lex["pronouns_person"] for s in speakers):
            confidence -= 0.1
        self.last_speaker = speakers[0]
        return Candidate(EventType.STATEMENT, trigger, unit, speakers + addressees, quote=quote, topic=topic,
                         confidence=confidence)

    def _inside_report(self, trigger: Token, token: Token) -> bool:
        """Whether ``token`` stands in the reported clause ("annonce que X…"), not before it."""
        return token.i > trigger.i and any(t.pos_ == "SCONJ" or t.lower_ in {"que", "qu'", "qu’", "that"}
                                            for t in trigger.doc[trigger.i + 1 : token.i])

    def _name_before(self, trigger: Token) -> list[Token]:
        """The name right before a reporting verb left without subject by the parser ("Kinshasa annonce")."""
        start = self._verb_start(trigger)
        previous = trigger.doc[start - 1] if start > 0 else None
        ent = self.ents.ent_of.get(previous.i) if previous is not None else None
        return [ent.root] if ent is not None and ent.label_ in {"PER", "PERSON", "ORG", "GPE", "LOC", "NORP"} else []

    def _verb_start(self, trigger: Token) -> int:
        """Where the verb group of a trigger starts ("a déclaré", "s'est félicité", "a fait savoir")."""
        start = trigger.i
        while start > 0 and (trigger.doc[start - 1].dep_ in {"aux", "aux:tense", "aux:pass", "expl:comp", "expl:pv", "expl:subj", "auxpass"}
                             or trigger.doc[start - 1].pos_ == "AUX" or trigger.doc[start - 1].lemma_ == "faire"):
            start -= 1
        return start

    def _after_report(self, trigger: Token) -> bool:
        """Whether the verb follows the reported words (``…, a indiqué X``, ``"…", said X``)."""
        start = self._verb_start(trigger)
        return start > 0 and trigger.doc[start - 1].text in {",", "»", "”", '"', "’", "-", "—", "–"}

    def _inverted_speaker(self, trigger: Token) -> list[Token]:
        """The speaker after a reporting verb that follows the reported words (", a déploré mardi le
        secrétaire général X", ", said Lavrov"): the first actor phrase after the verb, whatever
        the parse made of it."""
        start = self._verb_start(trigger)
        if not self._after_report(trigger):
            return []
        for subject in (c for c in trigger.children if c.dep_ in SUBJECT_DEPS and c.i < trigger.i):
            if not any(_clause_verb(t) for t in trigger.doc[subject.i + 1 : start]):
                return []  # a real subject before the verb: "le porte-parole, John Kirby, a déclaré que…"
        for token in trigger.doc[trigger.i + 1 : min(len(trigger.doc), trigger.i + 12)]:
            if (token.is_punct and token.text in {".", ";", "!", "?", ":"}) or token.pos_ == "SCONJ":
                break
            if token.pos_ in {"NOUN", "PROPN", "PRON"} and token.dep_ not in {"obl:mod", "case"} and not case_of(token) \
                    and token.ent_type_ not in {"DATE", "TIME"} and self.ents.actor(token, Role.SPEAKER) is not None:
                head = token
                while head.head.i != head.i and head.head.i > trigger.i and head.dep_ in {"flat:name", "flat", "compound", "amod", "appos"}:
                    head = head.head
                return [head]
        return []

    def _content_complement(self, trigger: Token) -> bool:
        """Whether a reporting verb reports something: a clause, an object clause, "à"/"for" + verb."""
        if trigger.dep_ == "parataxis" or any(c.dep_ in {"ccomp", "parataxis", "csubj"} for c in trigger.children):
            return True
        for child in nominal_dependents(trigger):
            if child.dep_ in {"xcomp", "obl:arg", "pobj", "obj", "dobj"} and (case_of(child) in self.lex["content_marks"] or child.pos_ == "VERB"):
                return True
        return any(c.dep_ == "punct" and c.text == ":" for c in trigger.children)

    def _addressees(self, trigger: Token) -> list[Actor]:
        tokens = []
        for child in nominal_dependents(trigger):
            mark = case_of(child)
            if child.dep_ in {"iobj", "dative"} or (child.dep_ in {"obl:arg", "obl", "pobj", "nmod"} and mark in {"à", "au", "aux", "to"}):
                tokens.append(child)
            elif trigger.lemma_.lower() == "tell" and child.dep_ in {"dobj", "obj"}:
                tokens.append(child)
        actors = [a for a in self.actors_of(tokens, Role.ADDRESSEE) if a.kind in ACTOR_KINDS]
        return actors

    def _topic(self, trigger: Token) -> str | None:
        for child in trigger.children:
            if child.dep_ in {"ccomp", "obj", "dobj", "xcomp"}:
                span = trigger.doc[child.left_edge.i : child.right_edge.i + 1]
                return span.text[:300]
        return None

    def attribution(self, marker: Token, unit: Span) -> Candidate | None:
        """"selon l'Elysée", "according to the ministry": a statement when a person or body is cited."""
        if marker.dep_ == "case":  # "selon l'Elysée"
            target = marker.head
        else:  # "according to X": X hangs on "according" or on "to"
            heads = [marker, marker.nbor(1)] if marker.i + 1 < len(marker.doc) else [marker]
            target = next((c for h in heads for c in h.children if c.dep_ == "pobj"), None)
        if target is None or {target.lemma_.lower(), target.lower_} & (self.lex["document_words"] | self.lex["media_words"]):
            return None  # "according to the schedule", "selon le quotidien…": a document or a medium
        candidates = [target, *[t for t in target.subtree if t.i != target.i]]  # "selon un officiel français"
        cited = next((found for t in candidates if (found := [a for a in self.actors_of([t], Role.SPEAKER) if a.kind in ACTOR_KINDS])), [])
        speakers = [a for a in cited if not self.is_media(a)]
        if not speakers:
            return None  # nobody, or a medium: "selon le quotidien Le Monde"
        quotes = self.quotes_in(unit, exclude=speakers)
        quote = " […] ".join(self.ents.text[s:e] for s, e in quotes) or None
        return Candidate(EventType.STATEMENT, marker, unit, speakers, quote=quote, confidence=0.7)

    def colon_attribution(self, unit: Span) -> Candidate | None:
        """A headline "Macron : « … »", "Lavrov: 'We…'": a name, a colon, then a quotation."""
        colon = next((t for t in unit[:6] if t.text == ":"), None)
        if colon is None or colon.i == unit.start:
            return None
        ent = self.ents.ent_of.get(colon.i - 1)
        before = unit.doc[unit.start : colon.i]
        if ent is None and all(t.text[:1].isupper() and t.is_alpha for t in before):
            ent = Span(unit.doc, before.start, before.end, label="PER")  # a name NER missed: "Lavrov: '…'"
        if ent is None or ent.start > unit.start + 1 or ent.label_ not in {"PER", "PERSON", "ORG", "GPE", "LOC", "NORP"}:
            return None
        quotes = [(s, e) for s, e in self.quotes_in(unit) if s > colon.idx]
        speakers = [a for a in self.ents._named_actor(ent, Role.SPEAKER) if a.kind in ACTOR_KINDS and not self.is_media(a)]
        if not quotes or not speakers:
            return None
        quote = " […] ".join(self.ents.text[s:e] for s, e in quotes)
        return Candidate(EventType.STATEMENT, colon, unit, speakers, quote=quote, confidence=0.7)

    # --- meetings --------------------------------------------------------------------------------
    def meeting(self, trigger: Token, unit: Span, speaker: Actor | None) -> Candidate | None:
        lex = self.lex
        lemma = trigger.lemma_.lower()
        if is_hypothetical(trigger, lex):
            return None
        has_aux = any(c.dep_.startswith("aux") for c in trigger.children)  # "a téléphoné" tagged NOUN
        is_noun = not has_aux and (trigger.pos_ in {"NOUN", "PROPN"} or (lemma in lex["meeting_nouns"] and trigger.pos_ not in {"VERB", "AUX"}))
        if is_noun:
            found = self._nominal_meeting(trigger, speaker)
        else:
            found = self._verbal_meeting(trigger, speaker)
        if found is None:
            return None
        actors, place, visit = found
        actors = _unique([a for a in actors if not self.is_media(a)])
        if is_noun and not any(_named(a) for a in actors):
            return None  # "the talks with presidents and prime ministers": nobody in particular
        pair = bool(actors) and any(w in lex["pair_words"] for w in (actors[0].text or "").lower().split())  # "les deux présidents"
        light = is_noun and "Plur" in trigger.morph.get("Number") and self._light_governor(trigger) is not None  # "EU leaders held talks"
        group_ok = len(actors) == 1 and actors[0].kind in {Kind.GROUP} and (lemma in lex["group_meeting_verbs"] or lemma in {"sommet", "summit"} or pair or light)
        if len(actors) < 2 and not group_ok:
            return None
        if visit and self._contains_meeting(trigger):
            return None  # R7: a trip is annotated through the meetings it contains
        subtype = Subtype.PHONE_CALL if self._phone(trigger) else (Subtype.VISIT if visit else None)
        status = event_status(trigger, lex)
        confidence = 0.65 if is_noun else 0.8
        return Candidate(EventType.MEETING, trigger, unit, actors, status=status, subtype=subtype, place=place,
                         confidence=confidence)

    def _contains_meeting(self, trigger: Token) -> bool:
        """Whether a visit's own clauses report a meeting ("travel to Riyadh to meet X", "visited
        Beijing, where he met Xi")."""
        lex = self.lex
        verbs = lex["meeting_verbs"] | lex["meeting_reciprocal_verbs"]
        clauses = [c for c in trigger.children if c.dep_ in {"advcl", "xcomp", "acl:relcl", "relcl", "acl", "conj"}]
        clauses += [g for c in trigger.children if c.pos_ in {"NOUN", "PROPN"} for g in c.children if g.dep_ in {"acl:relcl", "relcl"}]
        if trigger.pos_ == "NOUN":  # "a annulé sa visite à Berlin, où il devait rencontrer…"
            clauses += [c for c in trigger.head.children if c.dep_ in {"advcl", "acl:relcl", "relcl"} and c.i > trigger.i]
        return any(t.lemma_.lower() in verbs and t.i != trigger.i and t.pos_ in {"VERB", "AUX"} for c in clauses for t in c.subtree)

    def _phone(self, trigger: Token) -> bool:
        lex = self.lex
        near = [trigger, trigger.head, *trigger.children, *[g for c in trigger.children for g in c.children]]
        return any(t.lemma_.lower() in lex["phone_cues"] or t.lower_ in lex["phone_cues"] for t in near)

    def _place(self, token: Token, deep: bool = False) -> Actor | None:
        """A place named with "à", "en", "in", "at" under the token (or its dependents, if ``deep``)."""
        children = nominal_dependents(token)
        if deep:
            children += [g for c in children if c.pos_ in {"NOUN", "PROPN"} for g in nominal_dependents(c)]
        for child in children:
            if case_of(child) in self.lex["place_marks"] or child.dep_ in {"obl:mod", "obl"} and not case_of(child):
                ent = self.ents.ent_of.get(child.i)
                if ent is not None and ent.label_ in {"LOC", "GPE", "FAC"}:
                    return Actor(text=ent.text, kind=Kind.PLACE, role=Role.PARTICIPANT, name=ent.text,
                                 start=ent.start_char, end=ent.end_char)
        return None

    def _companions(self, token: Token, deep: bool = False) -> list[Token]:
        """Dependents introduced by "avec", "with", "entre", "between" (and their conjuncts); with
        ``deep``, also those of its nominal dependents ("s'est entretenu au téléphone avec X")."""
        children = nominal_dependents(token)
        if deep:  # only through a phone word: "au téléphone avec X", "by phone with X"
            children += [g for c in children if c.pos_ == "NOUN" and c.lemma_.lower() in self.lex["phone_cues"] for g in nominal_dependents(c)]
        out = []
        for child in children:
            if self._mark(child) in self.lex["companion_marks"]:
                out.extend(with_conjuncts(child))
                out.extend(self._and_next(child))
                out.extend(self._names_between(child))
        return out

    def _names_between(self, token: Token) -> list[Token]:
        """"entre le président russe X et le chancelier allemand Y" parsed as one phrase: every
        person name in it."""
        if self._mark(token) not in {"entre", "between"}:
            return []
        roots = {self.ents.ent_of[t.i].root.i for t in token.subtree if t.i in self.ents.ent_of
                 and self.ents.ent_of[t.i].label_ in {"PER", "PERSON", "GPE"}
                 and self.ents.ent_of[t.i].root.dep_ not in {"compound", "amod", "poss", "nmod:poss"}}
        return [token.doc[i] for i in sorted(roots)] if len(roots) >= 2 else []

    def _mark(self, token: Token) -> str:
        marks = case_of(token).split()
        return marks[-1] if marks else ""

    def _and_next(self, token: Token) -> list[Token]:
        """"entre X et Y" where the parser lost the coordination: the name right after "et"/"and"."""
        if token.conjuncts:
            return []
        after = token.doc[token.right_edge.i + 1 : token.right_edge.i + 3]
        if len(after) == 2 and after[0].lower_ in {"et", "and", "&"} and after[1].i in self.ents.ent_of:
            return [self.ents.ent_of[after[1].i].root]
        return []

    def _verbal_meeting(self, trigger: Token, speaker: Actor | None) -> tuple[list[Actor], Actor | None, bool] | None:
        lex = self.lex
        lemma = trigger.lemma_.lower()
        reflexive = any(c.lower_ in {"se", "s'", "s’"} or c.dep_ in {"expl:pv", "expl:comp"} for c in trigger.children)
        visit_object = lemma in lex["visit_verb_requires_place"] and any(
            c.dep_ in {"obj", "dobj"} and c.lemma_.lower() in lex["visit_nouns"] for c in trigger.children)  # "rendre visite à"
        if lemma in lex["reflexive_only_verbs"] and not reflexive and not visit_object:
            return None
        if lemma in lex["phone_only_verbs"] and any(c.dep_ == "prt" and c.lower_ != "up" for c in trigger.children):
            return None  # "called Russia out", "called on X": not a call
        named_object = any(c.dep_ in {"obj", "dobj"} and c.ent_type_ for c in trigger.children)
        if lemma in lex["phone_only_verbs"] and lemma in lex["statement_verbs"] and not named_object \
                and self._content_complement_not_obj(trigger):
            return None  # "appeler à la retenue", "call for calm"
        purpose = any(c.dep_ in {"mark", "aux"} and c.lower_ in lex["purpose_marks"] for c in trigger.children)
        if purpose and lemma not in lex["meeting_verbs"] and trigger.dep_ in {"advcl", "acl", "xcomp"}:
            return None  # "a rencontré X pour discuter de…": the purpose of another event
        place = self._place(trigger, deep=True)
        visit = lemma in lex["visit_verbs"]
        subjects = self.subjects(trigger)
        passive = any(c.dep_ in {"aux:pass", "auxpass"} for c in trigger.children)
        objects = [t for c in trigger.children if c.dep_ in {"obj", "dobj"} for t in with_conjuncts(c)]
        if passive:
            objects += [c for c in nominal_dependents(trigger) if case_of(c) in lex["passive_agent_marks"] or c.dep_ in {"obl:agent", "agent"}]
        elif not objects and lemma in lex["meeting_verbs"] and trigger.i + 1 < len(trigger.doc):
            # "Macron recevra Olaf Scholz…" with the name parsed as part of the verb: the person named right after it
            ent = self.ents.ent_of.get(trigger.i + 1)
            if ent is not None and ent.start == trigger.i + 1 and ent.label_ in {"PER", "PERSON"}:
                objects = [trigger.doc[trigger.i + 1]]
        if lemma in lex["phone_only_verbs"]:  # "a téléphoné à son homologue", "phoned X"
            objects += [c for c in nominal_dependents(trigger) if self._mark(c) in {"à", "au", "to"}]
        companions = self._companions(trigger, deep=True)
        hosts = []
        if visit_object:
            hosts = [c for c in nominal_dependents(trigger) if self._mark(c) in {"à", "au", "aux"} and (c.ent_type_ in {"PER", "PERSON"}
                     or c.lemma_.lower() in lex["person_nouns"] or c.lemma_.lower() in lex["titles"])]  # "a rendu visite à son homologue X"
        if lemma in lex["visit_verb_requires_place"]:
            if place is None and not hosts:
                return None
            objects = hosts
        elif lemma not in lex["meeting_verbs"] and lemma not in lex["visit_verbs"]:
            # reciprocal verbs ("discuter de la guerre") take no object, unless "avec" leads it
            objects = [o for o in objects if self._mark(o.doc[o.left_edge.i + 1]) in lex["companion_marks"] or o.doc[o.left_edge.i].lower_ in lex["companion_marks"]]
        subject_actors = self.actors_of(subjects, Role.PARTICIPANT, speaker)
        if subjects and not subject_actors and not passive:
            return None  # "le projet de résolution a reçu neuf votes": no actor meets anyone
        object_actors = self.actors_of(objects, Role.PARTICIPANT, speaker)
        if objects and not object_actors and not companions and not passive and lemma not in lex["meeting_reciprocal_verbs"] \
                and lemma not in lex["visit_verbs"]:
            return None  # "la France a reçu neuf votes", "a accueilli la proposition": the object is no one
        actors = subject_actors + object_actors + self.actors_of(companions, Role.PARTICIPANT, speaker)
        actors = [a for a in actors if a.kind in ACTOR_KINDS or (visit and a.kind is Kind.PLACE)]
        if (visit or passive) and place is not None and len(_unique(actors)) == 1 and _proper(place):
            actors.append(place)  # "n'a pas été reçu à la Maison Blanche": the place stands for the host
        return actors, place, visit

    def _unit_subject(self, trigger: Token) -> list[Token]:
        """The nearest subject before a nominal meeting that has only an "avec X" ("X a eu, samedi,
        une conversation avec Y" parsed badly)."""
        root = root_of(trigger)
        before = [t for t in trigger.doc[root.left_edge.i : trigger.i] if t.dep_ in SUBJECT_DEPS and t.pos_ in {"NOUN", "PROPN", "PRON"}]
        return before[-1:]

    def _content_complement_not_obj(self, trigger: Token) -> bool:
        return any(c.dep_ in {"ccomp", "xcomp"} or case_of(c) in {"à", "for", "on"} for c in nominal_dependents(trigger))

    def _nominal_meeting(self, trigger: Token, speaker: Actor | None) -> tuple[list[Actor], Actor | None, bool] | None:
        lex = self.lex
        lemma = trigger.lemma_.lower()
        head = trigger.head
        if head.i != trigger.i and (head.lemma_.lower() in lex["setting_heads"] or case_of(trigger) in {"lors de", "during", "at"} and lemma in {"sommet", "summit"}):
            return None
        if head.i != trigger.i and head.lemma_.lower() in lex["meeting_nouns"] and trigger.dep_ in {"compound", "amod", "nmod"} and trigger.i < head.i:
            return None  # "phone call": the head noun is the trigger
        visit = lemma in lex["visit_nouns"]
        tokens: list[Token] = []
        for child in nominal_dependents(trigger):
            mark = self._mark(child)
            if mark in lex["companion_marks"] or mark in {"de", "d'", "d’", "du", "des", "of", "by", "par", "from"} or child.dep_ in {"nmod:poss", "poss", "compound", "appos"}:
                tokens.extend(with_conjuncts(child))
                tokens.extend(self._and_next(child))
                tokens.extend(self._names_between(child))
        actors = self.actors_of(tokens, Role.PARTICIPANT, speaker)
        possessive = [c for c in trigger.children if c.lower_ in lex["possessives_group"] or c.lower_ in lex["possessives_first"]]
        if possessive and possessive[0].lower_ in lex["possessives_group"]:
            root_subjects = [c for c in root_of(trigger).children if c.dep_ in SUBJECT_DEPS]
            members = [t for s in root_subjects for t in with_conjuncts(s)]
            if len(members) >= 2:
                actors += self.actors_of(members, Role.PARTICIPANT, speaker)
            else:
                actors += self.actors_of(possessive[:1], Role.PARTICIPANT, speaker)
        elif possessive:
            actors += self.actors_of(possessive[:1], Role.PARTICIPANT, speaker)
        governor = self._light_governor(trigger, any_verb=True)
        if governor is not None and governor.lemma_.lower() in lex["light_verbs"]:
            actors = self.actors_of(self.subjects(governor), Role.PARTICIPANT, speaker) + actors
            for verb in (governor, governor.head) if governor.dep_ in {"xcomp"} else (governor,):
                actors += self.actors_of(self._companions(verb), Role.PARTICIPANT, speaker)
            # "a accordé une audience au président X": the person the meeting is given to
            actors += self.actors_of([c for c in nominal_dependents(governor) + nominal_dependents(trigger) if self._mark(c) in {"à", "au", "aux", "to"} and (
                c.ent_type_ in {"PER", "PERSON"} or c.lemma_.lower() in lex["person_nouns"] or c.lemma_.lower() in lex["titles"])],
                Role.PARTICIPANT, speaker)
        verb = trigger.head.head if trigger.head.pos_ == "ADP" else trigger.head
        if len(_unique(actors)) < 2 and self._mark(trigger) in {"during", "lors", "pendant", "durant", "in"} and verb.pos_ == "VERB":
            # "had raised the matter with Modi during a phone call": the verb's subject and companions
            actors += self.actors_of(self.subjects(verb), Role.PARTICIPANT, speaker) + self.actors_of(self._companions(verb), Role.PARTICIPANT, speaker)
        if len(_unique(actors)) == 1 and any(self._mark(t) in lex["companion_marks"] for t in tokens) and trigger.dep_ not in {"obj", "dobj"}:
            actors = self.actors_of(self._unit_subject(trigger), Role.PARTICIPANT, speaker) + actors
        place = self._place(trigger, deep=True) or (self._place(governor, deep=True) if governor is not None else None)
        actors = [a for a in actors if a.kind in ACTOR_KINDS or (visit and a.kind is Kind.PLACE)]
        if visit and place is not None and len(actors) == 1 and _proper(place):
            actors.append(place)
        return actors, place, visit

    def _light_governor(self, trigger: Token, any_verb: bool = False) -> Token | None:
        """The verb a nominal meeting is the object of, through a measure noun ("wound up two days of
        talks", "ont achevé deux jours de discussions"); only a light verb unless ``any_verb``."""
        anchor = trigger
        if trigger.dep_ == "pobj" and trigger.head.lower_ == "of" and trigger.head.head.lemma_.lower() in self.lex["meeting_measure_nouns"]:
            anchor = trigger.head.head
        elif trigger.dep_ == "nmod" and case_of(trigger) in {"de", "d'", "d’"} and trigger.head.lemma_.lower() in self.lex["meeting_measure_nouns"]:
            anchor = trigger.head
        governor = anchor.head if anchor.dep_ in {"obj", "dobj", "nsubj:pass", "nsubjpass", "obl:arg"} else None
        if governor is None or any_verb or governor.lemma_.lower() in self.lex["light_verbs"]:
            return governor
        return None

    # --- votes -----------------------------------------------------------------------------------
    def abstention(self, trigger: Token, unit: Span) -> Candidate | None:
        lex = self.lex
        is_noun = bool({trigger.lemma_.lower(), trigger.lower_.rstrip("s")} & lex["abstain_nouns"])
        tokens: list[Token] = []
        if is_noun:
            country = self.ents.demonym_country(trigger, Role.ABSTAINER)
            if country is not None:
                return self._vote(EventType.VOTE_ABSTENTION, trigger, unit, [country])
            for child in nominal_dependents(trigger):
                if case_of(child).split()[-1:] and case_of(child).split()[-1] in {"de", "d'", "du", "des", "of", "by", "par", "among", "parmi", "from"} or child.dep_ in {"nmod:poss", "poss"}:
                    tokens.extend(with_conjuncts(child))
            if not tokens and trigger.dep_ in {"nsubj"}:
                tokens = [c for c in nominal_dependents(trigger.head) if case_of(c) in {"de", "d'", "du", "des", "from", "of"}]
            if not tokens and trigger.dep_ in {"obj", "dobj"}:
                tokens = self.subjects(trigger.head)
        else:
            companions = self._companions(trigger)
            side = next((c for c in nominal_dependents(trigger) if c.lemma_.lower() in {"côté", "side"}), None)
            if side is not None:  # "s'est abstenu aux côtés des élus X et Y, ainsi que de Z": every person named after it
                end = next((t.i for t in trigger.doc[side.i : trigger.sent.end] if t.pos_ in {"VERB", "AUX"} or t.text in {";", "."}), trigger.sent.end)
                companions = [c for c in companions if c.i < side.i] + sorted(
                    {self.ents.ent_of[t.i].root for t in trigger.doc[side.i : end] if t.i in self.ents.ent_of
                     and self.ents.ent_of[t.i].label_ in {"PER", "PERSON"} and self.ents.ent_of[t.i].start >= side.i}, key=lambda t: t.i)
            tokens = self.subjects(trigger) + companions
            listed = self._listed_after_colon(trigger)
            if listed:
                tokens = listed
        abstainers = self._named_members(tokens, Role.ABSTAINER)
        if not abstainers and not is_noun and trigger.i > 0 and trigger.doc[trigger.i - 1].i in self.ents.ent_of:
            # absolute construction: "with 14 votes in favour and the United States abstaining"
            abstainers = self._named_members([self.ents.ent_of[trigger.i - 1].root], Role.ABSTAINER)
        if not abstainers:
            return None
        return self._vote(EventType.VOTE_ABSTENTION, trigger, unit, abstainers)

    def _listed_after_colon(self, verb: Token) -> list[Token]:
        """Names listed after a colon that closes the clause ("Deux pays se sont abstenus : l'Ukraine et la Colombie")."""
        colon = next((c for c in verb.children if c.text == ":" and c.i > verb.i), None)
        if colon is None:
            return []
        named = [c for c in verb.children if c.i > colon.i and c.i in self.ents.ent_of]
        out = []
        for token in named[:1]:
            out += [t for t in (token, *token.children, *token.conjuncts) if t.i in self.ents.ent_of and t.dep_ not in {"nmod"}]
        return out

    def _named_members(self, tokens: list[Token], role: Role) -> list[Actor]:
        """Named entities inside a counted subject ("Dix députés, dont X, Y et Z") or the subject."""
        named: list[Actor] = []
        for token in tokens:
            inner = [t for t in token.subtree if t.i != token.i and t.i in self.ents.ent_of
                     and self.ents.ent_of[t.i].label_ in {"PER", "PERSON", "GPE"} and t.i == self.ents.ent_of[t.i].root.i]
            counted = any(c.dep_ == "nummod" or c.like_num for c in token.children)
            listed = "Plur" in token.morph.get("Number") and any(c.dep_ == "appos" and c.i in self.ents.ent_of for c in token.children)
            if inner and (counted or listed):  # "Dix députés, dont X, Y", "les élus de gauche X et Y"
                named.extend(self.actors_of(inner, role))
            else:
                named.extend(self.actors_of([token], role))
        return [a for a in named if a.kind in ACTOR_KINDS]

    def vote(self, trigger: Token, unit: Span) -> Candidate | None:
        """"voted for/against", "a voté contre", "vetoed", "opposé leur veto"."""
        lex = self.lex
        lemma = trigger.lemma_.lower()
        if lemma in lex["veto_words"] or trigger.lower_ in lex["veto_words"]:
            if trigger.pos_ in {"NOUN", "PROPN"}:
                tokens = self.subjects(trigger.head) if trigger.dep_ in {"obj", "dobj"} else [
                    c for c in nominal_dependents(trigger) if case_of(c) in {"de", "du", "des", "by", "of"} or c.dep_ in {"poss", "nmod:poss"}]
            else:
                tokens = self.subjects(trigger)
            return self._vote(EventType.VETO, trigger, unit, self._named_members(tokens, Role.VOTER))
        direction = None
        for child in nominal_dependents(trigger):
            mark = case_of(child) or child.lower_
            if child.lower_ in lex["vote_for_words"] or mark in lex["vote_for_words"] or child.dep_ == "prep" and child.lower_ in lex["vote_for_words"]:
                direction = EventType.VOTE_FOR
            elif child.lower_ in lex["vote_against_words"] or mark in lex["vote_against_words"]:
                direction = EventType.VOTE_AGAINST
        if direction is None or trigger.pos_ not in {"VERB"}:
            return None
        return self._vote(direction, trigger, unit, self._named_members(self.subjects(trigger), Role.VOTER))

    def _vote(self, type_: EventType, trigger: Token, unit: Span, actors: list[Actor]) -> Candidate | None:
        actors = _unique([a for a in actors if not self.is_media(a)])
        if not actors:
            return None
        status = event_status(trigger, self.lex)
        if any(c.lower_ in self.lex["negation_words"] and c.dep_ in {"det", "amod"} for s in self.subjects(trigger) for c in s.children):
            return None  # "Aucun député ne s'est abstenu", "No member abstained": nobody did
        if status is Status.CANCELLED:
            status = Status.HAPPENED
        return Candidate(type_, trigger, unit, actors, status=status, body=self._body(unit),
                         resolution=self._resolution(trigger, unit), confidence=0.8)

    def _body(self, unit: Span) -> Actor | None:
        text = unit.text
        for name in sorted(self.lex.body_names, key=len, reverse=True):
            at = text.find(name)
            if at >= 0 and (at == 0 or not text[at - 1].isalnum()):
                start = unit.start_char + at
                return Actor(text=name, kind=Kind.ORGANIZATION, role=Role.PARTICIPANT, name=name, start=start,
                             end=start + len(name))
        return None

    def _resolution(self, trigger: Token, unit: Span) -> str | None:
        candidates = [t for t in unit if t.lemma_.lower() in self.lex["resolution_nouns"] and t.pos_ in {"NOUN", "PROPN"}]
        if not candidates:
            return None
        noun = min(candidates, key=lambda t: (t.i < trigger.i, abs(t.i - trigger.i)))
        tokens = self.ents.phrase(noun, keep_acl=True)
        end = min(tokens[-1].i + 1, noun.i + 25)
        start = tokens[0].i
        while start < noun.i and tokens[0].doc[start].pos_ in {"DET", "ADP"}:
            start += 1
        return noun.doc[start:end].text


def _clause_verb(token: Token) -> bool:
    """A verb that heads a clause of its own (finite, or with an auxiliary), not a bare participle."""
    return token.pos_ == "VERB" and ("Fin" in token.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in token.children))


def _named(actor: Actor) -> bool:
    """An actor the text names (or that coreference named), not a bare description."""
    return bool(actor.name) and actor.name[:1].isupper()


def _proper(place: Actor) -> bool:
    """A place written as a proper name ("Kyiv", "France"), not a building ("palais de la République")."""
    words = place.text.split()
    if words and words[0].lower() in {"la", "le", "les", "the", "l'"}:
        words = words[1:]
    return bool(words) and all(w[:1].isupper() or w.lower() in {"de", "du", "des", "of", "the", "la", "le", "l'"} for w in words)


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: set[str] = set()
    out = []
    for actor in actors:
        if actor.key not in seen:
            seen.add(actor.key)
            out.append(actor)
    return out
