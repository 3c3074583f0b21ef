"""Linking actors and places to Wikidata entities."""
