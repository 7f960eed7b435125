"""Fixtures shared by the lint tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A lint cache of the test's own (it does not exist yet), for this process and those it starts."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(directory))
    return directory
