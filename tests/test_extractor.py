"""The extractor on the seed article and on wire-style passages written for each construction
(real spaCy models, loaded once per session)."""

from __future__ import annotations

import datetime as dt

import pytest

from polkg.documents import read_documents
from polkg.extractor import Extractor
from polkg.model import Document, Event, EventType, Kind, Role, Status, Subtype

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def seed_events(extractor: Extractor, seeds) -> tuple[Document, list[Event]]:
    (doc,) = list(read_documents([seeds / "000_1505aa7bd25a2221.txt"]))
    return doc, extractor.extract(doc)


def run(extractor: Extractor, text: str, lang: str, published: str = "2024-03-26") -> list[Event]:
    return extractor.extract(Document(id="t", text=text, lang=lang, published=dt.date.fromisoformat(published)))


def names(event: Event, *roles: Role) -> set[str]:
    return {a.name or a.text for a in event.actors_in(*(roles or (Role.PARTICIPANT, Role.SPEAKER, Role.ABSTAINER, Role.VOTER)))}


def of_type(events: list[Event], type_: EventType) -> list[Event]:
    return [e for e in events if e.type is type_]


def find(events: list[Event], type_: EventType, *actors: str) -> Event:
    """The event of ``type_`` whose actors include all of ``actors``."""
    found = [e for e in of_type(events, type_) if set(actors) <= names(e)]
    assert found, f"no {type_.value} with {actors} in {[(e.type.value, names(e)) for e in events]}"
    return found[0]


# --- the seed article ----------------------------------------------------------------------------

def test_seed_headline_statement_is_gallants_with_quote_and_addressee_free_speaker(seed_events):
    doc, events = seed_events
    first = events[0]
    assert first.type is EventType.STATEMENT
    assert names(first, Role.SPEAKER) == {"Yoav Gallant"}
    assert first.quote == "Seule une victoire décisive mettra fin à cette guerre"
    speaker = first.actors_in(Role.SPEAKER)[0]
    assert doc.text[speaker.start:speaker.end] == speaker.text == "Gallant"
    assert speaker.country == "IL"


def test_seed_pronoun_speaker_resolves_to_gallant(seed_events):
    _, events = seed_events
    promise = next(e for e in events if "promet-il" in e.sentence)
    assert names(promise, Role.SPEAKER) == {"Yoav Gallant"}
    assert promise.actors_in(Role.SPEAKER)[0].text == "il"


def test_seed_gallant_sullivan_meeting_is_one_event_with_three_mentions(seed_events):
    _, events = seed_events
    meeting = [e for e in of_type(events, EventType.MEETING) if names(e) == {"Yoav Gallant", "Jake Sullivan"}]
    assert len(meeting) == 1
    event = meeting[0]
    assert event.status is Status.HAPPENED
    assert len(event.mentions) == 3
    assert any("Les deux hommes" in m.text for m in event.mentions)
    assert event.date == dt.date(2024, 3, 25)


def test_seed_meeting_with_blinken_from_first_person_quote(seed_events):
    _, events = seed_events
    meeting = find(events, EventType.MEETING, "Yoav Gallant", "Antony Blinken")
    assert names(meeting) == {"Yoav Gallant", "Antony Blinken"}
    assert meeting.status is Status.HAPPENED
    assert meeting.date == dt.date(2024, 3, 26)


def test_seed_quote_after_attribution_and_follow_on_quotes_join_the_statement(seed_events):
    _, events = seed_events
    statement = next(e for e in of_type(events, EventType.STATEMENT) if e.quote and e.quote.startswith("Je viens de terminer"))
    assert names(statement, Role.SPEAKER) == {"Yoav Gallant"}
    assert statement.date == dt.date(2024, 3, 26)
    assert "Nous avons discuté" in statement.quote
    assert len(statement.mentions) >= 2


def test_seed_us_abstention_with_body_resolution_and_demonym_mention(seed_events):
    _, events = seed_events
    (vote,) = of_type(events, EventType.VOTE_ABSTENTION)
    (abstainer,) = vote.actors_in(Role.ABSTAINER)
    assert abstainer.kind is Kind.COUNTRY and abstainer.name == "États-Unis"
    assert vote.body is not None and "Conseil de sécurité" in vote.body.name
    assert vote.resolution and "cessez-le-feu" in vote.resolution
    assert any("l'abstention américaine" in m.text for m in vote.mentions)


