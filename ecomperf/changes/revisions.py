"""Read a framework as it was at a git revision, with git itself and without a checkout.

``git ls-tree`` lists the framework's files at the revision and ``git cat-file --batch`` hands over their
texts, which are loaded from memory with :func:`ecomperf.loading.documents.read_texts`. Nothing on disk changes:
the working tree, the index and HEAD stay as they are. Files are named by their path relative to the
current folder, as ``git ls-tree`` prints them, so locations read like those of a folder on disk.

Example:
    >>> files = read_revision("HEAD~1", "frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> old = ecomperf.load_revision("HEAD~1", "frameworks/ecommerce-ops")  # doctest: +SKIP
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ecomperf.errors import RevisionError
from ecomperf.loading.documents import LoadResult, is_framework_file, read_texts
from ecomperf.loading.yaml_source import MAX_FILE_BYTES

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["GIT_TIMEOUT", "read_revision", "revision_index"]

GIT_TIMEOUT = 60.0
"""Seconds one git command may take before it is given up."""


def _git(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise RevisionError("git is not installed or not on PATH; install git to compare revisions")
    try:
        done = subprocess.run(
            [git, *args], cwd=cwd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git {args[0]} took longer than {GIT_TIMEOUT:g} s; giving up") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]} failed: {message[-1] if message else f'exit {done.returncode}'}")
    return done.stdout


def _check_revision(revision: str, cwd: Path) -> None:
    if revision.startswith("-"):
        raise RevisionError(f"{revision!r} is not a revision (it starts with '-')")
    _git(["rev-parse", "--git-dir"], cwd)
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], cwd)
    except RevisionError:
        raise RevisionError(
            f"{revision!r} is not a commit of the repository at {cwd}; give a branch, tag or commit "
            "such as HEAD, HEAD~1, main or origin/main"
        ) from None


def read_revision(revision: str, path: str, *, cwd: str | Path | None = None) -> list[tuple[str, str]]:
    """The YAML files of the framework at ``path`` as they were at ``revision``, as ``(name, text)`` pairs.

    Args:
        revision: a commit, branch or tag (``HEAD~1``, ``main``, ``v2026``).
        path: the framework folder or file, relative to ``cwd`` (as for ``git diff REV -- PATH``).
        cwd: the folder git runs in (default: the current folder); it must lie inside a repository.

    Returns:
        The files in the order the loader reads a folder, named by their path relative to ``cwd``.

    Raises:
        RevisionError: git is missing, ``cwd`` is not in a repository, no such revision, nothing under
            ``path`` at that revision, or a file is not UTF-8 text.
    """
    where = Path(cwd) if cwd is not None else Path.cwd()
    _check_revision(revision, where)
    listing = _git(["ls-tree", "-r", "-z", "--long", revision, "--", path], where)
    blobs: list[tuple[str, str, int]] = []
    root = PurePosixPath(path)
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name_bytes = record.partition(b"\t")
        _mode, kind, sha, size = meta.decode().split()
        if kind != "blob":  # a submodule
            continue
        name = name_bytes.decode("utf-8", "surrogateescape")
        parts = PurePosixPath(name).parts
        inside = parts[len(root.parts):] if parts[: len(root.parts)] == root.parts else parts
        if not inside or is_framework_file(PurePosixPath(*inside)):
            blobs.append((name, sha, int(size)))
    if not blobs:
        raise RevisionError(f"no *.yaml or *.yml files under {path} at {revision}")
    blobs.sort(key=lambda blob: PurePosixPath(blob[0]))
    return [(name, text) for (name, _, _), text in zip(blobs, _contents(blobs, where, revision), strict=True)]


def _contents(blobs: list[tuple[str, str, int]], cwd: Path, revision: str) -> list[str]:
    """The texts of the blobs, read in one ``git cat-file --batch`` call."""
    for name, _, size in blobs:
        if size > MAX_FILE_BYTES:
            raise RevisionError(
                f"{revision}:{name} is {size / 1024 / 1024:.1f} MiB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MiB"
            )
    output = _git(["cat-file", "--batch"], cwd, stdin="".join(f"{sha}\n" for _, sha, _ in blobs).encode())
    texts: list[str] = []
    offset = 0
    for name, _, _ in blobs:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        body = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1  # the body is followed by a newline
        try:
            texts.append(body.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise RevisionError(
                f"{revision}:{name} is not UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8"
            ) from None
    return texts


def revision_index(revision: str, path: str, *, cwd: str | Path | None = None) -> LoadResult[FrameworkIndex]:
    """Parse and validate the framework at ``path`` as it was at ``revision``; every problem, never raising for
    them (:func:`ecomperf.load_revision` is the façade over this).

    Raises:
        RevisionError: the revision or path cannot be read (see :func:`read_revision`).
    """
    return read_texts(read_revision(revision, path, cwd=cwd), root=f"{revision}:{path}")
