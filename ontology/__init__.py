"""The polkg ontology: its vocabulary (:data:`PK`), the generated OWL file and the SHACL shapes."""

from pathlib import Path

from polkg.ontology.vocab import PK, PKID, PREFIXES, WD

ONTOLOGY_TTL = Path(__file__).with_name("polkg.ttl")
SHAPES_TTL = Path(__file__).with_name("shapes.ttl")

__all__ = ["ONTOLOGY_TTL", "PK", "PKID", "PREFIXES", "SHAPES_TTL", "WD"]