def test_seed_phone_call_planned_and_cancelled_meetings(seed_events):
    _, events = seed_events
    call = find(events, EventType.MEETING, "Joe Biden", "Benjamin Netanyahu")
    assert call.subtype is Subtype.PHONE_CALL and call.status is Status.HAPPENED
    planned = find(events, EventType.MEETING, "Jake Sullivan", "Antony Blinken", "Lloyd Austin", "Yoav Gallant")
    assert planned.status is Status.PLANNED
    cancelled = next(e for e in of_type(events, EventType.MEETING) if e.status is Status.CANCELLED)
    assert cancelled.subtype is Subtype.VISIT
    assert "Washington" in names(cancelled)


def test_seed_statements_by_kirby_and_sullivan_role_description(seed_events):
    _, events = seed_events
    speakers = [names(e, Role.SPEAKER) for e in of_type(events, EventType.STATEMENT)]
    assert {"John Kirby"} in speakers
    added = next(e for e in events if "a ajouté le conseiller" in e.sentence)
    assert names(added, Role.SPEAKER) == {"Jake Sullivan"}
    assert added.actors_in(Role.SPEAKER)[0].text == "le conseiller à la sécurité"


def test_seed_byline_produces_nothing_and_ids_are_deterministic(extractor, seed_events):
    doc, events = seed_events
    assert not [e for e in events if "Le Staff" in e.sentence]
    assert [e.id for e in events] == [f"{doc.id}-e{n}" for n in range(1, len(events) + 1)]
    assert [e.id for e in extractor.extract(doc)] == [e.id for e in events]


def test_seed_provenance_offsets_point_into_the_text(seed_events):
    doc, events = seed_events
    for event in events:
        assert doc.text[event.start:event.end] == event.sentence
        for mention in event.mentions:
            assert doc.text[mention.start:mention.end] == mention.text
        for actor in event.actors:
            assert doc.text[actor.start:actor.end] == actor.text
        assert 0 < event.confidence <= 1


# --- French constructions ------------------------------------------------------------------------

def test_fr_quote_first_inverted_speaker_with_date(extractor):
    events = run(extractor, "« Nous ne céderons rien sur la sécurité », a affirmé mercredi le ministre italien de "
                            "l'Intérieur, Matteo Piantedosi.", "fr", published="2023-05-12")
    (statement,) = of_type(events, EventType.STATEMENT)
    assert names(statement, Role.SPEAKER) == {"Matteo Piantedosi"}
    assert statement.quote == "Nous ne céderons rien sur la sécurité"
    assert statement.date == dt.date(2023, 5, 10)


def test_fr_meeting_with_place_and_nominal_cancelled_meeting(extractor):
    events = run(extractor, "Le chancelier allemand Olaf Scholz a rencontré lundi à Berlin le président français "
                            "Emmanuel Macron.\nLa rencontre entre Joe Biden et Xi Jinping a été annulée.", "fr")
    met = find(events, EventType.MEETING, "Olaf Scholz", "Emmanuel Macron")
    assert met.status is Status.HAPPENED and met.place is not None and met.place.name == "Berlin"
    assert met.date == dt.date(2024, 3, 25)
    cancelled = find(events, EventType.MEETING, "Joe Biden", "Xi Jinping")
    assert cancelled.status is Status.CANCELLED


def test_fr_phone_call_planned_and_refused_meetings(extractor):
    events = run(extractor, "Emmanuel Macron s'est entretenu au téléphone avec Vladimir Poutine.\n"
                            "Le président turc Recep Tayyip Erdogan doit rencontrer jeudi Olaf Scholz.\n"
                            "Le président tunisien Kaïs Saïed a refusé de recevoir Giorgia Meloni.", "fr")
    call = find(events, EventType.MEETING, "Emmanuel Macron", "Vladimir Poutine")
    assert call.subtype is Subtype.PHONE_CALL and call.status is Status.HAPPENED
    assert find(events, EventType.MEETING, "Recep Tayyip Erdogan", "Olaf Scholz").status is Status.PLANNED
    assert find(events, EventType.MEETING, "Kaïs Saïed", "Giorgia Meloni").status is Status.NEGATED


