"""What job boards need to list a position: the hiring organisation, employment type, location, salary band.

The Framework document declares the ``organization``; each Position may declare its ``employment_type``,
``location`` and ``salary``. They feed the schema.org ``JobPosting`` (``ecomperf jd --format jsonld``);
the other documents do not use them.

Example YAML::

    # kind: Framework
    organization:
      name: {zh: 示例电商有限公司, en: Example Commerce Ltd}
      url: https://shop.example.com
      logo: https://shop.example.com/logo.png
      address: {locality: {zh: 杭州, en: Hangzhou}, region: {zh: 浙江, en: Zhejiang}, country: CN}

    # kind: Position
    employment_type: full_time
    location: {address: {locality: {zh: 杭州, en: Hangzhou}, country: CN}}   # or {remote: true, countries: [CN]}
    salary: {min: 15k, max: 25k, unit: month}                            # currency: the framework's
"""


from typing import Annotated, Literal, Self

from pydantic import Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from ecomperf.model.common import LocalizedText, Node, NonNegativeQuantity

__all__ = ["CountryCode", "EmploymentType", "JobLocation", "Organization", "PostalAddress", "SalaryBand", "SalaryUnit"]

EmploymentType = Literal[
    "full_time", "part_time", "contractor", "temporary", "intern", "volunteer", "per_diem", "other"
]
"""How the position is employed; written as Google's ``employmentType`` values (``FULL_TIME`` …)."""

SalaryUnit = Literal["hour", "day", "week", "month", "year"]
"""The period a salary amount is paid for."""

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="An ISO 3166-1 alpha-2 country code: CN, US.")]
"""An ISO 3166-1 alpha-2 country code such as ``CN``."""

_URL = r"^https?://[^\s/$.?#][^\s]*$"


class PostalAddress(Node):
    """A postal address; ``country`` is required, the other parts as precise as you want to publish."""

    street: LocalizedText | None = None
    locality: LocalizedText | None = None
    region: LocalizedText | None = None
    postal_code: str | None = None
    country: CountryCode


class Organization(Node):
    """The hiring organisation as job boards show it."""

    name: LocalizedText
    url: Annotated[str, Field(pattern=_URL)] | None = None
    logo: Annotated[str, Field(pattern=_URL)] | None = None
    address: PostalAddress | None = None


class JobLocation(Node):
    """Where the job is done: an ``address``, or ``remote: true`` with the ``countries`` applicants may live in.

    Both together describe a hybrid job (an office, and remote work from those countries).
    """

    address: PostalAddress | None = None
    remote: StrictBool = False
    countries: list[CountryCode] = []

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if self.address is None and not self.remote:
            raise PydanticCustomError(
                "EP104", "a location needs an address, or remote: true with countries (e.g. countries: [CN])", {}
            )
        if self.remote and not self.countries:
            raise PydanticCustomError(
                "EP104", "a remote location needs the countries applicants may live in, e.g. countries: [CN]", {}
            )
        if self.countries and not self.remote:
            raise PydanticCustomError("EP104", "countries apply to remote work; add remote: true or drop them", {})
        return self


class SalaryBand(Node):
    """The pay range of the position: ``min`` (and ``max``) per ``unit``, in ``currency`` (default: the
    framework's ``currency``)."""

    min: NonNegativeQuantity
    max: NonNegativeQuantity | None = None
    unit: SalaryUnit = "month"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.max is not None and self.max < self.min:
            raise PydanticCustomError(
                "EP104", "salary max {max} is below min {min}", {"max": self.max, "min": self.min}
            )
        return self
