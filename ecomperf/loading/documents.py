"""Load a framework: YAML files -> documents with source maps -> typed models -> validated index.

Validation runs in three stages that collect problems rather than stopping at the first: YAML (syntax,
duplicate keys, unsafe tags), models (types and unknown fields, each at its own line and column), then
the cross-document rules of :mod:`ecomperf.validation` over every document that parsed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Final, Generic, TypeVar

from pydantic import ValidationError

from ecomperf.collection import paused_collection
from ecomperf.errors import short_repr
from ecomperf.loading.model_errors import validation_problems
from ecomperf.loading.salvage import salvage, stand_in
from ecomperf.loading.yaml_messages import explain_yaml
from ecomperf.loading.yaml_source import MAX_FILE_BYTES, ParsedDocument, parse_yaml
from ecomperf.model import KINDS, Document, Event, FrameworkSpec, Metric, Module, Position, TargetPlan, Workflow
from ecomperf.model.common import API_VERSION
from ecomperf.model.index import FrameworkIndex
from ecomperf.problems import Problem, Span
from ecomperf.suggest import did_you_mean
from ecomperf.validation import validate

__all__ = ["LoadResult", "is_framework_file", "read_index", "read_texts", "yaml_files"]

_D = TypeVar("_D", bound=Document)


_F = TypeVar("_F", bound=FrameworkIndex)


@dataclass(frozen=True)
class LoadResult(Generic[_F]):
    """Everything a load found: the framework (``None`` when any error was found) and every problem."""

    framework: _F | None
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")


def yaml_files(path: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The YAML files of a framework path in sorted order (hidden folders and files skipped).

    Entries named like YAML files that are not regular files (a broken link, a FIFO) are listed too, so
    that reading them reports them; a folder that cannot be read is appended to ``problems`` when given.
    Linked folders are followed, but a link back up the tree is not walked twice.
    """
    if path.is_file():
        return [path]
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        if problems is not None and error.filename is not None:
            folder = Path(error.filename)
            problems.append(
                Problem(
                    "EP107",
                    f"folder {_relative(folder, path)} cannot be read: {_reason(error)}",
                    Span(str(folder), 1, 1),
                    hint="give the user running ecomperf read access to it, or move it out of the framework",
                )
            )

    seen: set[tuple[int, int]] = set()
    for folder, subfolders, names in os.walk(path, onerror=unreadable, followlinks=True):
        seen.add(_identity(Path(folder)))
        subfolders[:] = [
            name for name in subfolders if not name.startswith(".") and _identity(Path(folder, name)) not in seen
        ]
        found.extend(
            Path(folder, name)
            for name in names
            if is_framework_file(Path(folder, name).relative_to(path)) and not Path(folder, name).is_dir()
        )
    return sorted(found)


def _identity(folder: Path) -> tuple[int, int]:
    try:
        info = folder.stat()
    except OSError:
        return (-1, -1)  # walked, so that the error is reported
    return (info.st_dev, info.st_ino)


