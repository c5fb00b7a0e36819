"""The canonical listing: the one shape every source is normalized into.

Field names follow the project's architecture notes (and schema.org JobPosting where one exists).
Everything downstream (warehouse, snapshot, ranker, API) reads this shape, so it is plain
JSON-compatible data (TypedDicts), not objects with behaviour.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypedDict

EMPLOYMENT_TYPES = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
SALARY_UNITS = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")
REMOTE_MODES = ("onsite", "hybrid", "remote")
SENIORITY_LEVELS = ("entry", "mid", "senior", "lead")
# remote_regions holds ISO 3166-1 alpha-2 codes ("US", "JP") and these uppercase tokens:
# ANYWHERE = explicitly worldwide; the others are regions as listings name them (EU = the
# European Union, EUROPE = Europe including the UK and EFTA, NORTH_AMERICA, AMERICAS = North
# and South America, LATAM = Latin America, EMEA, APAC). An empty list means not stated.
REMOTE_REGION_TOKENS = ("ANYWHERE", "EU", "EUROPE", "NORTH_AMERICA", "AMERICAS", "LATAM", "EMEA", "APAC")
# Why a listing looks dubious (pipeline.fields.suspicious).
SUSPICIOUS_REASONS = ("commission_only", "pay_to_start", "mlm")

Remote = Literal["onsite", "hybrid", "remote"]
Seniority = Literal["entry", "mid", "senior", "lead"]
SignalSource = Literal["text", "structured", "registry"]

# A moment in JSON: an ISO 8601 UTC string. The marker tells the warehouse to store the field as
# a TIMESTAMP (pipeline.warehouse.arrow derives its column types from these declarations).
STORED_AS_TIMESTAMP = "stored as TIMESTAMP"
IsoTimestamp = Annotated[str, STORED_AS_TIMESTAMP]

# The serving snapshot's format: what `ippo publish` writes into snapshot_meta.format and what
# the ranker reads. Format 2 adds the ServingListing columns; format 3 the listing facts
# remote_regions, seniority, experience_years_min and suspicious. A snapshot of another format
# is refused (re-publish it).
SNAPSHOT_FORMAT = 3
# How much of a listing's description serving shows and explains (the snapshot's against-evidence
# is tagged on the title and this much of the description).
SERVED_DESCRIPTION_CHARS = 2000


class Salary(TypedDict):
    """Pay as stated. min/max are None when the text gives no number ("Competitive")."""

    min: float | None
    max: float | None
    currency: str | None  # ISO 4217, e.g. "JPY", "USD"
    unit: str | None  # one of SALARY_UNITS
    text: str | None  # the original text, always kept beside the parsed values


class HoursPerWeek(TypedDict):
    min: float | None
    max: float | None


class Location(TypedDict):
    country: str | None  # ISO 3166-1 alpha-2, e.g. "JP"
    region: str | None  # Japanese prefecture by name (東京都), US state code, ...
    locality: str | None
    postal_code: str | None


class Signal(TypedDict):
    tag: str  # a tag of docs/signals.md (a supportive tag or a constraint fact such as night_shift)
    evidence: str  # the exact span / field / registry row that raised it
    source: SignalSource


class Employer(TypedDict):
    name: str | None
    normalized_name: str | None
    registry_tags: list[Signal]


class Occupation(TypedDict):
    taxonomy: str  # "onet" | "jobtag"
    code: str
    title: str
    confidence: float


class Listing(TypedDict):
    id: str
    source: str
    source_id: str
    url: str | None
    apply_url: str | None
    title: str
    description_text: str
    description_html: str | None
    language: str | None  # "ja" | "en" | other BCP 47 primary tag
    employer: Employer
    locations: list[Location]
    remote: Remote | None
    employment_types: list[str]
    hours_per_week: HoursPerWeek | None
    salary: Salary | None
    date_posted: IsoTimestamp | None
    valid_through: IsoTimestamp | None
    first_seen: IsoTimestamp | None
    last_seen: IsoTimestamp | None
    status: Literal["open", "closed"]
    occupation: Occupation | None
    signals: list[Signal]
    supportiveness: float
    content_hash: str
    duplicate_of: str | None
    # Listing facts added with schema 0003 (after the loader's raw_run column in the warehouse).
    remote_regions: list[str]  # where remote/hybrid work may be done from; [] = not stated
    seniority: Seniority | None  # of the role, from the title, then the requirements
    experience_years_min: float | None  # stated minimum years of experience (0 = none needed)
    suspicious: list[str]  # reasons of SUSPICIOUS_REASONS; [] = none found


class Interests(TypedDict):
    """An occupation's RIASEC interest profile (O*NET 1-7, job tag 職業興味 1-5)."""

    R: float | None
    I: float | None  # noqa: E741 - the letter of the RIASEC model
    A: float | None
    S: float | None
    E: float | None
    C: float | None


class ServingListing(Listing):
    """A listing as the serving snapshot holds it: what the ranker would otherwise have to ask
    the pipeline's tagger and occupation tables for, computed once at publish."""

    against: list[Signal]  # text speaking against a tag (未経験不可 against no_experience_ok)
    occupation_interests: Interests | None  # of the listing's occupation; None when unknown
