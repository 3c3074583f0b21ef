"""Server settings: one immutable object, read from ``POLKG_*`` environment variables or given by the caller."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """Everything the web application needs to know; ``Settings.from_env()`` reads ``POLKG_*`` variables."""

    model_config = ConfigDict(frozen=True)

    store: str = Field("polkg-data", description='Store location: a directory, "memory" or an http(s) SPARQL URL')
    token: str | None = Field(None, description="Bearer token that allows writes; None refuses every write")
    query_timeout: float = Field(30.0, gt=0, description="Seconds before a query is stopped")
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0, description="Largest accepted request body")
    max_result_rows: int = Field(100_000, gt=0, description="Most solutions a SELECT may return")
    query_workers: int = Field(4, ge=1, description="Worker processes that run queries (each a fork of the server)")
    union_default_graph: bool = Field(True, description="Queries without a dataset see all graphs as the default")
    gazetteer: str | None = Field(None, description="Gazetteer used by the ingest endpoint's linker")
    online: bool = Field(False, description="Let the ingest endpoint's linker call the Wikidata API")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``POLKG_STORE``, ``POLKG_TOKEN``, ``POLKG_QUERY_TIMEOUT``... then ``overrides``."""
        env: dict[str, object] = {}
        for name in cls.model_fields:
            value = os.environ.get(f"POLKG_{name.upper()}")
            if value not in (None, ""):
                env[name] = value
        env.update({key: value for key, value in overrides.items() if value is not None})
        return cls.model_validate(env)
