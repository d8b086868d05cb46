"""A job description as a schema.org ``JobPosting`` in JSON-LD, the form job boards (Google for Jobs) read.

A posting carries what Google requires (``title``, ``description``, ``datePosted``, ``hiringOrganization``,
and ``jobLocation`` or ``applicantLocationRequirements`` with ``jobLocationType``) and, where the YAML
declares them, what it recommends (``validThrough``, ``employmentType``, ``baseSalary``, ``identifier``).
The YAML fields are the Framework's ``organization`` and each Position's ``employment_type``, ``location``
and ``salary`` (see :mod:`ecomperf.model.posting`). When a required property cannot be produced, rendering
fails with a :class:`~ecomperf.errors.RenderError` that names the YAML field to add, rather than emitting a
posting a job board would reject.

The JSON escapes ``<``, ``>`` and ``&`` (as ``\\u003c``, ``\\u003e``, ``\\u0026``) and the line separators
U+2028/U+2029, so the text can sit inside ``<script type="application/ld+json">`` on a web page: a duty that
reads ``</script>`` cannot end the block early. Chinese stays readable (no other escapes).
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import TYPE_CHECKING, Any

from ecomperf.errors import RenderError
from ecomperf.model import PostalAddress, localize

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex
    from ecomperf.render.context import JobDescription

__all__ = ["GOOGLE_REQUIRED", "job_posting", "job_posting_json"]

GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization")
"""Properties Google for Jobs requires on every posting (plus a location, see the module docstring)."""

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def job_posting(
    framework: FrameworkIndex,
    jd: JobDescription,
    *,
    date_posted: dt.date | None,
    valid_through: dt.date | None = None,
) -> dict[str, Any]:
    """The ``JobPosting`` of ``jd`` as a JSON-ready mapping.

    Raises:
        RenderError: no ``date_posted``; ``valid_through`` before it; the framework declares no
            ``organization``; the position declares no ``location``; or it has neither ``purpose`` nor
            responsibilities to describe it. Each message names the field to add and the file to add it to.
    """
    position = framework.positions[jd.position_id]
    where = f"position {jd.position_id!r}"
    if date_posted is None:
        raise RenderError(
            f"{where}: a job posting needs the date it is posted: pass --date-posted YYYY-MM-DD "
            "(date_posted= in Python)"
        )
    if valid_through is not None and valid_through < date_posted:
        raise RenderError(f"{where}: --valid-through {valid_through} is before --date-posted {date_posted}")
    organization = framework.spec.organization
    if organization is None:
        raise RenderError(
            f"{where}: a job posting needs the hiring organisation: add `organization: {{name: ..., url: ...}}` "
            "to the Framework document (framework.yaml)"
        )
    if position.location is None:
        raise RenderError(
            f"{where}: a job posting needs a location: add `location: {{address: {{locality: ..., country: CN}}}}` "
            "or `location: {remote: true, countries: [CN]}` to the position's YAML"
        )
    description = _description(jd)
    if not description:
        raise RenderError(
            f"{where}: a job posting needs a description: add `purpose:` or responsibilities to the position"
        )

    def text(value: str | dict[str, str] | None) -> str:
        return localize(value, jd.locale, framework.default_locale).strip()

    hiring: dict[str, Any] = {"@type": "Organization", "name": text(organization.name)}
    if organization.url:
        hiring["sameAs"] = organization.url
    if organization.logo:
        hiring["logo"] = organization.logo
    if organization.address is not None:
        hiring["address"] = _address(organization.address, text)
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": jd.title,
        "description": description,
        "datePosted": date_posted.isoformat(),
    }
    if valid_through is not None:
        posting["validThrough"] = valid_through.isoformat()
    posting["identifier"] = {"@type": "PropertyValue", "name": hiring["name"], "value": jd.position_id}
    posting["hiringOrganization"] = hiring
    location = position.location
    if location.address is not None:
        posting["jobLocation"] = {"@type": "Place", "address": _address(location.address, text)}
    if location.remote:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = [{"@type": "Country", "name": c} for c in location.countries]
    if position.employment_type is not None:
        kinds = [position.employment_type] if isinstance(position.employment_type, str) else position.employment_type
        posting["employmentType"] = [kind.upper() for kind in kinds]
    if position.salary is not None:
        salary = position.salary
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": salary.unit.upper()}
        if salary.max is None:
            value["value"] = _number(salary.min)
        else:
            value.update(minValue=_number(salary.min), maxValue=_number(salary.max))
        posting["baseSalary"] = {
            "@type": "MonetaryAmount", "currency": salary.currency or framework.spec.currency, "value": value,
        }
    posting["inLanguage"] = jd.labels["html_lang"]
    _details(posting, jd)
    return posting


def job_posting_json(posting: dict[str, Any]) -> str:
    """``posting`` as pretty-printed JSON text that is safe inside an HTML ``<script>`` element."""
    return json.dumps(posting, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE) + "\n"


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _description(jd: JobDescription) -> str:
    """The job in HTML, as Google asks for ``description``: purpose, duties, qualifications (all escaped)."""
    parts: list[str] = []
    if jd.purpose:
        parts.append(f"<p>{escape(jd.purpose)}</p>")
    duties = [duty for group in jd.responsibilities for duty in group.duties]
    if duties:
        parts.append(f"<p>{escape(jd.labels['responsibilities'])}</p>")
        parts.append("<ul>" + "".join(f"<li>{escape(duty)}</li>" for duty in duties) + "</ul>")
    if jd.qualifications:
        parts.append(f"<p>{escape(jd.labels['qualifications'])}</p>")
        parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in jd.qualifications) + "</ul>")
    return "".join(parts) if jd.purpose or duties else ""


def _address(address: PostalAddress, text: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "PostalAddress"}
    for key, value in (
        ("streetAddress", text(address.street)),
        ("addressLocality", text(address.locality)),
        ("addressRegion", text(address.region)),
        ("postalCode", address.postal_code or ""),
        ("addressCountry", address.country),
    ):
        if value:
            out[key] = value
    return out


def _details(posting: dict[str, Any], jd: JobDescription) -> None:
    """The plain-text details schema.org also defines: duties, qualifications, skills, category, unit."""
    duties = [duty for group in jd.responsibilities for duty in group.duties]
    if duties:
        posting["responsibilities"] = duties
    if jd.qualifications:
        posting["qualifications"] = list(jd.qualifications)
    skills = [entry for group in jd.competencies for entry in group.entries]
    if skills:
        posting["skills"] = skills
    if jd.occupational_category:
        posting["occupationalCategory"] = jd.occupational_category
    if jd.department:
        posting["employmentUnit"] = {"@type": "Organization", "name": jd.department}
