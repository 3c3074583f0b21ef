"""Actors from the parse: the phrase a token heads, the name in it, its kind, role words and
country, and in-document coreference as small rules (surname → full name, role description → the
person introduced with that role, pronouns, "les deux hommes", demonyms → country)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from polkg.extractor.lexicon import Lexicon, load_lexicon
from polkg.model import Actor, Kind, Role

PERSON_LABELS = {"PER", "PERSON"}
CLAUSE_DEPS = {"acl", "acl:relcl", "relcl", "advcl", "ccomp", "parataxis", "conj", "cc", "punct", "xcomp", "dep", "mark"}
CLAUSE_DEPS_WITHOUT_ACL = CLAUSE_DEPS - {"acl"}
NESTED_CUT = {"acl:relcl", "relcl", "advcl", "ccomp", "parataxis", "conj", "cc"}
HONORIFICS = {"m.", "mr", "mr.", "mme", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "mlle"}


def fold(text: str) -> str:
    """Case-, accent- and spelling-folded key ("Netanyahou" and "Netanyahu" fold alike)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("ou", "u").replace("-", " ").split())


@lru_cache(maxsize=None)
def _country_keys(lang: str) -> dict[str, str]:
    """Folded country name -> ISO code, per language."""
    return {fold(name): code for code, name in load_lexicon(lang).country_names.items()}


@dataclass
class Mention:
    """An actor mention found in a sentence: the actor and the token it hangs on."""

    actor: Actor
    head: Token
    plural: bool = False
    members: list[Actor] = field(default_factory=list)  # resolved members of "les deux hommes"