def _relative(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return str(file)


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


def is_framework_file(relative: PurePath) -> bool:
    """Whether a file at ``relative`` (to the framework folder) is read: ``*.yaml``/``*.yml``, nothing hidden.

    >>> is_framework_file(PurePath("positions/store_manager.yaml")), is_framework_file(PurePath(".ci/x.yaml"))
    (True, False)
    """
    return relative.suffix in {".yaml", ".yml"} and not any(part.startswith(".") for part in relative.parts)


def read_index(path: str | Path) -> LoadResult[FrameworkIndex]:
    """Read, parse and validate a framework; return the index (``None`` on any error) and every problem.

    :func:`ecomperf.load` and :func:`ecomperf.load_documents` wrap this in the public façade.
    """
    with paused_collection(promote=True):  # what a load keeps lives long and makes no cycle
        return _read_index(Path(path))


def _read_index(root: Path) -> LoadResult[FrameworkIndex]:
    problems: list[Problem] = []
    if not root.exists():
        problem = Problem(
            "EP107", f"{root} does not exist", Span(str(root), 1, 1), hint="give the framework folder or a YAML file"
        )
        return LoadResult(None, (problem,), ())
    files = yaml_files(root, problems)
    if not files and not problems:
        problem = Problem(
            "EP107",
            f"no *.yaml or *.yml files under {root}",
            Span(str(root), 1, 1),
            hint="point at the folder that holds the framework's YAML files",
        )
        return LoadResult(None, (problem,), ())
    texts = ((str(file), _read_text(file, problems)) for file in files)
    return _read_texts(texts, root, problems)


def read_texts(sources: Iterable[tuple[str, str]], *, root: str) -> LoadResult[FrameworkIndex]:
    """Parse and validate a framework from ``(file name, YAML text)`` pairs held in memory.

    What :func:`read_index` does after reading the files, for texts that come from elsewhere, such as a git
    revision (``git show``): problems and source spans name each text by its file name.

    Args:
        sources: the files of one framework in the order :func:`yaml_files` gives, each as name and text.
        root: what the framework was read from, for messages (e.g. ``HEAD~1:frameworks/ecommerce-ops``).

    Returns:
        The index (``None`` when any error was found) and every problem.

    >>> result = read_texts([("fw.yaml", text)], root="<memory>")  # doctest: +SKIP
    """
    problems: list[Problem] = []
    items = [(file, _checked_size(file, text, problems)) for file, text in sources]
    if not items:
        problem = Problem(
            "EP107",
            f"no *.yaml or *.yml files under {root}",
            Span(root, 1, 1),
            hint="point at the folder that holds the framework's YAML files",
        )
        return LoadResult(None, (problem,), ())
    return _read_texts(items, Path(root), problems)


def _read_texts(
    texts: Iterable[tuple[str, str | None]], root: Path, problems: list[Problem]
) -> LoadResult[FrameworkIndex]:
    """Parse, model and validate the texts of one framework; a ``None`` text could not be read."""
    documents: list[Document] = []
    unparsed: dict[str, set[str]] = {}
    uncertain: dict[tuple[str, str], frozenset[tuple[str | int, ...]]] = {}
    open_kinds: set[str] = set()
    files: list[str] = []
    for file, text in texts:
        files.append(file)
        if text is None:
            open_kinds |= set(KINDS)  # nothing of it could be read: it may declare anything
            continue
        parsed, found = explain_yaml(*parse_yaml(text, file), text)
        if any(problem.code == "EP101" for problem in found):  # part of the file (or all of it) was not read
            kinds = _kinds_in(text)
            open_kinds |= kinds
            found = _say_unchecked(found, kinds)
        problems.extend(found)
        for document in parsed:
            first = len(problems)
            model, lost = _to_model(document, problems)
            if model is not None:
                documents.append(model)
                if lost:
                    uncertain[(str(document.data.get("kind")), model.id)] = lost
                if isinstance(model, FrameworkSpec) and lost:
                    problems[first:] = _say_unchecked_framework(problems[first:], lost)
            elif isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
                unparsed.setdefault(str(document.data.get("kind")), set()).add(document.data["id"])
    if "Framework" in open_kinds and not any(isinstance(d, FrameworkSpec) for d in documents):
        documents.append(stand_in({}))  # framework.yaml did not parse: the rest is still checked against it
        uncertain[("Framework", "")] = _ALL_FRAMEWORK_FIELDS
    framework = _assemble(documents, root, problems, framework_failed="Framework" in unparsed)
    if framework is not None:
        framework = replace(
            framework, unparsed={k: frozenset(v) for k, v in unparsed.items()}, open_kinds=frozenset(open_kinds),
            uncertain=uncertain,
        )
        problems.extend(validate(framework))
    ordered = tuple(sorted(_unique(problems), key=Problem.sort_key))
    has_errors = any(p.severity == "error" for p in ordered)
    if framework is not None and not has_errors:
        warnings = tuple(p for p in ordered if p.severity == "warning")
        framework = replace(framework, warnings=warnings, unparsed={}, open_kinds=frozenset(), uncertain={})
        return LoadResult(framework, ordered, tuple(files))
    return LoadResult(None, ordered, tuple(files))


_KIND_LINE = re.compile(r"^\s*kind\s*:\s*[\"']?([A-Za-z]+)", re.MULTILINE)


def _kinds_in(text: str) -> set[str]:
    """The kinds a file that did not parse names on ``kind:`` lines; every kind when it names none."""
    named = {kind for kind in _KIND_LINE.findall(text) if kind in KINDS}
    return named or set(KINDS)


def _say_unchecked(found: list[Problem], kinds: set[str]) -> list[Problem]:
    """Add to the file's first EP101 problem that references into it are not checked until it parses."""
    ids = kinds - {"Framework"}
    listed = ", ".join(sorted(ids)) if kinds != set(KINDS) else "any kind"
    notes = [f"every {listed} id it may declare counts as declared, so references to them are not checked"]
    if not ids:
        notes = []
    if "Framework" in kinds:
        notes.append(f"the Framework's {_DECLARATIONS_TEXT} count as declared, so what names them is not checked")
    note = f"until this file parses, {'; and '.join(notes)}"
    first = next(index for index, problem in enumerate(found) if problem.code == "EP101")
    return [*found[:first], _with_note(found[first], note), *found[first + 1 :]]


_DECLARATIONS: Final = ("stages", "levels", "contexts", "dimensions", "grades", "locales", "rules")
_DECLARATIONS_TEXT: Final = "stages, levels, contexts, dimensions, grades, locales and rules"
_ALL_FRAMEWORK_FIELDS: Final = frozenset((name,) for name in FrameworkSpec.model_fields)


def _say_unchecked_framework(found: list[Problem], lost: frozenset[tuple[str | int, ...]]) -> list[Problem]:
    """Add to the first problem of a Framework document that failed which of its declarations are not known."""
    names = sorted({".".join(map(str, path)) for path in lost if path[0] in _DECLARATIONS})
    if not found or not names:
        return found
    listed = ", ".join(names)
    note = f"until the Framework document is valid, its {listed} count as declared, so what names them is not checked"
    return [_with_note(found[0], note), *found[1:]]


def _with_note(problem: Problem, note: str) -> Problem:
    return replace(problem, hint=f"{problem.hint}; {note}" if problem.hint else note)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, Span | None]] = set()
    unique = []
    for problem in problems:
        key = (problem.code, problem.message, problem.span)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _too_big(file: str, size: int, problems: list[Problem]) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    problems.append(
        Problem(
            "EP101",
            f"file is {size / 1024 / 1024:.1f} MiB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MiB",
            Span(file),
            hint="split the framework over several files",
        )
    )
    return True


