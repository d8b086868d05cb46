"""The one atomic writer: used by score outputs, job descriptions, matrices and the schema alike."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ecomperf.errors import ActualsIOError, OutputError
from ecomperf.io.atomic import atomic_write, atomic_write_bytes


def test_writes_bytes_and_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "jd.md"
    atomic_write_bytes(target, "店长".encode())
    assert target.read_text(encoding="utf-8") == "店长"
    assert sorted(p.name for p in target.parent.iterdir()) == ["jd.md"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"new"


def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "new.md", b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640  # 0o666 less the umask 027


def test_a_folder_as_target_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder; give the name of a file"):
        atomic_write_bytes(tmp_path, b"x")


def test_a_file_in_the_way_of_the_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="plain is a file, not a folder; choose another folder"):
        atomic_write_bytes(tmp_path / "plain" / "jd.md", b"x")


def test_output_errors_are_ecomperf_and_os_errors(tmp_path: Path) -> None:
    def fail(temporary: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OutputError) as caught:
        atomic_write(tmp_path / "x.csv", fail)
    assert isinstance(caught.value, ActualsIOError)
    assert isinstance(caught.value, OSError)
    assert list(tmp_path.iterdir()) == []