class DocumentEntities:
    """What one document says about its entities, built once before its events are read."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: read it once
        self._phrases: dict[tuple[int, bool], list[Token]] = {}
        self.lex = lexicon
        self.ent_of: dict[int, Span] = {t.i: ent for ent in doc.ents for t in ent}
        self.full_names: dict[str, str] = {}  # surname key -> fullest person name
        self.roles: dict[str, list[tuple[str, str]]] = {}  # role lemma -> [(name, role words)]
        self.contexts: dict[str, str] = {}  # full name -> role words
        self.countries: dict[str, str] = {}  # full name -> ISO code
        self.salient: list[Actor] = []  # persons in order of mention, for pronouns
        self.subjects: list[Actor] = []  # persons that were subjects, in order
        self.last_pair: list[Actor] = []
        self.last_pair_at = -1
        self.groups: list[tuple[int, Actor]] = []  # plural actors (position, actor), for "ils", "they"
        for ent in doc.ents:
            if ent.label_ in PERSON_LABELS:
                self._add_person(ent)
        for token in doc:
            if token.lower_ in lexicon["titles"] and token.i not in self.ent_of:
                name = self.title_name(token)
                if name is not None:
                    self._add_person(name)

    # --- names -------------------------------------------------------------------------------
    def _add_person(self, span: Span) -> None:
        name = self.strip_titles(span)
        if not name:
            return
        words = name.split()
        key = fold(words[-1])
        if len(words) >= len(self.full_names.get(key, "").split()):
            self.full_names[key] = name
        title = self.title_of(span)
        if title is not None:
            full = self.full_names[key]
            self.roles.setdefault(title.lemma_.lower(), []).append((full, self.role_words(title, exclude=span)))
            self.contexts.setdefault(full, self.role_words(title, exclude=span))
            code = self.country_in(title)
            if code:
                self.countries.setdefault(full, code)

    def strip_titles(self, span: Span) -> str:
        """The span's text without leading articles, titles and honorifics ("M. Gallant" → "Gallant")."""
        tokens = list(span)
        while tokens and (tokens[0].lower_ in self.lex["titles"] or tokens[0].lower_ in self.lex["articles"]
                          or tokens[0].is_punct or tokens[0].lower_ in self.lex.demonyms or tokens[0].is_lower):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].lower_ in {"'s", "’s"}):
            tokens = tokens[:-1]
        return " ".join(t.text for t in tokens).replace(" - ", "-").strip()

    def fullest(self, name: str) -> str:
        """The fullest name the document gives for a person named ``name`` (by surname, or for a
        one-word name by the first word of a fuller name: "Xi" → "Xi Jinping")."""
        words = name.split()
        if not words:
            return name
        full = self.full_names.get(fold(words[-1]))
        if full is None and len(words) == 1:
            full = next((n for n in self.full_names.values() if len(n.split()) > 1 and fold(n.split()[0]) == fold(words[0])), None)
        return full or name

    def known_person(self, name: str) -> bool:
        """Whether ``name`` names a person the document names elsewhere ("Wang" after "Wang Yi")."""
        words = name.split()
        return bool(words) and (self.fullest(name) != name or fold(words[-1]) in self.full_names)

    def title_of(self, span: Span) -> Token | None:
        """The title noun a person name is attached to, if any:
        "le ministre israélien de la défense, Yoav Gallant", "President Joe Biden"."""
        root = span.root
        candidates = [root.head] if root.dep_ in {"appos", "flat:name", "nmod", "compound", "acl", "amod"} or root.head.i > root.i else []
        candidates += [c for c in root.children if c.dep_ in {"appos", "compound", "nmod"} and c.i < root.i]
        before = span.start - 1
        while before >= 0 and (self.doc[before].is_punct and self.doc[before].text == ","):
            before -= 1
        if before >= 0:
            candidates.append(self.doc[before])
        for cand in candidates:
            head = self._title_head(cand)
            if head is not None and head.i not in range(span.start, span.end):
                return head
        return None

    def _title_head(self, token: Token) -> Token | None:
        """The title noun of the phrase ``token`` belongs to ("défense" → "ministre")."""
        for cand in (token, token.head, token.head.head):
            if cand.lower_ in HONORIFICS:
                continue
            if cand.lower_ in self.lex["titles"] and cand.pos_ in {"NOUN", "PROPN", "ADJ", "X"}:
                return cand
            if cand.lemma_.lower() in self.lex["titles"] and cand.pos_ == "NOUN":
                return cand
        return None

    def role_words(self, head: Token, exclude: Span | None = None) -> str:
        """The role phrase headed by a title noun, without articles, names and clauses."""
        skip = set(range(exclude.start, exclude.end)) if exclude is not None else set()
        skip |= self.person_tokens(head)
        tokens = [t for t in self.phrase(head) if t.i not in skip]
        while tokens and (tokens[0].lower_ in self.lex["articles"] or tokens[0].is_punct or tokens[0].pos_ in {"DET", "ADP"}):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in {"ADP", "DET"}):
            tokens = tokens[:-1]
        return "".join(t.text_with_ws for t in tokens).strip()

    def person_tokens(self, head: Token) -> set[int]:
        return {t.i for t in self.phrase(head) if self.ent_of.get(t.i) is not None and self.ent_of[t.i].label_ in PERSON_LABELS}

    def title_name(self, head: Token) -> Span | None:
        """A name written right after a title when NER missed it: "le ministre … Gallant"."""
        runs: list[list[Token]] = []
        for t in self.phrase(head, keep_acl=True):
            if t.i <= head.i:
                continue
            if t.text[:1].isupper() and t.is_alpha and t.lower_ not in self.lex["titles"]:
                if runs and runs[-1][-1].i == t.i - 1:
                    runs[-1].append(t)
                else:
                    runs.append([t])
        before = {"ADP", "DET"}
        runs = [r for r in runs if self.doc[r[0].i - 1].pos_ not in before and self.doc[r[0].i - 1].lower_ not in self.lex["articles"]
                and not self.lex.country_of(r[0].text) and all(self.ent_of.get(t.i) is None or self.ent_of[t.i].label_ in PERSON_LABELS | {"MISC"} for t in r)]
        if not runs:
            return None
        return self.doc[runs[-1][0].i : runs[-1][-1].i + 1]

    # --- phrases -------------------------------------------------------------------------------
    def phrase(self, head: Token, keep_acl: bool = False) -> list[Token]:
        """The contiguous tokens of the noun phrase ``head`` heads, without clauses, coordinated
        phrases and edge punctuation (computed once per token)."""
        key = (head.i, keep_acl)
        if key not in self._phrases:
            self._phrases[key] = self._phrase(head, keep_acl)
        return self._phrases[key]

    def _phrase(self, head: Token, keep_acl: bool) -> list[Token]:
        cut = (CLAUSE_DEPS_WITHOUT_ACL if keep_acl else CLAUSE_DEPS) - {"punct"}
        out: list[Token] = [head]
        stack = [c for c in head.children if c.dep_ not in cut]
        while stack:
            tok = stack.pop()
            out.append(tok)
            stack.extend(c for c in tok.children if c.dep_ not in NESTED_CUT)
        out.sort(key=lambda t: t.i)
        start = end = out.index(head)
        while start > 0 and out[start - 1].i == out[start].i - 1:
            start -= 1
        while end < len(out) - 1 and out[end + 1].i == out[end].i + 1:
            end += 1
        tokens = out[start : end + 1]
        while len(tokens) > 1 and tokens[0].is_punct and tokens[0].i != head.i:
            tokens = tokens[1:]
        while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space) and tokens[-1].i != head.i:
            tokens = tokens[:-1]
        return tokens

    def country_in(self, head: Token) -> str | None:
        """ISO code of a demonym modifying ``head`` ("le ministre israélien" → "IL")."""
        for child in head.children:
            if child.dep_ in {"amod", "compound", "nmod", "nmod:poss", "poss"} or child.pos_ == "ADJ":
                code = self.lex.country_of(child.text)
                if code:
                    return code
        return self.lex.country_of(head.text) if head.pos_ == "ADJ" else None

    # --- actors --------------------------------------------------------------------------------
    def actor(self, head: Token, role: Role, speaker: Actor | None = None) -> Mention | None:
        """The actor the token ``head`` stands for, coreference resolved; None for no actor."""
        lex = self.lex
        low = head.lower_
        if "Rel" in head.morph.get("PronType") or head.tag_ in {"WP", "WDT"}:
            antecedent = head.head.head if head.head.dep_ in {"acl:relcl", "relcl"} else None
            return self.actor(antecedent, role, speaker) if antecedent is not None and antecedent.pos_ != "PRON" else None
        pronoun_word = low in lex["pronouns_person"] or low in lex["pronouns_group"] or low in lex["pronouns_first"]
        if head.pos_ in {"PRON"} and not pronoun_word and head.i in self.ent_of and self.ent_of[head.i].label_ in PERSON_LABELS:
            pass  # "Younous Omarjee" with the first name tagged PRON: a name
        elif head.pos_ in {"PRON"} or pronoun_word:
            return self._pronoun(head, role, speaker)
        if head.pos_ == "DET" and low in lex["possessives_first"] | lex["possessives_group"]:
            return self._pronoun(head, role, speaker)
        ent = self.ent_of.get(head.i)
        if ent is not None and self._is_role_noun(head) and (ent.label_ not in PERSON_LABELS or not any(t.pos_ == "PROPN" for t in ent)):
            ent = None  # "le ministre chinois des Affaires étrangères" tagged ORG: a title, not a name
        if ent is None:
            ent = self._name_in_phrase(head)
        if (ent is None or ent.label_ in {"DATE", "TIME"}) and head.pos_ == "PROPN":
            ent = self._propn_name(head)
        if ent is not None and ent.label_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}:
            return Mention(self._named(ent, head, role), head)
        pair = self._pair(head, role)
        if pair is not None:
            return pair
        if head.pos_ in {"NOUN", "PROPN", "X", "ADJ", "NUM"}:
            return self._description(head, role)
        return None

    def _is_role_noun(self, head: Token) -> bool:
        return bool({head.lemma_.lower(), head.lower_} & (self.lex["titles"] | self.lex["person_nouns"])) and head.pos_ in {"NOUN", "PROPN"}

    def _propn_name(self, head: Token) -> Span | None:
        """A proper name NER missed or cut ("President Yoon Suk Yeol"): the run of proper nouns
        ending at ``head``, titles and demonyms left out."""
        while head.ent_type_ in {"DATE", "TIME"} and head.i > 0 and self.doc[head.i - 1].pos_ == "PROPN":
            head = self.doc[head.i - 1]  # "President Bashar Assad Tuesday"
        if head.lower_ in self.lex["titles"] or len(head.text) < 2 or not head.text[:1].isalpha() or head.ent_type_ in {"DATE", "TIME"}:
            return None
        start = head.i
        while start > 0 and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].lower_ not in self.lex["titles"] \
                and not self.lex.country_of(self.doc[start - 1].text):
            start -= 1
        span = self.doc[start : head.i + 1]
        person = self.known_person(span.text) or any(self.ent_of.get(t.i) is not None and self.ent_of[t.i].label_ in PERSON_LABELS for t in span) or (
            start > 0 and self.doc[start - 1].lower_ in self.lex["titles"])
        return Span(self.doc, span.start, span.end, label="PER" if person else "ORG")

    def _name_in_phrase(self, head: Token) -> Span | None:
        """The person name apposed to a title or person noun ("le président, Joe Biden")."""
        if not self._is_role_noun(head):
            return None
        for tok in self.phrase(head):
            ent = self.ent_of.get(tok.i)
            if ent is not None and ent.label_ in PERSON_LABELS and tok.dep_ in {"appos", "flat:name", "flat", "compound", "nmod", "acl", "amod"} \
                    and any(t.pos_ == "PROPN" for t in ent):
                return ent
        if head.lemma_.lower() in self.lex["titles"] or head.lower_ in self.lex["titles"]:
            name = self.title_name(head)
            if name is not None:
                return Span(self.doc, name.start, name.end, label="PER")
        return None

    def _named(self, ent: Span, head: Token, role: Role) -> Actor:
        lex = self.lex
        label = ent.label_
        text_span = self._written(head, ent)
        name = self.strip_titles(ent) or ent.text
        kind = Kind.ORGANIZATION
        country = None
        if label in PERSON_LABELS or (label == "MISC" and len(ent) <= 3 and ent.root.pos_ == "PROPN") or self.known_person(name):
            kind = Kind.PERSON
            name = self.fullest(name)
            country = self.countries.get(name) or self.country_in(head)
        elif label in {"GPE", "LOC"} or (label == "NORP" and lex.country_of(ent.text)):
            code = lex.country_of(ent.text) if label == "NORP" else None
            if code:
                name = lex.country_names.get(code, name)
            kind = Kind.COUNTRY if (code or self._is_country(name)) else Kind.PLACE
            country = code or self._country_code(name)
        elif label == "NORP":
            kind = Kind.GROUP
        context = self.contexts.get(name) or (self.role_words(head, exclude=ent) if head.i not in range(ent.start, ent.end) else None)
        actor = Actor(text=text_span.text, kind=kind, role=role, name=name, start=text_span.start_char,
                      end=text_span.end_char, context=context or None, country=country)
        if kind is Kind.PERSON:
            self.note(actor)
        return actor

    def _named_actor(self, ent: Span, role: Role) -> list[Actor]:
        """The actor a name span stands for (coreference applied)."""
        return [self._named(ent, ent.root, role)]

    def _written(self, head: Token, ent: Span) -> Span:
        """The mention as written: the name with a title right before it ("M. Gallant")."""
        start = ent.start
        while start > 0 and self.doc[start - 1].lower_ in HONORIFICS:
            start -= 1
        return self.doc[start : ent.end]

    def _is_country(self, name: str) -> bool:
        return self._country_code(name) is not None

    def _country_code(self, name: str) -> str | None:
        key = fold(self._without_article(name))
        return _country_keys(self.lex.lang).get(key) or {"usa": "US", "u.s.": "US", "us": "US", "uk": "GB"}.get(key)

    def _without_article(self, text: str) -> str:
        words = text.split()
        while words and words[0].lower() in self.lex["articles"]:
            words = words[1:]
        text = " ".join(words)
        for article in ("l'", "l’"):
            if text.lower().startswith(article):
                text = text[len(article):]
        return text

    def _pronoun(self, head: Token, role: Role, speaker: Actor | None) -> Mention | None:
        low = head.lower_.lstrip("-").removeprefix("t-")
        lex = self.lex
        if low in lex["pronouns_first"] or low in lex["possessives_first"] and low not in {"notre", "nos", "our"}:
            target = speaker
        elif low in lex["pronouns_group"] or low in lex["possessives_group"]:
            if self.groups and (not self.last_pair or self.groups[-1][0] > self.last_pair_at):
                group = self.groups[-1][1]
                return Mention(replace(group, text=head.text, role=role, start=head.idx, end=head.idx + len(head.text)), head, plural=True)
            if len(self.last_pair) == 2:
                return self._group_of(head, role, self.last_pair)
            return None
        elif low in lex["pronouns_person"]:
            target = self._subject_before(head)
            if target is None:
                pool = self.subjects if head.dep_ in {"nsubj", "nsubj:pass", "nsubjpass", "expl:subj"} and self.subjects else self.salient
                target = pool[-1] if pool else self._person_named_before(head, role)
        else:
            return None
        if target is None:
            return None
        cut = head.text.rfind("-") + 1  # "-t-il" is written "il"
        actor = replace(target, text=head.text[cut:], role=role, start=head.idx + cut, end=head.idx + len(head.text))
        return Mention(actor, head)

    def _person_named_before(self, pronoun: Token, role: Role) -> Actor | None:
        """The last person named before the pronoun when no subject or actor was noted yet ("…au
        moins le président sortant Barack Obama. Celui-ci rencontrera…")."""
        ents = [e for e in self.doc.ents if e.label_ in PERSON_LABELS and e.end <= pronoun.i]
        return self._named(ents[-1], ents[-1].root, role) if ents else None

    def _subject_before(self, pronoun: Token) -> Actor | None:
        """A named person subject earlier in the pronoun's own sentence ("Erdogan a annulé sa
        visite, où il devait…")."""
        root = pronoun
        while root.head.i != root.i:
            root = root.head
        for token in reversed(self.doc[root.left_edge.i : pronoun.i]):
            if token.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"} and token.pos_ != "PRON":
                mention = self.actor(token, Role.PARTICIPANT)
                if mention is not None and mention.actor.kind is Kind.PERSON and not mention.plural:
                    return mention.actor
        return None

    def _pair(self, head: Token, role: Role) -> Mention | None:
        """"les deux hommes", "both leaders", "the two men": the last two persons named together."""
        lex = self.lex
        if head.lemma_.lower() not in lex["group_pair_nouns"] and head.lower_ not in lex["group_pair_nouns"]:
            return None
        codes = self._coordinated_demonyms(head)
        if not codes and not any(c.lower_ in lex["pair_words"] for c in head.children) and not (head.i > 0 and self.doc[head.i - 1].lower_ in lex["pair_words"]):
            return None
        pair = self.last_pair if len(self.last_pair) == 2 else self._last_two_named(head)
        if codes and any(a.country and a.country not in codes for a in pair):
            return None  # "les présidents français et américain" are not a Russian and a Chinese leader
        return self._group_of(head, role, pair) if len(pair) == 2 else None

    def _coordinated_demonyms(self, head: Token) -> set[str]:
        """The two countries of "les présidents français et américain", "the French and US leaders"."""
        if "Plur" not in head.morph.get("Number") and not head.tag_ in {"NNS", "NNPS"}:
            return set()
        for adj in head.children:
            if adj.dep_ in {"amod", "compound"} and adj.i > 0:
                other = [c for c in adj.children if c.dep_ == "conj"]
                codes = {self.lex.country_of(t.text) for t in (adj, *other[:1])}
                if other and len(codes) == 2 and None not in codes:
                    return codes
        return set()

    def _last_two_named(self, head: Token) -> list[Actor]:
        """The two persons named last before ``head`` (the antecedent of "les deux hommes")."""
        seen: dict[str, Span] = {}
        for ent in self.doc.ents:
            if ent.label_ in PERSON_LABELS and ent.end <= head.i:
                seen.pop(self.fullest(self.strip_titles(ent) or ent.text), None)
                seen[self.fullest(self.strip_titles(ent) or ent.text)] = ent
        return [self._named(ent, ent.root, Role.PARTICIPANT) for ent in list(seen.values())[-2:]] if len(seen) >= 2 else []

    def _group_of(self, head: Token, role: Role, members: list[Actor]) -> Mention:
        phrase = self.phrase(head)
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
        resolved = [replace(m, role=role, text=self.text[start:end], start=start, end=end) for m in members]
        return Mention(resolved[0], head, plural=True, members=resolved)

    def _description(self, head: Token, role: Role) -> Mention | None:
        """A description: a role noun of a named person ("le conseiller à la sécurité"), a demonym
        standing for a country, or the description itself as the actor."""
        lex = self.lex
        lemma = head.lemma_.lower()
        phrase = self.phrase(head)
        while len(phrase) > 1 and phrase[0].pos_ == "ADP":
            phrase = phrase[1:]
        while len(phrase) > 1 and phrase[-1].lower_ in {"'s", "’s"}:
            phrase = phrase[:-1]
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
        text = self.text[start:end]
        country = self.country_in(head)
        holders = [h for h in self.roles.get(lemma, []) if not country or self.countries.get(h[0]) in (None, country)]
        if holders and not head.morph.get("Number") == ["Plur"]:
            name, context = self.role_holder(holders, text)
            actor = Actor(text=text, kind=Kind.PERSON, role=role, name=name, start=start, end=end,
                          context=context, country=self.countries.get(name))
            self.note(actor)
            return Mention(actor, head)
        holder = self._described_person(head, role)
        if holder is not None:
            actor = replace(holder, text=text, role=role, start=start, end=end)
            self.note(actor)
            return Mention(actor, head)
        is_person = lemma in lex["person_nouns"] or head.lower_ in lex["person_nouns"] or lemma in lex["titles"]
        is_org = lemma in lex["organization_nouns"] or head.lower_ in lex["organization_nouns"]
        if not (is_person or is_org or head.pos_ in {"PROPN", "NUM"}):
            return None
        plural = head.morph.get("Number") == ["Plur"] or head.tag_ in {"NNS", "NNPS"}
        kind = Kind.ORGANIZATION if is_org and not is_person else (Kind.GROUP if plural else Kind.PERSON)
        name = self._without_article(text)
        actor = Actor(text=text, kind=kind, role=role, name=name, start=start, end=end,
                      context=self.role_words(head) if is_person else None, country=self.country_in(head))
        if kind is Kind.PERSON and not plural:
            self.note(actor)
        if plural:
            self.groups.append((start, actor))
        return Mention(actor, head, plural=plural)

    def _described_person(self, head: Token, role: Role) -> Actor | None:
        """A singular definite description of a named person ("le chancelier allemand", "son
        homologue sénégalais", "the Labour leader"): the person named earlier with that country, or
        for a speaker the latest subject."""
        lex = self.lex
        if head.morph.get("Number") == ["Plur"] or head.tag_ in {"NNS", "NNPS"} or not self._is_role_noun(head):
            return None
        determiners = [c for c in head.children if c.dep_ in {"det", "poss", "nmod:poss"}]
        if not determiners or determiners[0].lower_ in {"un", "une", "a", "an", "des", "plusieurs", "several"}:
            return None
        adjective_countries = (lex.country_of(t.text) for t in self.phrase(head) if t.pos_ == "ADJ")
        country = self.country_in(head) or next(filter(None, adjective_countries), None)
        if country:
            matches = [a for a in reversed(self.salient) if a.country == country and a.name and a.name[:1].isupper()]
            return matches[0] if matches else None
        if role is Role.SPEAKER and self.subjects and determiners[0].lower_ in {"le", "la", "l'", "l’", "the"}:
            return self.subjects[-1]
        return None

    def role_holder(self, holders: list[tuple[str, str]], description: str) -> tuple[str, str]:
        """Of the persons introduced with a role, the one whose role words best match ``description``."""
        words = set(fold(description).split())
        return max(holders, key=lambda held: len(words & set(fold(held[1]).split())))

    def demonym_country(self, head: Token, role: Role) -> Actor | None:
        """The country a demonym adjective stands for ("l'abstention américaine" → United States)."""
        for child in head.children:
            code = self.lex.country_of(child.text) if child.dep_ in {"amod", "nmod", "compound"} or child.pos_ == "ADJ" else None
            if code:
                return Actor(text=child.text, kind=Kind.COUNTRY, role=role, name=self.lex.country_names.get(code, child.text),
                             start=child.idx, end=child.idx + len(child.text), country=code)
        return None

    # --- salience ------------------------------------------------------------------------------
    def note(self, actor: Actor) -> None:
        """Record a person as the latest one mentioned (the antecedent of the next pronoun)."""
        if actor.kind is Kind.PERSON:
            self.salient.append(actor)

    def note_subject(self, actor: Actor) -> None:
        """Record a person that was the subject of a sentence (preferred antecedent of "il", "he")."""
        if actor.kind is Kind.PERSON:
            self.subjects.append(actor)

    def note_pair(self, actors: list[Actor]) -> None:
        persons = [a for a in actors if a.kind in {Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION}]
        if len({a.key for a in persons}) == 2:
            self.last_pair = persons
            self.last_pair_at = max(a.start or 0 for a in persons)