def _checked_size(file: str, text: str, problems: list[Problem]) -> str | None:
    return None if _too_big(file, len(text.encode("utf-8")), problems) else text


def _read_text(file: Path, problems: list[Problem]) -> str | None:
    problem = _unreadable(file)
    if problem is not None:
        problems.append(problem)
        return None
    if _too_big(str(file), file.stat().st_size, problems):
        return None
    try:
        raw = file.read_bytes()
    except OSError as error:
        problems.append(_cannot_read(file, error))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(
            Problem(
                "EP101",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                Span(str(file), line, column),
                hint="save the file as UTF-8 (in Excel/WPS/Notepad choose 'UTF-8' when saving)",
            )
        )
        return None


def _unreadable(file: Path) -> Problem | None:
    """A problem when ``file`` is a broken link, not a regular file, or cannot be opened for reading."""
    if file.is_symlink() and not file.exists():
        return Problem(
            "EP107",
            f"{file.name} is a link to {file.readlink()}, which does not exist",
            Span(str(file), 1, 1),
            hint="point the link at the real file, or delete it",
        )
    try:
        mode = file.stat().st_mode
    except OSError as error:
        return _cannot_read(file, error)
    if not stat.S_ISREG(mode):
        return Problem(
            "EP107",
            f"{file.name} is not a regular file; it was not read",
            Span(str(file), 1, 1),
            hint="replace it with an ordinary YAML file, or rename it so it does not end in .yaml or .yml",
        )
    if not os.access(file, os.R_OK):
        return _cannot_read(file, PermissionError(13, "Permission denied"))
    return None


def _cannot_read(file: Path, error: OSError) -> Problem:
    return Problem(
        "EP107",
        f"{file.name} cannot be read: {_reason(error)}",
        Span(str(file), 1, 1),
        hint="give the user running ecomperf read access to the file (e.g. chmod a+r), or move it away",
    )


