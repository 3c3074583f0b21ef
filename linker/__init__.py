"""Linking actors and places to Wikidata entities: an offline gazetteer index, optionally the Wikidata API.

>>> linker = Linker.open()                      # $POLKG_GAZETTEER or the shipped index
>>> linker.link(events, doc)                    # fills Actor.qid / label / labels
>>> linker.resolve("Yoav Gallant", Kind.PERSON, "ministre israélien de la défense")
"""

from polkg.linker.index import Index
from polkg.linker.linker import Candidate, Linker
from polkg.linker.sources import GazetteerError

__all__ = ["Candidate", "GazetteerError", "Index", "Linker"]
