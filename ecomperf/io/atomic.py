"""The one atomic writer: a temporary file beside the target, fsync, then os.replace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ecomperf.errors import OutputError

__all__ = ["atomic_write", "atomic_write_bytes", "ensure_folder"]


def ensure_folder(target: Path) -> Path:
    """Create the folder ``target`` will be written in (and its parents); return it.

    Raises:
        OutputError: it cannot be created (a file is in the way, no permission).
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create the folder {folder}: {exc.strerror or exc}") from None
    return folder


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``path`` only if it succeeds.

    The temporary file sits in the same folder (so :func:`os.replace` is atomic) and is removed when
    ``write`` raises; an existing ``path`` is then left as it was. A new file gets the permissions a
    plain ``open()`` would give it; an existing one keeps its own.

    Missing folders on the way to ``path`` are created, as ``mkdir -p`` would.

    Raises:
        OutputError: the folder cannot be created or written.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name to write")
    folder = ensure_folder(target)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(target)  # os.replace: atomic within one file system
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`).

    Raises:
        OutputError: the folder cannot be created or written.
    """

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    atomic_write(path, write)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
