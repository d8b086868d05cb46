"""Loading: folders and single files, multi-document files, sorted order, located models, the API."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.loading.documents import read_texts
from tests.conftest import BASE_FILES, REPO


def test_load_returns_typed_frozen_models(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir())
    assert fw.id == "test-fw"
    assert fw.metrics["margin"].inputs == ("revenue", "cost")
    assert fw.positions["channel_lead"].reports_to == "manager"
    with pytest.raises(Exception, match="frozen"):
        fw.metrics["gmv"].unit = "count"  # type: ignore[misc]


def test_models_remember_where_each_field_came_from(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir())
    span = fw.positions["manager"].span("scorecard", "stages", "startup", 1, "target")
    assert (Path(span.file).name, span.line, span.column) == ("positions.yaml", 11, 35)


def test_a_single_file_framework_loads(tmp_path: Path) -> None:
    text = "---\n".join(textwrap.dedent(BASE_FILES[name]) for name in BASE_FILES)
    path = tmp_path / "all.yaml"
    path.write_text(text, encoding="utf-8")
    fw = ecomperf.load(path)
    assert sorted(fw.positions) == ["channel_lead", "manager"]


def test_framework_error_lists_every_problem_with_location(framework_dir: Callable[..., Path]) -> None:
    root = framework_dir({"x.yaml": "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: kg\n"})
    with pytest.raises(ecomperf.FrameworkError) as info:
        ecomperf.load(root)
    text = str(info.value)
    assert text.splitlines()[0] == "framework has 1 error(s)"
    assert f"{root / 'x.yaml'}:5:1: EP104 unit:" in text
    assert info.value.problems[0].code == "EP104"


def test_percent_shorthand_is_accepted_where_a_number_is(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir())
    entry = fw.positions["manager"].scorecard.stages["startup"][1]  # type: ignore[union-attr]
    assert entry.target is not None and entry.target.value == 0.4


def test_dates_stay_strings_and_numbers_follow_yaml_12(framework_dir: Callable[..., Path]) -> None:
    event = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: promo\nname: P\nperiods: [2026-06]\n"
        "overrides:\n  - {position: manager, stages: [mature], weights: {gmv: 1e2}}\n"
    )
    fw = ecomperf.load(framework_dir({"events.yaml": event}))
    assert fw.events[0].periods == ["2026-06"]
    assert fw.events[0].overrides[0].weights == {"gmv": 100.0}


def test_empty_documents_are_skipped(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir({"empty.yaml": "---\n---\n"}))
    assert fw.id == "test-fw"


def test_merge_keys_are_supported(framework_dir: Callable[..., Path]) -> None:
    metrics = (
        "apiVersion: ecomperf/v1\nkind: Metric\nid: b\nname: B\nunit: count\ncycle: monthly\n"
        "definition: &src {zh: 后台, en: Back office}\n"
        "source: {<<: *src, en: Back-office system}\n"
    )
    fw = ecomperf.load(framework_dir({"more.yaml": metrics}))
    assert fw.metrics["b"].source == {"zh": "后台", "en": "Back-office system"}  # own keys win over merged


def test_warnings_do_not_prevent_loading(framework_dir: Callable[..., Path]) -> None:
    modules = BASE_FILES["modules.yaml"].replace("kpis: [gmv]", "kpis: [gmv, revenue]")
    fw = ecomperf.load(framework_dir({"modules.yaml": modules}))
    assert [p.code for p in fw.warnings] == ["EP402"]


def test_example_framework_loads_clean() -> None:
    result = ecomperf.load_documents(REPO / "examples" / "mini-framework")
    assert result.problems == ()


def test_duties_forbidden_and_reports_are_derived(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir())
    assert [d.ref for d in fw.duties_of("manager")] == ["product_ops.selection"]
    assert [(f.duty, src) for f, src in fw.forbidden_for("manager")] == [("channel_ops.expansion", "product_ops")]
    assert [p.id for p in fw.direct_reports("manager")] == ["channel_lead"]


def test_texts_held_in_memory_load_like_files_and_keep_their_names() -> None:
    sources = [(f"rev:fw/{name}", textwrap.dedent(text)) for name, text in sorted(BASE_FILES.items())]
    result = read_texts(sources, root="rev:fw")
    assert result.framework is not None and result.errors == ()
    assert result.files == tuple(name for name, _ in sources)
    assert result.framework.root == "rev:fw"
    assert str(result.framework.positions["manager"].span("level")) == "rev:fw/positions.yaml:5:1"


def test_texts_in_memory_report_problems_under_their_names_and_the_size_limit() -> None:
    from ecomperf.loading.yaml_source import MAX_FILE_BYTES

    broken = {**{name: textwrap.dedent(text) for name, text in BASE_FILES.items()},
              "metrics.yaml": "apiVersion: ecomperf/v1\nkind: [\n", "huge.yaml": "#" * (MAX_FILE_BYTES + 1)}
    result = read_texts(sorted(broken.items()), root="<memory>")
    assert result.framework is None
    assert ("EP101", "huge.yaml:1:1") in [(p.code, str(p.span)) for p in result.problems]
    assert any(p.code == "EP101" and p.span is not None and p.span.file == "metrics.yaml" for p in result.problems)
    assert read_texts([], root="<memory>").problems[0].code == "EP107"