def test_fr_abstentions_votes_against_and_demonyms(extractor):
    events = run(extractor, "Lors du vote à l'Assemblée générale des Nations unies, la France et l'Allemagne se sont "
                            "abstenues, tandis que les États-Unis ont voté contre la résolution.\n"
                            "L'abstention chinoise a permis l'adoption du texte au Conseil de sécurité.", "fr")
    abstentions = of_type(events, EventType.VOTE_ABSTENTION)
    assert len(abstentions) == 2
    assert {"France", "Allemagne"} <= {n.removeprefix("l'").removeprefix("la ") for n in names(abstentions[0])}
    assert abstentions[0].body is not None and abstentions[0].body.name.startswith("Assemblée générale")
    assert names(abstentions[1]) == {"Chine"}
    against = of_type(events, EventType.VOTE_AGAINST)
    assert against and "États-Unis" in {n.removeprefix("les ") for n in names(against[0])}
    assert not any("États-Unis" in n for e in abstentions for n in names(e))


def test_fr_coreference_title_surname_and_two_men(extractor):
    events = run(extractor, "Le secrétaire d'État américain, Antony Blinken, est arrivé à Pékin.\n"
                            "M. Blinken a rencontré le ministre chinois des Affaires étrangères, Wang Yi.\n"
                            "Les deux hommes ont discuté de Taïwan pendant plus de cinq heures, a déclaré un porte-parole.", "fr")
    meetings = of_type(events, EventType.MEETING)
    assert len(meetings) == 1
    assert names(meetings[0]) == {"Antony Blinken", "Wang Yi"}
    assert len(meetings[0].mentions) == 2
    assert meetings[0].actors_in(Role.PARTICIPANT)[0].text == "M. Blinken"


def test_fr_pronoun_speaker_and_media_are_not_speakers(extractor):
    events = run(extractor, "Olaf Scholz a reçu Giorgia Meloni à Berlin.\n"
                            "Il a déclaré que l'Europe devait rester unie.\n"
                            "Selon l'AFP, le sommet a été reporté.\n"
                            "Le quotidien Le Monde a affirmé que la réunion avait été tendue.", "fr")
    statements = of_type(events, EventType.STATEMENT)
    assert [names(s, Role.SPEAKER) for s in statements] == [{"Olaf Scholz"}]


# --- English constructions -----------------------------------------------------------------------

def test_en_quote_first_statement_with_date(extractor):
    events = run(extractor, '"We will not back down," Prime Minister Rishi Sunak said on Tuesday.', "en", published="2023-11-17")
    (statement,) = of_type(events, EventType.STATEMENT)
    assert names(statement, Role.SPEAKER) == {"Rishi Sunak"}
    assert statement.quote == "We will not back down,"
    assert statement.date == dt.date(2023, 11, 14)


def test_en_talks_phone_call_planned_cancelled_refused(extractor):
    events = run(extractor, "German Chancellor Olaf Scholz held talks with Chinese President Xi Jinping in Beijing.\n"
                            "Joe Biden spoke by phone with Turkish President Recep Tayyip Erdogan.\n"
                            "Antony Blinken is expected to meet Saudi Foreign Minister Faisal bin Farhan next week.\n"
                            "A planned meeting between Narendra Modi and Shehbaz Sharif was called off.\n"
                            "Vladimir Putin declined to meet Antonio Guterres.", "en")
    talks = find(events, EventType.MEETING, "Olaf Scholz", "Xi Jinping")
    assert talks.status is Status.HAPPENED and talks.place is not None and talks.place.name == "Beijing"
    call = find(events, EventType.MEETING, "Joe Biden", "Recep Tayyip Erdogan")
    assert call.subtype is Subtype.PHONE_CALL
    assert find(events, EventType.MEETING, "Antony Blinken", "Faisal bin Farhan").status is Status.PLANNED
    assert find(events, EventType.MEETING, "Narendra Modi", "Shehbaz Sharif").status is Status.CANCELLED
    assert find(events, EventType.MEETING, "Vladimir Putin", "Antonio Guterres").status is Status.NEGATED


def test_en_abstaining_veto_and_negated_abstention(extractor):
    events = run(extractor, "The Security Council adopted the resolution with 14 votes in favour and the United States "
                            "abstaining.\nRussia vetoed a draft resolution on Syria.\nBritain did not abstain.", "en")
    abstentions = of_type(events, EventType.VOTE_ABSTENTION)
    us = next(e for e in abstentions if names(e) == {"United States"})
    assert us.status is Status.HAPPENED and us.body is not None and us.body.name == "Security Council"
    assert next(e for e in abstentions if names(e) == {"Britain"}).status is Status.NEGATED
    (veto,) = of_type(events, EventType.VETO)
    assert names(veto) == {"Russia"}
    assert not any("Russia" in names(e) for e in abstentions)


