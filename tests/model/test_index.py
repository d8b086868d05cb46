"""FrameworkIndex views gathered once for the rules that read them."""

from __future__ import annotations

import ecomperf
from tests.conftest import MINI


def test_kpi_entries_lists_every_scorecard_entry_with_its_path_once() -> None:
    fw = ecomperf.load(MINI)
    entries = fw.kpi_entries
    # store_manager: 3 startup + 4 mature entries; service_agent: 1 + 1; the Double 11 event adds none: 9
    assert len(entries) == 9
    document, path, entry = entries[6]
    assert document.id == "store_manager" and path == ("scorecard", "stages", "mature", 3)
    assert entry.kpi == "violations"
    assert fw.kpi_entries is entries  # gathered once
