"""Job-posting fields: the organisation, employment type, location and salary band, checked at load."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ecomperf.model import JobLocation, Organization, SalaryBand


def _codes(error: ValidationError) -> list[tuple[str, str]]:
    return [(e["type"], e["msg"]) for e in error.errors()]


def test_a_location_is_an_address_remote_work_or_both() -> None:
    office = JobLocation.model_validate({"address": {"locality": "杭州", "country": "CN"}})
    remote = JobLocation.model_validate({"remote": True, "countries": ["CN", "HK"]})
    hybrid = JobLocation.model_validate({"address": {"country": "CN"}, "remote": True, "countries": ["CN"]})
    assert (office.remote, remote.countries, hybrid.address is not None) == (False, ["CN", "HK"], True)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ({}, "a location needs an address, or remote: true with countries (e.g. countries: [CN])"),
        ({"remote": True}, "a remote location needs the countries applicants may live in, e.g. countries: [CN]"),
        ({"address": {"country": "CN"}, "countries": ["CN"]},
         "countries apply to remote work; add remote: true or drop them"),
    ],
)
def test_an_incomplete_location_is_refused_saying_what_to_add(location: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        JobLocation.model_validate(location)
    assert _codes(caught.value) == [("EP104", message)]


def test_country_codes_are_iso_alpha_2_capitals() -> None:
    with pytest.raises(ValidationError):
        JobLocation.model_validate({"remote": True, "countries": ["China"]})
    with pytest.raises(ValidationError):
        JobLocation.model_validate({"address": {"country": "cn"}})


def test_a_salary_band_takes_shorthand_and_refuses_a_backwards_band() -> None:
    band = SalaryBand.model_validate({"min": "15k", "max": "2.5万"})
    assert (band.min, band.max, band.unit, band.currency) == (15_000, 25_000, "month", None)
    with pytest.raises(ValidationError) as caught:
        SalaryBand.model_validate({"min": "25k", "max": "15k"})
    assert _codes(caught.value) == [("EP104", "salary max 15000.0 is below min 25000.0")]
    with pytest.raises(ValidationError):
        SalaryBand.model_validate({"min": 1, "unit": "fortnight"})


def test_an_organisation_url_must_be_a_web_address() -> None:
    assert Organization.model_validate({"name": "Shop", "url": "https://shop.example.com"}).url
    with pytest.raises(ValidationError):
        Organization.model_validate({"name": "Shop", "url": "shop.example.com"})
