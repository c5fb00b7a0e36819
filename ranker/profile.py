"""The aptitude profile (docs/architecture.md) and its validation.

A profile may reveal health or disability. Validation errors therefore name the field and
the problem but never repeat the value given, and needs that reveal health or disability
are refused unless the person consented to their use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from pipeline.canonical import EMPLOYMENT_TYPES, SALARY_UNITS
from pipeline.places.extent import in_japan
from pipeline.places.municipalities import PlaceCodeError, municipality_for_postcode, normalize_municipality_code
from pipeline.signals.vocabulary import signal_tags

# A person may ask for any supportive tag of the signal vocabulary and avoid any constraint
# tag (pipeline/vocab/signals.toml, listed by pipeline.signals.vocabulary).
LISTING_NEEDS: tuple[str, ...] = signal_tags("supportive")
EMPLOYER_NEEDS = (
    "cert_monisu", "cert_youth_yell", "disability_confident", "fair_chance_pledge",
    "dei_disability_index", "cert_disability_award", "cert_kurumin", "cert_eruboshi", "cert_telework",
)
AVOIDABLE: tuple[str, ...] = signal_tags("constraint")
# Special-care personal data (APPI 要配慮個人情報, GDPR Art. 9): only with consent.
SENSITIVE_NEEDS = frozenset({"disability_employment", "accommodations", "on_the_job_support", "neurodiversity"})
RIASEC = ("R", "I", "A", "S", "E", "C")


class ProfileError(ValueError):
    """A profile that cannot be used, with a message that is safe to show and to log."""


class _Strict(BaseModel):
    # NaN and infinity are refused everywhere: they would pass every comparison unnoticed.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class PlaceIn(_Strict):
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    region: str | None = Field(default=None, max_length=100)
    locality: str | None = Field(default=None, max_length=100)

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class MinSalary(_Strict):
    amount: float = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
    unit: Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"]

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


# The constraints whose value a listing may leave unstated, by the name results use for them
# (``misses``, ``narrowest_constraint``); ``require_stated`` names some of them.
STATABLE = ("remote", "location", "employment_type", "hours", "min_salary", "commute")


class Constraints(_Strict):
    max_hours_per_week: float | None = Field(default=None, gt=0, le=80)
    remote: Literal["required", "preferred", "any", "avoid"] = "any"
    locations: list[PlaceIn] = Field(default_factory=list, max_length=50)
    employment_types: list[str] = Field(default_factory=list, max_length=8)
    min_salary: MinSalary | None = None
    # Straight-line distance from home (``home``, in Japan) to the listing's municipality.
    max_commute_km: float | None = Field(
        default=None, gt=0, le=300,
        description="the farthest a workplace may lie from home, in straight-line km (needs home in Japan); "
        "a listing whose municipality is not known is unknown, a fully remote one meets it",
    )
    # Constraints a listing must state to count: where it does not, it misses them instead of
    # being unknown (ranked below, with what it does not say).
    require_stated: list[str] = Field(
        default_factory=list, max_length=len(STATABLE),
        description="constraints a listing must state to count (remote, location, employment_type, hours, "
        "min_salary, commute); a listing that does not state one misses it instead of being unknown",
    )

    @field_validator("require_stated")
    @classmethod
    def _statable(cls, values: list[str]) -> list[str]:
        if any(v not in STATABLE for v in values):
            raise ValueError(f"unknown constraint name(s); use {', '.join(STATABLE)}")
        return list(dict.fromkeys(values))

    @model_validator(mode="after")
    def _required_are_set(self) -> Constraints:
        unset = [name for name in self.require_stated if not self._sets(name)]
        if unset:
            raise ValueError(
                f"require_stated names {', '.join(unset)}, which this profile does not limit; "
                "set that constraint or remove it from require_stated"
            )
        return self

    def _sets(self, name: str) -> bool:
        return {
            "remote": self.remote in ("required", "avoid"), "location": bool(self.locations),
            "employment_type": bool(self.employment_types), "hours": self.max_hours_per_week is not None,
            "min_salary": self.min_salary is not None, "commute": self.max_commute_km is not None,
        }[name]

    @field_validator("employment_types")
    @classmethod
    def _known_types(cls, values: list[str]) -> list[str]:
        upper = [v.upper() for v in values]
        unknown = [v for v in upper if v not in EMPLOYMENT_TYPES]
        if unknown:
            raise ValueError(f"unknown employment type(s); use {', '.join(EMPLOYMENT_TYPES)}")
        return upper


class Consent(_Strict):
    sensitive_needs: bool = False


class Home(_Strict):
    """Where the person lives, used only to find support nearby and the distance to work: a
    Japanese postcode, a municipality code (JIS X 0402) or coordinates (lat and lon together).
    Codes are checked against Japan Post's data; an unknown one is refused, naming that code only."""

    postal_code: str | None = Field(default=None, max_length=10, description="a Japanese postcode, e.g. 164-0014")
    municipality_code: str | None = Field(default=None, max_length=6,
                                          description="JIS X 0402, five digits (or six with the check digit)")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("postal_code")
    @classmethod
    def _known_postcode(cls, value: str | None) -> str | None:
        if value is None:
            return None
        with _named_only_when_code_shaped(value, "postal_code is not a Japanese postcode: write seven digits, "
                                                 "e.g. 164-0014"):
            municipality_for_postcode(value)
        return value

    @field_validator("municipality_code")
    @classmethod
    def _known_municipality(cls, value: str | None) -> str | None:
        if value is None:
            return None
        with _named_only_when_code_shaped(value, "municipality_code is not a JIS X 0402 code: write five "
                                                 "digits, e.g. 13114"):
            return normalize_municipality_code(value)

    @model_validator(mode="after")
    def _says_where(self) -> Home:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give lat and lon together")
        if self.postal_code is None and self.municipality_code is None and self.lat is None:
            raise ValueError("give postal_code, municipality_code or lat and lon; or leave home out")
        return self


