"""The one "did you mean" helper."""

from __future__ import annotations

from ecomperf.suggest import closest, did_you_mean


def test_did_you_mean_names_the_closest_known_name() -> None:
    assert did_you_mean("gmvv", ["gmv", "cost"]) == "; did you mean 'gmv'?"


def test_did_you_mean_lists_known_names_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["b", "a"]) == "; known: a, b"


def test_did_you_mean_can_stay_silent_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["b", "a"], list_known=False) == ""


def test_did_you_mean_says_none_when_nothing_is_known() -> None:
    assert did_you_mean("zzz", []) == "; known: none"


def test_closest_ignoring_case_returns_the_known_spelling() -> None:
    assert closest("GMV_Growth", ["gmv_growth", "cost"], ignore_case=True) == "gmv_growth"


def test_a_lower_cutoff_accepts_looser_matches() -> None:
    # "english" vs "en": ratio 2*2/9 = 0.44, below the default 0.6 and above 0.4.
    assert closest("english", ["en", "zh"]) is None
    assert closest("english", ["en", "zh"], cutoff=0.4) == "en"
