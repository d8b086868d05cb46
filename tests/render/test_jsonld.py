"""JSON-LD job postings (schema.org ``JobPosting``) that job boards accept, or a clear refusal."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ecomperf
from ecomperf.errors import RenderError
from ecomperf.framework import Framework
from ecomperf.render.jsonld import GOOGLE_REQUIRED
from tests.conftest import BASE_FILES
from tests.render.conftest import HOSTILE_POSITIONS

POSTED = dt.date(2026, 10, 1)
# indented as the shared test framework is (write_framework dedents the whole file)
ORGANIZATION = """\
        organization:
          name: {zh: 示例小店, en: Example Shop}
          url: https://shop.example.com
        """
FRAMEWORK = BASE_FILES["framework.yaml"].rstrip(" ") + ORGANIZATION


def _posting(fw: Framework, position: str, locale: str = "en", **dates: Any) -> dict[str, Any]:
    text = fw.render_jd(position, locale=locale, format="jsonld", **({"date_posted": POSTED} | dates))
    posting: dict[str, Any] = json.loads(text)
    return posting


def test_an_office_job_carries_what_google_requires_and_recommends(mini: Framework) -> None:
    posting = _posting(mini, "store_manager", valid_through=dt.date(2026, 12, 31))
    assert [key for key in GOOGLE_REQUIRED if key not in posting] == []
    assert posting["datePosted"] == "2026-10-01" and posting["validThrough"] == "2026-12-31"
    assert posting["hiringOrganization"] == {
        "@type": "Organization", "name": "Example Shop", "sameAs": "https://shop.example.com",
        "logo": "https://shop.example.com/logo.png",
        "address": {"@type": "PostalAddress", "addressLocality": "Hangzhou", "addressRegion": "Zhejiang",
                    "addressCountry": "CN"},
    }
    assert posting["jobLocation"]["address"]["addressCountry"] == "CN"
    assert "jobLocationType" not in posting
    assert posting["employmentType"] == ["FULL_TIME"]
    # salary: {min: 15k, max: 25k, unit: month}, in the framework's currency
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount", "currency": "CNY",
        "value": {"@type": "QuantitativeValue", "unitText": "MONTH", "minValue": 15000, "maxValue": 25000},
    }
    assert posting["identifier"] == {"@type": "PropertyValue", "name": "Example Shop", "value": "store_manager"}
    assert posting["description"] == (
        "<p>Runs the store day to day and delivers its sales target</p><p>Responsibilities</p><ul>"
        "<li>Choose products from data and customer feedback</li><li>Manage stock and replenishment</li></ul>"
        "<p>Qualifications</p><ul><li>3+ years in e-commerce operations</li></ul>"
    )


def test_a_remote_job_names_the_countries_applicants_may_live_in(mini: Framework) -> None:
    posting = _posting(mini, "service_agent", locale="zh")
    assert "jobLocation" not in posting
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == [{"@type": "Country", "name": "CN"}]
    assert posting["employmentType"] == ["FULL_TIME", "PART_TIME"]
    assert posting["hiringOrganization"]["name"] == "示例小店" and posting["inLanguage"] == "zh-CN"


def test_without_a_posting_date_rendering_refuses() -> None:
    mini = ecomperf.load(Path(__file__).resolve().parents[2] / "examples" / "mini-framework")
    with pytest.raises(RenderError, match=r"pass --date-posted YYYY-MM-DD \(date_posted= in Python\)"):
        mini.render_jd("store_manager", format="jsonld")
    with pytest.raises(RenderError, match="--valid-through 2026-09-30 is before --date-posted 2026-10-01"):
        mini.render_jd("store_manager", format="jsonld", date_posted=POSTED, valid_through=dt.date(2026, 9, 30))


def test_bundled_frameworks_name_the_organisation_to_add(ecommerce_ops: Framework, cross_border: Framework) -> None:
    for framework in (ecommerce_ops, cross_border):
        with pytest.raises(RenderError) as caught:
            framework.render_jd(next(iter(framework.positions)), format="jsonld", date_posted=POSTED)
        assert "add `organization: {name: ..., url: ...}` to the Framework document (framework.yaml)" in str(
            caught.value
        )


def test_a_position_without_a_location_names_the_field_to_add(framework_dir: Callable[..., Path]) -> None:
    fw = ecomperf.load(framework_dir({"framework.yaml": FRAMEWORK}))
    with pytest.raises(RenderError) as caught:
        fw.render_jd("manager", format="jsonld", date_posted=POSTED)
    assert str(caught.value).startswith("position 'manager': a job posting needs a location: add `location:")


@pytest.fixture
def hostile_posting(framework_dir: Callable[..., Path]) -> str:
    positions = textwrap.dedent(HOSTILE_POSITIONS).replace(
        "modules: [product_ops]\n", "modules: [product_ops]\nlocation: {remote: true, countries: [CN]}\n", 1
    ).replace("Purpose {{ 7*7 }} <script>alert(1)</script>", "Purpose </script><script>alert(1)</script> & co")
    fw = ecomperf.load(framework_dir({"framework.yaml": FRAMEWORK, "positions.yaml": positions}))
    return fw.render_jd("manager", locale="en", format="jsonld", date_posted=POSTED)


def test_script_breaking_characters_are_escaped_and_the_text_survives(hostile_posting: str) -> None:
    assert not {"<", ">", "&"} & set(hostile_posting)  # nothing can close <script type="application/ld+json">
    assert "\\u003cb\\u003ebold\\u003c/b\\u003e" in hostile_posting  # a duty's "<b>bold</b>"
    assert "\\u0026lt;/script\\u0026gt;" in hostile_posting  # the purpose's "</script>", HTML-escaped first
    posting = json.loads(hostile_posting)
    # the description is HTML, so the purpose is HTML-escaped inside it, then JSON-escaped
    purpose = "<p>Purpose &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    assert posting["description"].startswith(purpose)
    assert "first line | pipe\nsecond line <b>bold</b>" in posting["responsibilities"]


def test_chinese_stays_readable(mini: Framework) -> None:
    text = mini.render_jd("store_manager", format="jsonld", date_posted=POSTED)
    assert "店长" in text  # not \\u escapes


def test_occupational_category_when_given(mini: Framework) -> None:
    for position_id, position in mini.positions.items():
        assert _posting(mini, position_id).get("occupationalCategory") == position.occupational_category


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    # No network: schema.org's context maps every term into its vocabulary, which @vocab says in one line.
    assert url.rstrip("/") in {"https://schema.org", "http://schema.org"}, url
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}


def test_pyld_expands_every_property_into_schema_org(mini: Framework) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is not installed (pip install 'ecomperf[dev]')")
    for position in mini.positions:
        for locale in ("zh", "en"):
            posting = _posting(mini, position, locale)
            [expanded] = jsonld.expand(posting, {"documentLoader": _offline_loader})
            assert expanded["@type"] == ["https://schema.org/JobPosting"]
            # every key became a schema.org property: JSON-LD drops what it cannot map
            keys = {key for key in posting if not key.startswith("@")}
            assert {key.removeprefix("https://schema.org/") for key in expanded if key != "@type"} == keys
            organization = expanded["https://schema.org/hiringOrganization"][0]
            assert organization["@type"] == ["https://schema.org/Organization"]
