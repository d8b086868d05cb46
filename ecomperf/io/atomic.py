"""The one atomic writer: a temporary file beside the target, fsync, then os.replace; and the claim on an output.

Temporaries are named ``.<name>.ecomperf-<pid>-<random>.tmp`` (a writer's scratch folder, for libraries that
spill to disk, adds ``.d``), beside the file they become, so a killed run leaves them where the output was
asked for, recognisable, and the next write of that file removes the ones whose process is gone.

A run that writes a file *claims* it first (:func:`claim`): an advisory lock on ``.<name>.ecomperf-lock``
beside it (``fcntl.flock``, where the system has it), so a second run writing the same file at the same time
is refused instead of silently replacing the first one's result, and a note of the file as it was, so that a
file changed by another program while the run worked is not overwritten either. :func:`atomic_write` claims
the file for the time of the write when the caller has not.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from ecomperf.errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the claim keeps only its check of changes
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "RESCAN_AFTER",
    "STALE_AFTER",
    "atomic_write",
    "atomic_write_bytes",
    "check_folder",
    "check_target",
    "claim",
    "clean_stale",
    "ensure_folder",
    "scratch_folder",
]

STALE_AFTER: Final = 24 * 60 * 60
"""Seconds after which a temporary is stale even if a process of its number runs (the number was reused)."""

_MARK: Final = ".ecomperf-"
_State = tuple[int, int, int] | None
_CLAIMS: dict[Path, _State] = {}
"""Files this process has claimed -> how each was (inode, size, mtime) when claimed, or ``None`` if absent."""


def ensure_folder(target: Path) -> Path:
    """Create the folder ``target`` will be written in (and its parents); return it.

    Raises:
        OutputError: it cannot be created (a file is in the way, no permission).
    """
    folder = check_folder(target.parent, target=target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create the folder {folder}: {exc.strerror or exc}; "
                          "choose a folder you can write to") from None
    return folder


def check_folder(folder: str | Path, *, target: Path | None = None) -> Path:
    """Check that files can be written in ``folder``, or that it can be created (as ``mkdir -p`` would).

    Nothing is created. ``target`` is the file the check is for, named in messages (default: ``folder``).

    Raises:
        OutputError: a file stands where a folder is needed, or a folder on the way is not writable; the
            message names the path and the fix.
    """
    folder = Path(folder)
    named = target if target is not None else folder
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            raise OutputError(f"{named}: {existing} is a link to nothing; remove it or choose another folder")
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{named}: {existing} is a file, not a folder; choose another folder for the output")
    if not os.access(existing, os.W_OK | os.X_OK):
        action = "write in" if existing == folder else f"create {folder} in"
        raise OutputError(f"{named}: cannot {action} {existing}: permission denied; choose a folder you can write to")
    return folder


def check_target(path: str | Path) -> Path:
    """Check, before any work, that ``path`` can be written as a file (see :func:`check_folder`).

    Raises:
        OutputError: ``path`` is a folder or not a regular file, or its folder cannot be written or created.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give the name of a file to write in it")
    if target.exists() and not target.is_file():
        raise OutputError(f"{target}: is not a regular file (a pipe, socket or device); choose another output")
    check_folder(target.parent, target=target)
    return target


@contextmanager
def claim(path: str | Path) -> Iterator[Path]:
    """Claim ``path`` for a run that will write it (see the module documentation); release it afterwards.

    The folder is created when missing. While the claim holds, :func:`atomic_write` of ``path`` refuses to
    replace a file that changed since the claim began.

    Raises:
        OutputError: the path cannot be written (:func:`check_target`), or another run holds its claim.
    """
    target = check_target(path)
    key = target.absolute()
    if key in _CLAIMS:  # already claimed by this run (a command and the writer it calls)
        yield target
        return
    folder = ensure_folder(target)
    lock = folder / f".{target.name}{_MARK}lock"
    handle = _lock(lock, target)
    _CLAIMS[key] = _state(target)
    try:
        clean_stale(target)
        yield target
    finally:
        del _CLAIMS[key]
        if handle is not None:
            lock.unlink(missing_ok=True)  # still holding it: a run that opens it after this makes a new one
            os.close(handle)