_CODE_SHAPED = re.compile(r"^[〒0-9０-９\s\-ー−－]{1,12}$")


@contextmanager
def _named_only_when_code_shaped(value: str, otherwise: str) -> Iterator[None]:
    """An unknown code is named in the error (the person asked for that place); text that is not
    shaped like a code is not repeated (it could be anything the person typed)."""
    try:
        yield
    except PlaceCodeError as exc:
        if _CODE_SHAPED.match(value):
            raise
        raise ValueError(otherwise) from exc


class Experience(_Strict):
    """Where the person stands: years of work experience and/or a level. Optional as a whole;
    without it no listing is penalised for its level or years (nothing is guessed)."""

    years: float | None = Field(default=None, ge=0, le=60, description="years of work experience, 0-60")
    level: Literal["none", "entry", "mid", "senior", "lead"] | None = Field(
        default=None, description="none (no work experience yet), entry, mid, senior or lead"
    )

    @model_validator(mode="after")
    def _says_something(self) -> Experience:
        if self.years is None and self.level is None:
            raise ValueError(
                "give years (0-60), level (none, entry, mid, senior or lead) or both; or leave experience out"
            )
        return self


class AptitudeProfile(_Strict):
    language: Literal["ja", "en"] | None = None
    summary: str = Field(default="", max_length=50_000)
    desired_titles: list[Term] = Field(default_factory=list, max_length=30)
    skills: list[Term] = Field(default_factory=list, max_length=100)
    interests: dict[str, float] = Field(default_factory=dict)
    constraints: Constraints = Field(default_factory=Constraints)
    needs: list[str] = Field(default_factory=list, max_length=30)
    avoid: list[str] = Field(default_factory=list, max_length=30)
    home: Home | None = None
    consent: Consent = Field(default_factory=Consent)
    experience: Experience | None = None
    # The languages the person can read a listing in; empty means the profile's own language.
    reads: list[Literal["ja", "en"]] = Field(default_factory=list, max_length=2)

    @field_validator("interests")
    @classmethod
    def _riasec(cls, values: dict[str, float]) -> dict[str, float]:
        upper = {k.strip().upper(): v for k, v in values.items()}
        unknown = [k for k in upper if k not in RIASEC]
        if unknown:
            raise ValueError("interest keys must be RIASEC letters: R, I, A, S, E, C")
        if any(v != v or v in (float("inf"), float("-inf")) for v in upper.values()):
            raise ValueError("interest scores must be finite numbers")
        if any(v < 0 for v in upper.values()):
            raise ValueError("interest scores must be zero or more")
        return upper

    @field_validator("needs")
    @classmethod
    def _known_needs(cls, values: list[str]) -> list[str]:
        known = set(LISTING_NEEDS) | set(EMPLOYER_NEEDS)
        if any(v not in known for v in values):
            raise ValueError(f"unknown need(s); use the tags: {', '.join(LISTING_NEEDS + EMPLOYER_NEEDS)}")
        return list(dict.fromkeys(values))

    @field_validator("avoid")
    @classmethod
    def _known_avoid(cls, values: list[str]) -> list[str]:
        known = set(AVOIDABLE) | set(LISTING_NEEDS)
        if any(v not in known for v in values):
            raise ValueError(f"unknown item(s) to avoid; use: {', '.join(AVOIDABLE)}")
        return list(dict.fromkeys(values))

    @model_validator(mode="after")
    def _consent_for_sensitive_needs(self) -> AptitudeProfile:
        sensitive = [n for n in self.needs if n in SENSITIVE_NEEDS]
        if sensitive and not self.consent.sensitive_needs:
            raise ValueError(
                f"the needs {', '.join(sensitive)} reveal health or disability; set consent.sensitive_needs "
                "to true to use them, or remove them"
            )
        if not (self.summary.strip() or self.desired_titles or self.skills):
            raise ValueError("say something about the work you want: summary, desired_titles or skills")
        if self.constraints.max_commute_km is not None and not _home_in_japan(self.home):
            raise ValueError("constraints.max_commute_km is measured from home in Japan: give home (a postcode, "
                             "a municipality code or coordinates in Japan), or remove max_commute_km")
        return self

    def query_text(self) -> str:
        """What relevance is measured against: titles first (they weigh most), then skills and summary."""
        parts = [*self.desired_titles, *self.desired_titles, *self.skills, self.summary]
        return "\n".join(p for p in parts if p)


def _home_in_japan(home: Home | None) -> bool:
    """A home given by a postcode or a municipality code, or by coordinates inside Japan."""
    if home is None:
        return False
    if home.postal_code or home.municipality_code:
        return True
    return home.lat is not None and home.lon is not None and in_japan(home.lat, home.lon)


def describe_validation_error(exc: ValidationError) -> list[str]:
    """One line per problem: the field path and what is wrong, never the value given."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "profile"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return lines


def parse_profile(data: object, origin: str = "profile") -> AptitudeProfile:
    try:
        return AptitudeProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{origin} is not a valid profile:\n  " + "\n  ".join(describe_validation_error(exc))) \
            from None


def load_profile(path: Path) -> AptitudeProfile:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(f"profile file {path} does not exist") from None
    except UnicodeDecodeError:
        raise ProfileError(f"profile file {path} is not UTF-8 text; save it as UTF-8 JSON") from None
    except OSError as exc:
        raise ProfileError(f"profile file {path} cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"profile file {path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    return parse_profile(data, origin=f"profile file {path}")


__all__ = ["SALARY_UNITS", "AptitudeProfile", "Experience", "ProfileError", "load_profile", "parse_profile"]