def _to_model(
    document: ParsedDocument, problems: list[Problem]
) -> tuple[Document | None, frozenset[tuple[str | int, ...]]]:
    """The document's model and the fields it does not know (when it failed and was salvaged), or ``None``."""
    model = _validated(document, problems)
    if isinstance(model, Document):
        return model, frozenset()
    if model is None:
        return None, frozenset()
    model_class, errors = model
    found = salvage(model_class, document.data, errors, document.bad_paths)
    if found is None and model_class is FrameworkSpec:
        found = stand_in(document.data), _ALL_FRAMEWORK_FIELDS  # every other document is read against it
    if found is None:
        return None, frozenset()
    salvaged, lost = found
    salvaged._source = document.source
    return salvaged, lost


def _validated(
    document: ParsedDocument, problems: list[Problem]
) -> Document | tuple[type[Document], list[dict[str, object]]] | None:
    """The document's model; its class and errors when it fails its own checks; ``None`` when it is not a
    document at all (no mapping, wrong apiVersion or kind)."""
    data, source = document.data, document.source
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "EP105",
                "a document must be a mapping that starts with apiVersion and kind",
                source.span(),
                hint=f"begin the document with `apiVersion: {API_VERSION}`",
            )
        )
        return None
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if api_version != API_VERSION:
        what = "is missing" if api_version is None else f"is {api_version!r}"
        problems.append(
            Problem(
                "EP105",
                f"apiVersion {what}; expected {API_VERSION}",
                source.span("apiVersion"),
                hint=f"write `apiVersion: {API_VERSION}`",
            )
        )
        return None
    if not isinstance(kind, str | None):
        problems.append(
            Problem(
                "EP105",
                f"kind must be one word such as Metric, got {type(kind).__name__} {short_repr(kind)}",
                source.span("kind"),
                hint=f"kind is one of {', '.join(KINDS)}",
            )
        )
        return None
    if kind not in KINDS:
        suggestion = did_you_mean(str(kind), KINDS, list_known=False)
        what = "is missing" if kind is None else f"{kind!r} is not a known kind"
        problems.append(
            Problem("EP105", f"kind {what}{suggestion}", source.span("kind"), hint=f"kind is one of {', '.join(KINDS)}")
        )
        return None
    model_class = KINDS[kind]
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, model_class, document))
        return model_class, [dict(error) for error in exc.errors(include_input=False, include_url=False)]
    model._source = source
    if document.bad_paths:
        return model_class, []
    return model


def _assemble(
    documents: list[Document], root: Path, problems: list[Problem], *, framework_failed: bool = False
) -> FrameworkIndex | None:
    specs = [d for d in documents if isinstance(d, FrameworkSpec)]
    if len(specs) != 1:
        if specs:
            for extra in specs[1:]:
                problems.append(
                    Problem(
                        "EP106",
                        f"a second Framework document ({extra.id!r}); a framework has exactly one",
                        extra.span("kind"),
                        hint=f"the first is at {specs[0].span('kind')}",
                        related=(specs[0].span("kind"),),
                    )
                )
        elif not framework_failed and not any(p.code in {"EP101", "EP105"} for p in problems):
            problems.append(
                Problem(
                    "EP106",
                    f"no `kind: Framework` document under {root}",
                    Span(str(root)),
                    hint="add a framework.yaml with kind: Framework, stages and grades",
                )
            )
        if not specs:
            return None
    return FrameworkIndex(
        spec=specs[0],
        metrics=_by_id(documents, Metric, problems),
        modules=_by_id(documents, Module, problems),
        positions=_by_id(documents, Position, problems),
        events=tuple(_by_id(documents, Event, problems).values()),
        workflows=_by_id(documents, Workflow, problems),
        root=str(root),
        plans=_by_id(documents, TargetPlan, problems),
    )


def _by_id(documents: list[Document], kind: type[_D], problems: list[Problem]) -> dict[str, _D]:
    found: dict[str, _D] = {}
    for document in documents:
        if not isinstance(document, kind):
            continue
        if document.id in found:
            first = found[document.id]
            problems.append(
                Problem(
                    "EP209",
                    f"duplicate {kind.__name__} id {document.id!r}; first defined at {first.span('id')}",
                    document.span("id"),
                    hint="rename one of them or delete the copy",
                    related=(first.span("id"),),
                )
            )
            continue
        found[document.id] = document
    return found
