"""Reading a framework at a git revision: git ls-tree and cat-file into memory, no checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import ecomperf
from ecomperf.changes.revisions import read_revision
from ecomperf.errors import RevisionError
from ecomperf.framework import load_revision, revision_documents
from tests.changes.edits import BUNDLED, move_weight

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit holds the bundled framework and whose second moves a weight."""
    root = tmp_path / "hr"
    framework = root / "frameworks" / "ecommerce-ops"
    shutil.copytree(BUNDLED, framework)
    (framework / ".drafts").mkdir()
    (framework / ".drafts" / "broken.yaml").write_text("kind: [", encoding="utf-8")  # hidden: never read
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "2026 framework")
    move_weight(framework)
    git(root, "commit", "-qam", "2027: 5 points from GMV growth to repurchase")
    return root


def test_two_revisions_of_one_path_differ_by_the_commit(repo: Path) -> None:
    old = load_revision("HEAD~1", "frameworks/ecommerce-ops", cwd=repo)
    new = load_revision("HEAD", "frameworks/ecommerce-ops", cwd=repo)
    result = ecomperf.diff(old, new)
    assert [(c.id, c.field, c.old, c.new) for c in result] == [
        ("store_manager/growth/gmv_growth_rate", "weight", 10, 5),
        ("store_manager/growth/repurchase_rate", "weight", 30, 35),
    ]
    # locations name the file as it sits in the repository, relative to where git ran
    assert result[0].location.startswith("frameworks/ecommerce-ops/positions/store_manager.yaml:")
    assert old.root == "HEAD~1:frameworks/ecommerce-ops"


def test_reading_a_revision_touches_neither_the_work_tree_nor_the_index(repo: Path) -> None:
    manager = repo / "frameworks" / "ecommerce-ops" / "positions" / "store_manager.yaml"
    manager.write_text(manager.read_text(encoding="utf-8") + "# an uncommitted note\n", encoding="utf-8")
    before = (git(repo, "status", "--porcelain"), manager.read_text(encoding="utf-8"), git(repo, "rev-parse", "HEAD"))
    files = read_revision("HEAD~1", "frameworks/ecommerce-ops", cwd=repo)
    after = (git(repo, "status", "--porcelain"), manager.read_text(encoding="utf-8"), git(repo, "rev-parse", "HEAD"))
    assert before == after
    names = [name for name, _ in files]
    assert len(names) == len(list(BUNDLED.rglob("*.yaml")))
    assert not any(".drafts" in name for name in names)
    assert names == sorted(names, key=lambda name: Path(name))


def test_paths_are_relative_to_the_folder_git_runs_in(repo: Path) -> None:
    files = read_revision("HEAD", "ecommerce-ops", cwd=repo / "frameworks")
    assert files[0][0] == "ecommerce-ops/events.yaml"


def test_unknown_revision_path_or_repository_is_a_revision_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="'v1999' is not a commit"):
        read_revision("v1999", "frameworks/ecommerce-ops", cwd=repo)
    with pytest.raises(RevisionError, match=r"no \*\.yaml or \*\.yml files under frameworks/nope at HEAD"):
        read_revision("HEAD", "frameworks/nope", cwd=repo)
    with pytest.raises(RevisionError, match="starts with '-'"):
        read_revision("--output=/tmp/x", "frameworks", cwd=repo)
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    with pytest.raises(RevisionError, match="git rev-parse failed"):
        read_revision("HEAD", ".", cwd=outside)


def test_a_revision_whose_framework_is_broken_reports_its_problems(repo: Path) -> None:
    events = repo / "frameworks" / "ecommerce-ops" / "events.yaml"
    events.write_text("apiVersion: ecomperf/v1\nkind: Event\nid: [\n", encoding="utf-8")
    git(repo, "commit", "-qam", "break it")
    result = revision_documents("HEAD", "frameworks/ecommerce-ops", cwd=repo)
    assert result.framework is None
    # the unclosed "[" is noticed at the end of the text: just after "id: [" (5 characters) on line 3
    assert [(p.code, str(p.span)) for p in result.problems][:1] == [
        ("EP101", "frameworks/ecommerce-ops/events.yaml:3:6")]
    with pytest.raises(ecomperf.FrameworkError):
        load_revision("HEAD", "frameworks/ecommerce-ops", cwd=repo)