def test_en_two_leaders_pronoun_and_reported_by_media(extractor):
    events = run(extractor, "Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol on Sunday.\n"
                            "The two leaders discussed North Korea's missile launches.\n"
                            "He told reporters that the talks had been productive.\n"
                            "The meeting lasted two hours, Reuters reported.", "en", published="2023-05-08")
    meetings = of_type(events, EventType.MEETING)
    assert len(meetings) == 1 and names(meetings[0]) == {"Fumio Kishida", "Yoon Suk Yeol"}
    assert meetings[0].date == dt.date(2023, 5, 7)
    assert len(meetings[0].mentions) == 2
    statements = of_type(events, EventType.STATEMENT)
    assert [names(s, Role.SPEAKER) for s in statements] == [{"Fumio Kishida"}]


def test_empty_and_eventless_texts_give_nothing(extractor):
    assert run(extractor, "", "fr") == []
    assert run(extractor, "Il fait beau à Paris aujourd'hui.", "fr") == []
    assert run(extractor, "The weather was fine in London.", "en") == []


def test_language_is_detected_when_unknown(extractor):
    events = extractor.extract(Document(id="x", text="Emmanuel Macron a rencontré Olaf Scholz à Berlin mardi."))
    assert names(of_type(events, EventType.MEETING)[0]) == {"Emmanuel Macron", "Olaf Scholz"}


def test_stream_yields_every_document_in_order_and_reports_failures(extractor):
    docs = [Document(id=f"d{i}", text=f"Joe Biden a rencontré Emmanuel Macron le {i + 1} mars.", lang="fr") for i in range(5)]
    docs.insert(2, Document(id="bad", text="x", lang="de"))
    results = list(extractor.extract_stream(docs, batch_size=3))
    assert [d.id for d, _ in results] == [d.id for d in docs]
    bad = dict((d.id, r) for d, r in results)["bad"]
    assert isinstance(bad, Exception)
    assert all(isinstance(r, list) and len(r) == 1 for d, r in results if d.id != "bad")


def test_headline_colon_quote_and_meeting_inside_a_postponed_trip(extractor):
    fr = run(extractor, "Zelensky : « Nous tiendrons jusqu'au bout »\nLe Premier ministre indien Narendra Modi a reporté "
                        "son voyage à Paris, où il devait rencontrer le président Emmanuel Macron.", "fr")
    (statement,) = of_type(fr, EventType.STATEMENT)
    assert names(statement, Role.SPEAKER) == {"Zelensky"} and statement.quote == "Nous tiendrons jusqu'au bout"
    (meeting,) = of_type(fr, EventType.MEETING)  # the trip is not a second event
    assert names(meeting) == {"Narendra Modi", "Emmanuel Macron"} and meeting.status is Status.CANCELLED
    en = run(extractor, "Lavrov: 'We will respond to any provocation'", "en")
    assert [(names(e, Role.SPEAKER), e.quote) for e in en] == [({"Lavrov"}, "We will respond to any provocation")]


def test_fr_pronoun_after_a_sentence_without_subject_is_the_last_person_named(extractor):
    fr = run(extractor, "Arrivée à Rome du président brésilien Luiz Inacio Lula da Silva pour une tournée européenne. "
                        "Il s'entretiendra mardi avec le chef du gouvernement italien Giorgia Meloni.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Luiz Inacio Lula da Silva", "Giorgia Meloni"}


def test_en_abstainers_among_those_who_and_decision_to_abstain(extractor):
    en = run(extractor, "Four Conservative MPs – Ann Mills, Peter Grant and Ruth Dale among them – were among those who "
                        "defied the government to abstain on the housing amendment.", "en")
    (abstention,) = of_type(en, EventType.VOTE_ABSTENTION)
    assert {"Ann Mills", "Peter Grant", "Ruth Dale"} <= names(abstention)
    en = run(extractor, "Defending its decision to abstain, Brazil said the text ignored the humanitarian situation.", "en")
    (abstention,) = of_type(en, EventType.VOTE_ABSTENTION)
    assert names(abstention) == {"Brazil"}


def test_fr_subject_lost_by_the_parser_is_the_name_between_commas(extractor):
    fr = run(extractor, "Le chancelier autrichien nouvellement élu, Christian Stocker, a effectué mardi sa première visite "
                        "officielle à l'étranger, en Suisse.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Christian Stocker", "Suisse"} and meeting.status is Status.HAPPENED