def _lock(lock: Path, target: Path) -> int | None:
    if fcntl is None:  # pragma: no cover - Windows
        return None
    while True:
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write in {lock.parent}: {exc.strerror or exc}; "
                              "choose a folder you can write to") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(handle, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise OutputError(
                f"{target}: another ecomperf run (process {holder}) is writing this file now; wait until it "
                "finishes, or give another output file"
            ) from None
        try:
            same = os.fstat(handle).st_ino == lock.stat().st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a lock file the previous holder removed while this run opened it
            os.ftruncate(handle, 0)
            os.write(handle, f"{os.getpid()}\n".encode("ascii"))
            return handle
        os.close(handle)


def _state(target: Path) -> _State:
    try:
        info = target.stat()
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def clean_stale(target: str | Path) -> list[Path]:
    """Remove the temporaries of ``target`` left by runs that were killed; return what was removed.

    A temporary is stale when the process that made it no longer runs, or when it is older than
    :data:`STALE_AFTER` (its process number then belongs to another program). The folder's temporaries are
    listed once every :data:`RESCAN_AFTER` seconds, not once a file, so that writing thousands of files
    into one folder (a page per employee) does not read the folder thousands of times.
    """
    target = Path(target)
    removed: list[Path] = []
    now = time.time()
    for name in _temporaries(target.parent).pop(target.name, []):
        entry = target.parent / name
        pid = name[len(f".{target.name}{_MARK}"):].split("-", 1)[0]
        try:
            old = now - entry.lstat().st_mtime > STALE_AFTER
        except OSError:
            continue
        if not pid.isdigit() or (int(pid) != os.getpid() and (old or not _running(int(pid)))):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


RESCAN_AFTER: Final = 10.0
"""Seconds :func:`clean_stale` reuses its listing of a folder's temporaries before it reads the folder again."""

_LISTED: dict[Path, tuple[float, dict[str, list[str]]]] = {}
"""Folder -> when its temporaries were listed, and the names of those not yet looked at, by target name."""


def _temporaries(folder: Path) -> dict[str, list[str]]:
    """The temporaries in ``folder`` (``.<target>.ecomperf-<pid>-….tmp`` and ``….tmp.d``) by target name, as
    listed at most :data:`RESCAN_AFTER` seconds ago; empty when the folder cannot be read."""
    key = folder.absolute()
    listed = _LISTED.get(key)
    if listed is not None and time.monotonic() - listed[0] < RESCAN_AFTER:
        return listed[1]
    found: dict[str, list[str]] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        entries = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") and name.endswith((".tmp", ".tmp.d")) and _MARK in name:
            found.setdefault(name[1:].rpartition(_MARK)[0], []).append(name)
    _LISTED[key] = (time.monotonic(), found)
    return found


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, under another user
        return True
    return True


def scratch_folder(temporary: Path) -> Path:
    """A folder for a writer's own temporary files while it writes ``temporary`` (xlsxwriter's ``tmpdir``).

    It sits beside the output with the temporary's recognisable name plus ``.d``; :func:`atomic_write`
    removes it when the write ends, and :func:`clean_stale` when a killed run left it.
    """
    folder = temporary.with_name(temporary.name + ".d")
    folder.mkdir(exist_ok=True)
    return folder


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``path`` only if it succeeds.

    The temporary file sits in the same folder (so :func:`os.replace` is atomic) and is removed when
    ``write`` raises; an existing ``path`` is then left as it was. A new file gets the permissions a
    plain ``open()`` would give it; an existing one keeps its own.

    Missing folders on the way to ``path`` are created, as ``mkdir -p`` would. The file is claimed
    (:func:`claim`) for the time of the write unless the caller holds the claim already; a file that
    changed since the claim began is not replaced.

    Raises:
        OutputError: the folder cannot be created or written, another run is writing the file, or it
            changed while this run worked.
    """
    with claim(path) as target:
        _write_claimed(target, write)


def _write_claimed(target: Path, write: Callable[[Path], object]) -> None:
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}{_MARK}{os.getpid()}-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(descriptor)
    temporary = Path(name)
    scratch = temporary.with_name(temporary.name + ".d")
    try:
        write(temporary)
        with temporary.open("rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        key = target.absolute()
        if _state(target) != _CLAIMS[key]:
            raise OutputError(
                f"{target}: changed since this run started (another program wrote it); it was left as it is "
                "and nothing was written: run again, or give another output file"
            )
        temporary.replace(target)  # os.replace: atomic within one file system
        _CLAIMS[key] = _state(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


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
