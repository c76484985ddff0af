"""The Woo redaction's deduce tables: read by version, never by the clock, and never torn.

deduce trusted its cached tables only when they were saved after its source lists' mtimes, by
`datetime.now()`: a build under a test's time travel made every later process rebuild, two at
once, and a half-written pickle broke every Woo page of the run (UnpicklingError)."""

import time_machine

from privacy.woo import _deduce_cache_file, _load_deduce_cache, _save_deduce_cache


def test_a_saved_cache_is_read_back_whatever_the_clock_said(tmp_path):
    with time_machine.travel("2001-01-01 12:00", tick=False):
        _save_deduce_cache({"tabel": [1, 2]}, tmp_path, "3.0.6")

    assert _load_deduce_cache(tmp_path, "3.0.6") == {"tabel": [1, 2]}
    assert list(_deduce_cache_file(tmp_path).parent.glob("*.tmp")) == []


def test_another_version_or_a_torn_file_is_built_again(tmp_path):
    _save_deduce_cache({"tabel": [1]}, tmp_path, "3.0.5")
    assert _load_deduce_cache(tmp_path, "3.0.6") is None

    whole = _deduce_cache_file(tmp_path).read_bytes()
    _deduce_cache_file(tmp_path).write_bytes(whole[: len(whole) // 2])
    assert _load_deduce_cache(tmp_path, "3.0.5") is None

    _deduce_cache_file(tmp_path).write_bytes(b"\xfc" + whole)
    assert _load_deduce_cache(tmp_path, "3.0.5") is None


def test_no_cache_at_all_is_built(tmp_path):
    assert _load_deduce_cache(tmp_path, "3.0.6") is None
