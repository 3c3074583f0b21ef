"""The graph layer: events as RDF on an rdflib Dataset over Oxigraph (embedded) or a remote SPARQL 1.1 store.

- :mod:`polkg.graph.store` — ``open_store`` and ``GraphStore`` (queries, transactional writes, loads, exports);
- :mod:`polkg.graph.mapping` — documents and their events to triples (one named graph per document, PROV);
- :mod:`polkg.graph.links` — the same event reported by several documents (``pk:sameEventAs``);
- :mod:`polkg.graph.validate` — SHACL validation with pyshacl;
- :mod:`polkg.graph.terms` — rdflib ↔ pyoxigraph terms and the prefixes polkg writes.
"""
