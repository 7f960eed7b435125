"""Mermaid is vendored from the npm registry once, pinned by SHA-256, and served by the site."""

from __future__ import annotations

import logging

import pytest

from site_plugins import mermaid


def test_a_cached_copy_is_used_without_npm(tmp_path, monkeypatch) -> None:
    cached = tmp_path / f"mermaid-{mermaid.VERSION}.min.js"
    cached.write_text("cached")
    monkeypatch.setattr(mermaid.shutil, "which", lambda name: None)
    assert mermaid.vendored_mermaid(tmp_path) == cached


def test_without_npm_the_error_says_what_to_do(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mermaid.shutil, "which", lambda name: None)
    with pytest.raises(mermaid.VendorError, match="npm is not installed"):
        mermaid.vendored_mermaid(tmp_path)


def test_a_file_with_another_digest_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mermaid, "_fetch", lambda: b"not mermaid")
    with pytest.raises(mermaid.VendorError, match="expected " + mermaid.SHA256):
        mermaid.vendored_mermaid(tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_failed_fetch_is_a_warning_so_only_strict_builds_fail(make_site, fixtures_dir, tmp_path, monkeypatch,
                                                               caplog) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(mermaid.shutil, "which", lambda name: None)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.tutor"):
        site = make_site(fixtures_dir / "basic", plugin={"mermaid_js": None})
    assert "npm is not installed" in caplog.text and "mermaid_js" in caplog.text
    assert not site.path("assets/tutor/mermaid.min.js").exists()
