"""The rest of the site: tutorial screens, cookbook, catalogue, API page, pre-commit hook and mkdocs.yml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts.docs import api, catalogue, runner, screens
from scripts.docs._common import DOCS, REPO, run_cli

MKDOCS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def session() -> screens.Session:
    return screens.replay()


def test_tutorial_raises_a_weight_sees_ep301_then_fixes_it(session: screens.Session) -> None:
    assert "OK:" in session.screens["validate-ok"]
    assert "EP301 weights of stage 'startup' sum to 105, not 100" in session.screens["validate-error"]
    assert "no problems" in session.screens["validate-fixed"]


def test_tutorial_scores_the_sheet_and_reports_the_incomplete_row(session: screens.Session) -> None:
    assert "zhang_wei" in session.screens["score-terminal"]
    assert "october.xlsx:4: liu_yang" in session.screens["score-terminal"]
    assert "| zhang_wei |" in session.screens["results-summary"]


def test_tutorial_writes_a_word_file_per_position(session: screens.Session) -> None:
    assert session.screens["jd-files"].count(".zh.docx") == len(catalogue.bundled()[1].framework.positions)


def test_every_screen_a_page_asks_for_exists(session: screens.Session) -> None:
    asked = {
        match
        for page in DOCS.rglob("*.md")
        for match in re.findall(r"<!-- ecomperf:screen (\S+) -->", page.read_text(encoding="utf-8"))
    }
    assert asked <= set(session.screens)


def test_demo_screen_runs_the_makefile_recipe(session: screens.Session) -> None:
    commands = screens.demo_commands()
    assert commands and all(command.startswith("ecomperf ") for command in commands)
    for command in commands:
        assert f"$ {command}" in session.screens["demo"]


def test_cookbook_examples_run() -> None:
    page = (DOCS / "api" / "cookbook.md").read_text(encoding="utf-8")
    result = runner.run(page)
    assert len(result.outputs) == page.count("<!-- ecomperf:output -->")
    assert all(output.strip() for output in result.outputs)
    assert all("pandas" in code for code in result.skipped)


def test_the_pandas_recipe_runs_and_reads_nan_as_an_empty_cell() -> None:
    # issue 12, item 10: pandas is a dev dependency, so the recipe runs (it is not skipped), and what it
    # prints agrees with the docs: the DataFrame holds NaN for liu_yang's empty cell, and his row is scored
    # on the KPIs it has (renormalised) rather than refused
    pytest.importorskip("pandas")
    page = (DOCS / "api" / "cookbook.md").read_text(encoding="utf-8")
    result = runner.run(page)
    assert result.skipped == []
    printed = next(output for output in result.outputs if "[True, False, True]" in output)
    # customer_satisfaction: zhang_wei's row has no such column (NaN in the frame), chen_jing gave 0.92,
    # liu_yang left it empty (NaN); his card is scored on inquiry_response_time alone: 80 points, grade C
    assert "liu_yang  customer_service_agent   80.000000     C" in printed


def test_catalogue_has_both_languages_and_a_job_description_per_position() -> None:
    files = catalogue.files()
    for item in catalogue.bundled():
        for locale in catalogue.LOCALES:
            assert catalogue.overview_uri(item, locale) in files
            for position in item.framework.positions:
                assert catalogue.jd_uri(item, locale, position) in files
                assert catalogue.jd_uri(item, locale, position, "html") in files


def test_catalogue_lists_every_bundled_framework() -> None:
    folders = {p.name for p in (REPO / "frameworks").iterdir() if p.is_dir() and any(p.rglob("*.yaml"))}
    assert {item.folder for item in catalogue.bundled()} == folders


def test_weights_table_of_every_position_sums_to_100() -> None:
    item = catalogue.bundled()[0]
    page = catalogue.render_overview(item, "en")
    for position in item.framework.positions.values():
        if position.scorecard is not None:
            assert f"{{ #weights-{position.id} }}" in page
    assert "| **Total** |" in page


def test_api_page_documents_every_public_name() -> None:
    import ecomperf

    page = api.render()
    for name in ecomperf.__all__:
        if not name.startswith("__"):
            assert f"::: ecomperf.{name}\n" in page


def test_pre_commit_hook_validates_the_bundled_frameworks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ecomperf-validate")
    assert hook["entry"].split() == ["ecomperf", "validate"]
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "frameworks/x/positions.yaml") and re.search(hook["files"], "a.yml")
    assert not re.search(hook["files"], "README.md")
    # as an HR repository configures it: one argument per framework folder
    folders = [str(item.framework.root) for item in catalogue.bundled()]
    code, output = run_cli([*hook["entry"].split()[1:], *hook.get("args", []), *folders])
    assert code == 0, output


def test_sample_pre_commit_config_uses_the_hook() -> None:
    sample = screens.pre_commit_config()
    config = yaml.safe_load(sample.split("\n", 1)[1].rsplit("```", 1)[0])
    hooks = config["repos"][0]["hooks"]
    assert [hook["id"] for hook in hooks] == screens.hook_ids()


def test_mkdocs_builds_offline_with_the_required_theme_features() -> None:
    theme = MKDOCS["theme"]
    assert theme["font"] is False
    assert {"content.code.copy", "navigation.tabs", "search.suggest"} <= set(theme["features"])
    toggles = [entry["toggle"] for entry in theme["palette"]]
    assert len(toggles) == 2
    assert "offline" in MKDOCS["plugins"]
    for asset in MKDOCS.get("extra_css", []) + MKDOCS.get("extra_javascript", []):
        assert not str(asset).startswith(("http:", "https:", "//")), asset
        assert (DOCS / asset).is_file()


def _nav_files(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [f for item in nav for f in _nav_files(item)]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in _nav_files(value)]
    return []


def test_every_page_in_the_nav_exists() -> None:
    for name in _nav_files(MKDOCS["nav"]):
        assert (DOCS / name).is_file(), name


def test_every_directive_used_by_a_page_is_known() -> None:
    from scripts.docs import hooks

    for page in DOCS.rglob("*.md"):
        for name in re.findall(r"^<!-- ecomperf:([a-z-]+)", page.read_text(encoding="utf-8"), re.MULTILINE):
            assert name in hooks.DIRECTIVES or name == "output", f"{page}: {name}"


def test_hook_file_is_where_mkdocs_yml_says() -> None:
    assert all(Path(REPO / hook).is_file() for hook in MKDOCS["hooks"])


def test_no_generated_file_collides_with_a_page_written_as_html() -> None:
    # use_directory_urls is off, so page x.md is written as x.html
    files = set(catalogue.files())
    pages = {name.removesuffix(".md") + ".html" for name in files if name.endswith(".md")}
    assert not pages & {name for name in files if name.endswith(".html")}


def test_coming_from_another_tool_prints_the_peers_numbers() -> None:
    page = (DOCS / "getting-started" / "other-tools.md").read_text(encoding="utf-8")
    frappe, absent, okr, orange = runner.run(page).outputs
    # Frappe's test_final_score: 3.6, 3.85 and 3.767 out of 5; test_manual_kra_rating: 1.2
    assert "final     75.33 points = 3.767 of 5, grade B" in frappe
    assert "goals     72.00 points = 3.6 of 5" in frappe and "ratings   77.00 points = 3.85 of 5" in frappe
    assert absent.strip() == "final 24.00 points = 1.2 of 5"
    # key results 20/80/100% weighted 1/3/2: 460 / 6 = 76.6667; below its start the first counts 0: 73.3333
    assert "objective 76.6667%" in okr and "kr1 -12.5% -> 0" in okr and "objective 73.3333%" in okr
    # (80 + 80 + 70) / 3 = 76.67 points = 3.83 of 5
    assert orange.splitlines()[-1] == "final 76.67 points = 3.83 of 5, meets"


def test_the_raters_page_shows_before_and_after_scoring_and_no_names() -> None:
    page = (DOCS / "scoring" / "raters.md").read_text(encoding="utf-8")
    combining, anonymous, scale = runner.run(page).outputs
    # threshold >= 4: (5 + 3) / 2 = 4 meets it before scoring (100); scored one by one, (100 + 0) / 2 = 50
    assert combining.splitlines()[0].endswith("KPI score 100") and combining.splitlines()[1].endswith("KPI score 50")
    assert anonymous.splitlines() == ["[('self', 4.0), ('peer 1', 5.0), ('peer 2', 3.0)]", "False"]
    assert "75.333333333 points = 3.767 of 5" in scale
