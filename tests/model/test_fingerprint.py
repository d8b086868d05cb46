"""The framework fingerprint: a hash of the documents as parsed, not of the files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import ecomperf
from tests.conftest import REPO, write_framework


def _fingerprint(root: Path) -> str:
    return ecomperf.load(root).fingerprint


def test_it_is_stable_and_carried_on_every_card() -> None:
    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    again = ecomperf.load(REPO / "examples" / "mini-framework")
    assert len(fw.fingerprint) == 64 and fw.fingerprint == again.fingerprint
    card = fw.score("service_agent", stage="startup", period="2026-10", actuals={"inquiry_response_hours": 20})
    assert (card.fingerprint, card.framework_version) == (fw.fingerprint, "1.0")


def test_splitting_files_and_reordering_keys_and_comments_do_not_change_it(tmp_path: Path) -> None:
    base = _fingerprint(write_framework(tmp_path / "a"))
    split = write_framework(tmp_path / "b")
    metrics = (split / "metrics.yaml").read_text(encoding="utf-8").split("---\n")
    (split / "metrics.yaml").unlink()
    for index, document in enumerate(reversed(metrics)):  # one file per metric, in reverse order
        (split / "metrics" / f"m{index}.yaml").parent.mkdir(exist_ok=True)
        (split / "metrics" / f"m{index}.yaml").write_text("# split out\n" + document, encoding="utf-8")
    reordered = write_framework(tmp_path / "c", {"modules.yaml": """\
        kind: Module
        apiVersion: ecomperf/v1
        name: {en: Product ops, zh: 产品运营}
        id: product_ops
        kpis: [gmv]
        forbidden:
          - {reason: {zh: 专注, en: Focus}, duty: channel_ops.expansion}
        responsibilities:
          - {text: {zh: 选品, en: Selection}, id: selection}
        ---
        apiVersion: ecomperf/v1
        kind: Module
        id: channel_ops
        name: {zh: 渠道运营, en: Channel ops}
        responsibilities:
          - id: expansion
            text:
              zh: 渠道拓展
              en: Channel expansion
        kpis: [cac]
        """})
    assert _fingerprint(split) == base
    assert _fingerprint(reordered) == base


def test_changing_a_value_changes_it(tmp_path: Path) -> None:
    base = write_framework(tmp_path / "a")
    changed = tmp_path / "b"
    shutil.copytree(base, changed)
    positions = (changed / "positions.yaml").read_text(encoding="utf-8")
    (changed / "positions.yaml").write_text(positions.replace('">= 40%"', '">= 41%"'), encoding="utf-8")
    renamed = tmp_path / "c"
    shutil.copytree(base, renamed)
    text = (renamed / "modules.yaml").read_text(encoding="utf-8")
    (renamed / "modules.yaml").write_text(text.replace("en: Selection", "en: Product selection"), encoding="utf-8")
    fingerprints = {_fingerprint(base), _fingerprint(changed), _fingerprint(renamed)}
    assert len(fingerprints) == 3


def test_the_order_of_events_is_content(tmp_path: Path) -> None:
    event = textwrap.dedent("""\
        apiVersion: ecomperf/v1
        kind: Event
        id: {id}
        name: {{zh: 大促, en: Sale}}
        periods: ["*-11"]
        overrides:
          - {{position: manager, stages: [startup], weights: {{gmv: {gmv}, margin: {margin}}}}}
        """)
    first = event.format(id="sale_a", gmv=70, margin=30) + "---\n" + event.format(id="sale_b", gmv=80, margin=20)
    second = event.format(id="sale_b", gmv=80, margin=20) + "---\n" + event.format(id="sale_a", gmv=70, margin=30)
    one = _fingerprint(write_framework(tmp_path / "a", {"events.yaml": first}))
    other = _fingerprint(write_framework(tmp_path / "b", {"events.yaml": second}))
    assert one != other  # a later override of the same KPI wins, so the order changes the scores


def test_import_ecomperf_does_not_import_sqlalchemy() -> None:
    code = "import sys, ecomperf; print('sqlalchemy' in sys.modules, 'alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False False"
