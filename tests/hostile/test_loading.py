"""Hostile framework folders: odd `kind` values, unreadable files and folders, broken links, special files."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.hostile.bounded import Outcome
from tests.hostile.support import framework_with, load_found

Hostile = Callable[..., Outcome]
NOBODY = 65534


def case_kind_is_a_list(workdir: str) -> Any:
    return load_found(workdir, raw={"odd.yaml": "apiVersion: ecomperf/v1\nkind: [Metric]\nid: odd\n"})


def test_a_kind_that_is_a_list_is_refused_at_the_kind(hostile: Hostile) -> None:
    outcome = hostile(case_kind_is_a_list, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP105", "odd.yaml", 2, 1]]
    assert "Metric" in outcome.value[0][4]


def _as_nobody(root: Path) -> None:
    """Continue as an unprivileged user, for whom mode 000 means unreadable (root reads everything)."""
    if os.geteuid() != 0:
        return
    for folder in root.parents:  # let the user through (not read) the folders above the framework
        if folder != Path(folder.anchor):
            folder.chmod(folder.stat().st_mode | stat.S_IXOTH)
    for path in [root, *root.rglob("*")]:
        if path.stat().st_mode & 0o777:  # leave the deliberately unreadable ones alone
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def case_unreadable_entries(workdir: str) -> Any:
    import ecomperf
    from tests.hostile.support import found

    metric = "apiVersion: ecomperf/v1\nkind: Metric\nid: {}\nname: S\nunit: count\n"
    root = framework_with(workdir, {"secret.yaml": metric.format("s"), "more/extra.yaml": metric.format("t")})
    (root / "secret.yaml").chmod(0)
    (root / "more").chmod(0)
    _as_nobody(root)
    return found(ecomperf.load_documents(root), root)


def test_an_unreadable_file_is_reported_at_its_path(hostile: Hostile) -> None:
    outcome = hostile(case_unreadable_entries, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    assert [row for row in outcome.value if row[1] == "secret.yaml"] == [
        ["EP107", "secret.yaml", 1, 1, "secret.yaml cannot be read: permission denied"]
    ]


def test_an_unreadable_folder_is_reported_not_skipped(hostile: Hostile) -> None:
    outcome = hostile(case_unreadable_entries, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    assert [row for row in outcome.value if row[1] != "secret.yaml"] == [
        ["EP107", "more", 1, 1, "folder more cannot be read: permission denied"]
    ]


def case_dangling_symlink(workdir: str) -> Any:
    root = framework_with(workdir, {})
    (root / "events.yaml").symlink_to(root / "shared" / "events.yaml")
    return load_found(workdir)


def test_a_dangling_symlink_is_reported_not_skipped(hostile: Hostile) -> None:
    outcome = hostile(case_dangling_symlink, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP107", "events.yaml", 1, 1]]
    assert "shared/events.yaml" in outcome.value[0][4] and "does not exist" in outcome.value[0][4]


def case_fifo_named_like_yaml(workdir: str) -> Any:
    root = framework_with(workdir, {})
    os.mkfifo(root / "pipe.yaml")
    return load_found(workdir)


def test_a_fifo_named_like_a_yaml_file_is_reported_without_being_opened(hostile: Hostile) -> None:
    outcome = hostile(case_fifo_named_like_yaml, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP107", "pipe.yaml", 1, 1]]
    assert "not a regular file" in outcome.value[0][4]


# The FIFO first: the unreadable case gives up root for the rest of its child.
BOUNDED = (case_fifo_named_like_yaml, case_unreadable_entries)
