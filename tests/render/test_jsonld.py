"""JSON-LD job postings (schema.org ``JobPosting``)."""

from __future__ import annotations

import json

from ecomperf.framework import Framework


def test_job_posting_carries_the_position(mini: Framework) -> None:
    posting = json.loads(mini.render_jd("store_manager", locale="en", format="jsonld"))
    assert posting == {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "store_manager",
        "title": "Store manager",
        "description": "Runs the store day to day and delivers its sales target",
        "responsibilities": ["Choose products from data and customer feedback", "Manage stock and replenishment"],
        "qualifications": ["3+ years in e-commerce operations"],
        "skills": ["Data analysis"],
        "employmentUnit": {"@type": "Organization", "name": "E-commerce operations"},
    }


def test_every_bundled_position_is_valid_json_in_both_locales(
    ecommerce_ops: Framework, cross_border: Framework
) -> None:
    for framework in (ecommerce_ops, cross_border):
        for position in framework.positions:
            for locale in ("zh", "en"):
                text = framework.render_jd(position, locale=locale, format="jsonld")
                posting = json.loads(text)
                assert posting["@type"] == "JobPosting" and posting["identifier"] == position
                assert json.dumps(posting, ensure_ascii=False, indent=2) + "\n" == text


def test_chinese_stays_readable_and_hostile_text_stays_data(hostile: Framework) -> None:
    text = hostile.render_jd("manager", format="jsonld")
    assert "店长" in text  # not \\u escapes
    posting = json.loads(text)
    assert posting["description"] == "目的 {{ 7*7 }} <script>alert(1)</script>"
    assert "第一行 | 竖线\n第二行 <b>粗体</b>" in posting["responsibilities"]


def test_occupational_category_when_given(ecommerce_ops: Framework, cross_border: Framework) -> None:
    for framework in (ecommerce_ops, cross_border):
        for position_id, position in framework.positions.items():
            posting = json.loads(framework.render_jd(position_id, format="jsonld"))
            assert posting.get("occupationalCategory") == position.occupational_category
