"""The label catalogue: every locale has the same labels, and every label a template or renderer uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ecomperf.render.environment import TEMPLATE_DIR
from ecomperf.render.labels import FALLBACK_LOCALE, LABELS, labels_for, section_number

RENDER_DIR = TEMPLATE_DIR.parent
SCRIPT = RENDER_DIR.parent.parent / "scripts" / "build_docx_template.py"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_zh_and_en_have_exactly_the_same_labels() -> None:
    assert set(LABELS["zh"]) == set(LABELS["en"])


def test_each_label_has_the_same_placeholders_in_every_locale() -> None:
    differ = [key for key in LABELS["en"] if _fields(LABELS["zh"][key]) != _fields(LABELS["en"][key])]
    assert differ == []


def test_no_label_is_empty() -> None:
    for locale, labels in LABELS.items():
        assert all(text.strip() for text in labels.values()), locale


def _used_labels() -> set[str]:
    sources = [*TEMPLATE_DIR.glob("*.j2"), *RENDER_DIR.glob("*.py"), SCRIPT]
    pattern = re.compile(r"""labels(?:\.(\w+)(?![\w(])|\[["'](\w+)["']\])""")
    used: set[str] = set()
    for source in sources:
        for match in pattern.finditer(source.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(2))
    return used


def test_every_label_used_by_a_template_or_renderer_exists() -> None:
    used = _used_labels()
    assert len(used) > 40  # the scan really found the templates
    assert used <= set(LABELS["en"]), sorted(used - set(LABELS["en"]))


def test_labels_built_from_names_exist() -> None:
    # Keys put together at run time: cycles, roles, scoring methods, matrix statuses, competency parts.
    dynamic = [
        *(f"cycle_{c}" for c in ("daily", "weekly", "monthly", "quarterly", "annual")),
        "role_owner",
        "role_participant",
        *(f"method_{m}" for m in ("linear", "threshold", "bands", "interpolate", "range", "veto")),
        *(f"matrix_{s}" for s in ("unowned", "multiple", "shared", "unheld")),
        "professional_knowledge",
        "core_skills",
        "general_abilities",
        "professional_qualities",
    ]
    assert [key for key in dynamic if key not in LABELS["zh"]] == []


def test_unknown_locale_falls_back_to_english_labels() -> None:
    assert labels_for("ja") is LABELS[FALLBACK_LOCALE]


def test_sections_are_numbered_chinese_style_in_zh() -> None:
    assert [section_number(i, "zh") for i in (1, 2, 8)] == ["一、", "二、", "八、"]
    assert section_number(8, "en") == "8. "


def test_template_folder_exists() -> None:
    assert Path(TEMPLATE_DIR, "jd.md.j2").is_file()
