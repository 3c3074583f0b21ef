"""The polkg vocabulary as rdflib namespaces: every term is reached through :data:`PK`."""

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/polkg/ontology"


class PK(DefinedNamespace):
    """polkg ontology terms (``pk:``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Event: object
    Meeting: object
    PhoneCall: object
    Visit: object
    Statement: object
    Vote: object
    VoteAbstention: object
    VoteFor: object
    VoteAgainst: object
    Veto: object
    Agent: object
    Person: object
    Organization: object
    Country: object
    Group: object
    Place: object
    EventStatus: object
    Document: object
    Mention: object
    # status individuals
    Happened: object
    Planned: object
    Cancelled: object
    Negated: object
    # object properties
    participant: object
    speaker: object
    addressee: object
    abstainer: object
    voter: object
    votingBody: object
    place: object
    status: object
    mention: object
    sameEventAs: object
    # datatype properties
    resolution: object
    quote: object
    topic: object
    date: object
    confidence: object
    sentence: object
    cameoCode: object
    ploverCode: object


PKID = Namespace("https://w3id.org/polkg/id/")
WD = Namespace("http://www.wikidata.org/entity/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")

PREFIXES: dict[str, Namespace] = {
    "pk": PK._NS,
    "pkid": PKID,
    "wd": WD,
    "sem": SEM,
    "schema": SCHEMA,
    "nif": NIF,
    "gaf": GAF,
}
