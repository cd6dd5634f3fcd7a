"""The report cache on disk: where a report is kept, and prune(), which `coop retention run`
calls to remove the reports of scans that are gone, old reports and old template versions."""

from __future__ import annotations

import os
import time

import pytest

from selfscan.report.cache import ReportCache, cache_key, prune, scan_folder

LIVE = "a" * 64
GONE = "b" * 64
DAY = 86400.0


def _put(cache: ReportCache, token_hash: str, template: str, lang: str = "nl", age_days=0.0):
    key = cache_key(token_hash, "2026-1", template, lang, "brand")
    cache.put(key, b"%PDF-1.7 " + token_hash[:1].encode() + lang.encode())
    path = cache.path(key)
    when = time.time() - age_days * DAY
    os.utime(path, (when, when))
    return path


def test_a_report_is_kept_under_its_template_and_scan_without_the_token_hash(tmp_path):
    cache = ReportCache(tmp_path)
    key = cache_key(LIVE, "2026-1", "tv1", "nl")
    cache.put(key, b"%PDF")
    path = cache.path(key)
    assert path.relative_to(tmp_path).parts[:2] == ("tv1", scan_folder(LIVE))
    assert LIVE not in str(path)
    # Both languages of one scan share its folder; another scan has its own.
    assert cache.path(cache_key(LIVE, "2026-1", "tv1", "en")).parent == path.parent
    assert cache.path(cache_key(GONE, "2026-1", "tv1", "nl")).parent != path.parent


def test_a_template_version_that_is_no_folder_name_is_made_one(tmp_path):
    cache = ReportCache(tmp_path)
    key = cache_key(LIVE, "2026-1", "../../etc", "nl")
    cache.put(key, b"%PDF")
    assert cache.path(key).resolve().is_relative_to(tmp_path.resolve())
    assert ".." not in cache.path(key).relative_to(tmp_path).parts


def test_prune_removes_old_template_versions_gone_scans_and_old_reports(tmp_path):
    cache = ReportCache(tmp_path)
    fresh = _put(cache, LIVE, "tv2")
    fresh_en = _put(cache, LIVE, "tv2", "en", age_days=10)
    old = _put(cache, LIVE, "tv2", "fy", age_days=45)
    gone = _put(cache, GONE, "tv2")
    stale = _put(cache, LIVE, "tv1")
    # A write that crashed long ago, and one going on now.
    leftover = fresh.parent / "x.part"
    leftover.write_bytes(b"half")
    os.utime(leftover, (time.time() - 2 * 3600,) * 2)
    writing = fresh.parent / "y.part"
    writing.write_bytes(b"half")

    result = prune(tmp_path, live_scans={LIVE}, max_age_days=30, template="tv2")

    assert fresh.exists() and fresh_en.exists() and writing.exists()
    assert not old.exists() and not gone.exists() and not leftover.exists()
    assert not stale.exists() and not (tmp_path / "tv1").exists()
    assert not gone.parent.exists()  # the gone scan's folder went with its last report
    assert result.removed == 3 and result.kept == 2 and result.stale_templates == 1
    assert result.freed_bytes == sum(len(b"%PDF-1.7 ") + 3 for _ in range(3))
    # Nothing left to do the second time.
    again = prune(tmp_path, live_scans={LIVE}, max_age_days=30, template="tv2")
    assert again.removed == 0 and again.kept == 2


def test_prune_without_a_list_of_scans_or_an_age_keeps_the_current_reports(tmp_path):
    cache = ReportCache(tmp_path)
    kept = [_put(cache, LIVE, "tv2", age_days=400), _put(cache, GONE, "tv2")]
    result = prune(tmp_path, live_scans=None, max_age_days=None, template="tv2")
    assert all(p.exists() for p in kept) and result.removed == 0 and result.kept == 2


def test_prune_of_a_missing_folder_does_nothing(tmp_path):
    result = prune(tmp_path / "none", live_scans=set(), template="tv2")
    assert result.removed == result.kept == result.stale_templates == 0


def test_prune_defaults_to_the_current_template_version(tmp_path):
    from selfscan.report.render import template_version

    cache = ReportCache(tmp_path)
    current = _put(cache, LIVE, template_version())
    older = _put(cache, LIVE, "an-older-template")
    prune(tmp_path, live_scans={LIVE})
    assert current.exists() and not older.exists()


def test_prune_leaves_files_that_are_not_reports_and_follows_no_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / "precious.pdf"
    precious.write_bytes(b"keep")
    root = tmp_path / "reports"
    cache = ReportCache(root)
    _put(cache, LIVE, "tv2")
    (root / "tv2" / "link").symlink_to(outside, target_is_directory=True)
    (root / "tv1-link").symlink_to(outside, target_is_directory=True)
    prune(root, live_scans=set(), max_age_days=0, template="tv2")
    assert precious.exists()


@pytest.mark.parametrize("days", [0, 29])
def test_prune_keeps_young_reports(tmp_path, days):
    cache = ReportCache(tmp_path)
    path = _put(cache, LIVE, "tv2", age_days=days)
    prune(tmp_path, live_scans={LIVE}, max_age_days=30, template="tv2")
    assert path.exists()
