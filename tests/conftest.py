"""Shared fixtures: the repository's paths and the read-only ``../shared`` data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` next to the checkout; tests that need it skip on a user's fresh clone."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a fresh clone): this test needs the project's shared data")
    return SHARED


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The project's ``seeds/`` folder (the seed article and its metadata sidecar)."""
    return SEEDS