def test_meeting_verb_with_an_object_that_is_no_one_is_not_a_meeting(extractor):
    fr = run(extractor, "Le texte, porté par l'Allemagne et l'Italie, a reçu douze votes favorables mardi.", "fr")
    assert of_type(fr, EventType.MEETING) == []
    fr = run(extractor, "Emmanuel Macron a reçu mardi le Premier ministre canadien Mark Carney à l'Elysée.", "fr")
    assert names(of_type(fr, EventType.MEETING)[0]) == {"Emmanuel Macron", "Mark Carney"}
    en = run(extractor, "Germany and Italy received the final report of the commission on Monday.", "en")
    assert of_type(en, EventType.MEETING) == []


def test_fr_plural_title_with_two_demonyms_is_the_last_pair(extractor):
    fr = run(extractor, "Jean-Noël Barrot et Johann Wadephul se sont parlé au téléphone lundi. "
                        "Les ministres français et allemand se sont ensuite rencontrés à Paris jeudi.", "fr")
    meetings = of_type(fr, EventType.MEETING)
    assert meetings and all(names(m) == {"Jean-Noël Barrot", "Johann Wadephul"} for m in meetings)


def test_fr_abstention_alongside_named_members(extractor):
    fr = run(extractor, "Le député Charles de Courson s'est abstenu aux côtés des élus centristes Jean Lassalle et Yves Jégo, "
                        "ainsi que des députés écologistes Eva Sas et Noël Mamère.", "fr")
    (abstention,) = of_type(fr, EventType.VOTE_ABSTENTION)
    assert names(abstention) == {"Charles de Courson", "Jean Lassalle", "Yves Jégo", "Eva Sas", "Noël Mamère"}


def test_en_group_that_wound_up_days_of_talks_is_a_meeting(extractor):
    en = run(extractor, "NATO defence ministers wrapped up two days of talks in Brussels on Thursday.", "en")
    (meeting,) = of_type(en, EventType.MEETING)
    assert [a.text for a in meeting.actors] == ["NATO defence ministers"] and meeting.status is Status.HAPPENED


def test_fr_greeting_after_a_subject_between_commas_is_not_a_statement(extractor):
    fr = run(extractor, "Le Premier ministre Ousmane Sonko, entouré de plusieurs ministres, a salué les ambassadeurs présents.", "fr")
    assert of_type(fr, EventType.STATEMENT) == []
    fr = run(extractor, "« Nous resterons mobilisés », a ajouté le président Emmanuel Macron.", "fr")
    assert [names(e, Role.SPEAKER) for e in of_type(fr, EventType.STATEMENT)] == [{"Emmanuel Macron"}]


def test_en_sat_down_with_and_countries_named_in_a_counted_abstaining_subject(extractor):
    en = run(extractor, "Penny Wong sat down with Wang Yi in Canberra on Wednesday.", "en")
    assert names(of_type(en, EventType.MEETING)[0]) == {"Penny Wong", "Wang Yi"}
    en = run(extractor, "Thirty-one countries, including Brazil and Mexico, abstained.", "en")
    assert names(of_type(en, EventType.VOTE_ABSTENTION)[0]) == {"Brazil", "Mexico"}
    en = run(extractor, "Brazil and Mexico were among the 31 countries that abstained.", "en")
    assert names(of_type(en, EventType.VOTE_ABSTENTION)[0]) == {"Brazil", "Mexico"}


def test_fr_rendre_visite_a_a_person(extractor):
    fr = run(extractor, "Le ministre Jean-Noël Barrot a rendu visite mardi à son homologue américain Marco Rubio.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Jean-Noël Barrot", "Marco Rubio"}
    assert of_type(run(extractor, "La Première ministre a rendu visite aux sinistrés de Mayotte.", "fr"), EventType.MEETING) == []


def test_fr_audience_granted_to_a_person(extractor):
    fr = run(extractor, "Le roi Mohammed VI a accordé jeudi une audience au Premier ministre espagnol Pedro Sanchez.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Mohammed VI", "Pedro Sanchez"}


def test_fr_meeting_verb_whose_object_name_the_parser_attached_to_the_verb(extractor):
    fr = run(extractor, "Pedro Sanchez recevra Olaf Scholz lundi à Madrid.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Pedro Sanchez", "Olaf Scholz"}


def test_fr_time_phrase_pointing_ahead_makes_a_meeting_planned(extractor):
    fr = run(extractor, "Emmanuel Macron recevra Olaf Scholz la semaine prochaine à Paris.", "fr")
    (meeting,) = of_type(fr, EventType.MEETING)
    assert names(meeting) == {"Emmanuel Macron", "Olaf Scholz"} and meeting.status is Status.PLANNED
