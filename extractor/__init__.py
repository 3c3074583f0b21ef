"""Event extraction from French and English news: spaCy models plus rules on the dependency parse.

``Extractor().extract(document)`` returns the document's :class:`~polkg.model.Event` objects.
"""

from polkg.extractor.extractor import Extractor

__all__ = ["Extractor"]
