"""Request and response models. Inputs forbid unknown fields; outputs are what we promise.

Every enumeration is an enum in the OpenAPI schema, with its values taken from where the project
defines them (pipeline.canonical, pipeline.signals.vocabulary through ranker.profile, the reason
and notice kinds the ranker writes), and the profile's schema states the rules its validators
apply (known needs, a profile that says something about the work wanted), so the schema never
admits what the API refuses.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ErrorCode
from pipeline.canonical import EMPLOYMENT_TYPES, REMOTE_MODES, SALARY_UNITS, SignalSource
from ranker import profile as ranker_profile
from ranker.profile import AVOIDABLE, EMPLOYER_NEEDS, LISTING_NEEDS, RIASEC, SENSITIVE_NEEDS, STATABLE
from ranker.support.answer import STATUSES
from ranker.support.tables import SERVICE_TYPES

NEEDS: tuple[str, ...] = LISTING_NEEDS + EMPLOYER_NEEDS
AVOID: tuple[str, ...] = tuple(dict.fromkeys(AVOIDABLE + LISTING_NEEDS))  # what ranker.profile accepts
# The kinds of reasons and notices the ranker writes (ranker.explain, aptitude, feedback, ...;
# ranker.notice); tests/api/test_schema_enums.py checks them against the ranker's sources.
REASON_KINDS = ("relevance", "interest", "need", "feedback", "constraint", "unknown", "caveat", "misses", "lacks")
NOTICE_KINDS = ("few_fit", "unconfirmed")
FEEDBACK_ACTIONS = ("saved", "dismissed", "applied")

RemoteMode = Literal[REMOTE_MODES]  # type: ignore[valid-type]
NeedTag = Literal[NEEDS]  # type: ignore[valid-type]
EmploymentType = Literal[EMPLOYMENT_TYPES]  # type: ignore[valid-type]
SalaryUnit = Literal[SALARY_UNITS]  # type: ignore[valid-type]
ReasonKind = Literal[REASON_KINDS]  # type: ignore[valid-type]
NoticeKind = Literal[NOTICE_KINDS]  # type: ignore[valid-type]
FeedbackAction = Literal[FEEDBACK_ACTIONS]  # type: ignore[valid-type]
ServiceType = Literal[SERVICE_TYPES]  # type: ignore[valid-type]
SupportStatus = Literal[STATUSES]  # type: ignore[valid-type]


def _enum_items(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _not_blank(spaces: str) -> str:
    """A JSON Schema pattern matching text with at least one character that is not in ``spaces``."""
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in spaces) + "]"


# What each side strips before refusing blank text: Python's str.strip for the summary
# (ranker.profile), pydantic's strip_whitespace for titles and skills (Unicode White_Space, which
# leaves the separators U+001C-U+001F alone).
_PYTHON_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
NOT_BLANK_TEXT = _not_blank(_PYTHON_SPACES)
NOT_BLANK_TERM = _not_blank(_PYTHON_SPACES.translate({code: None for code in range(0x1C, 0x20)}))


def _constraints_schema(schema: dict[str, Any]) -> None:
    properties = schema["properties"]
    properties["employment_types"]["items"] = _enum_items(EMPLOYMENT_TYPES)
    properties["require_stated"]["items"] = _enum_items(STATABLE)


def _experience_schema(schema: dict[str, Any]) -> None:
    schema["anyOf"] = [{"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                       for name in ("years", "level")]


def _profile_schema(schema: dict[str, Any]) -> None:
    properties = schema["properties"]
    properties["needs"]["items"] = _enum_items(NEEDS)
    properties["avoid"]["items"] = _enum_items(AVOID)
    for terms in ("desired_titles", "skills"):
        properties[terms]["items"]["pattern"] = NOT_BLANK_TERM
    properties["interests"]["propertyNames"] = {"enum": list(RIASEC)}
    properties["interests"]["additionalProperties"] = {"type": "number", "minimum": 0}
    # The profile must say something about the work wanted (ranker.profile refuses it otherwise).
    schema["anyOf"] = [
        {"required": ["summary"], "properties": {"summary": {"pattern": NOT_BLANK_TEXT}}},
        {"required": ["desired_titles"], "properties": {"desired_titles": {"minItems": 1}}},
        {"required": ["skills"], "properties": {"skills": {"minItems": 1}}},
    ]
    # Needs that reveal health or disability need consent (ranker.profile refuses them otherwise).
    schema["if"] = {"required": ["needs"], "properties": {"needs": {"contains": _enum_items(tuple(sorted(
        SENSITIVE_NEEDS)))}}}
    schema["then"] = {"required": ["consent"], "properties": {"consent": {
        "required": ["sensitive_needs"], "properties": {"sensitive_needs": {"const": True}}}}}
    schema["description"] = ("An aptitude profile. It must say something about the work wanted: a summary, "
                             "desired_titles or skills. Needs that reveal health or disability (disability_employment, "
                             "accommodations, on_the_job_support, neurodiversity) need consent.sensitive_needs.")


# The API's input models are ranker.profile's, validated the same way; the subclasses (same names,
# so the schema's component names stay) state the validators' rules in the schema, and take JSON's
# types as the schema states them (strict: true is not a number, a number is not a string).
_JSON_TYPES = ConfigDict(strict=True)


class PlaceIn(ranker_profile.PlaceIn):
    model_config = _JSON_TYPES


class MinSalary(ranker_profile.MinSalary):
    model_config = _JSON_TYPES


class Consent(ranker_profile.Consent):
    model_config = _JSON_TYPES


class Home(ranker_profile.Home):
    model_config = _JSON_TYPES


class Constraints(ranker_profile.Constraints):
    model_config = ConfigDict(strict=True, json_schema_extra=_constraints_schema)

    locations: list[PlaceIn] = Field(default_factory=list, max_length=50)  # type: ignore[assignment]  # the strict JSON subclass of the ranker's PlaceIn
    min_salary: MinSalary | None = None


class Experience(ranker_profile.Experience):
    model_config = ConfigDict(strict=True, json_schema_extra=_experience_schema)


class AptitudeProfile(ranker_profile.AptitudeProfile):
    model_config = ConfigDict(strict=True, json_schema_extra=_profile_schema)

    constraints: Constraints = Field(default_factory=Constraints)
    experience: Experience | None = None
    home: Home | None = None
    consent: Consent = Field(default_factory=Consent)


ProfileIn = AptitudeProfile


class Health(BaseModel):
    status: Literal["ok", "no_data"] = Field(description="ok: a snapshot is served; no_data: none is published yet")
    snapshot_version: str | None
    listings: int
    open_listings: int
    embedding_model: str


class Evidence(BaseModel):
    tag: str
    evidence: str | None = Field(None, description="the words of the listing (or the registry) the tag rests on")
    source: str | None = Field(None, description="where the evidence was found (e.g. description, title, a "
                                                 "registry)")


class HoursOut(BaseModel):
    min: float | None = None
    max: float | None = None


class OccupationOut(BaseModel):
    taxonomy: str | None = None
    code: str | None = None
    title: str | None = None
    confidence: float | None = None


class SalaryOut(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    unit: SalaryUnit | None = None
    text: str | None = None


class ReasonOut(BaseModel):
    kind: ReasonKind = Field(
        description="relevance | interest | need | feedback | constraint (a limit the listing states and meets) | "
        "unknown (a limit the listing does not state) | caveat | misses | lacks"
    )
    text: str = Field(description="the reason in plain words, in the page's language (ja or en); evidence stays "
                      "in the listing's own words")
    tag: str | None = None
    evidence: str | None = None
    source: SignalSource | None = None


class OfficeHoursOut(BaseModel):
    weekday: str | None = None
    saturday: str | None = None
    sunday: str | None = None
    holiday: str | None = None


class SupportOfficeOut(BaseModel):
    """An employment-support office (WAM NET 障害福祉サービス等情報公表システム)."""

    office_id: str = Field(description="'<office_number>:<service_type>', with ':<WAM row number>' added for "
                           "satellite premises listed under the same office number")
    office_number: str | None = Field(None, description="WAM 事業所番号, ten digits")
    service_type: ServiceType
    service_label: str | None = Field(None, description="the service as WAM writes it (就労移行支援, ...)")
    name: str | None
    operator_name: str | None = None
    address: str | None = None
    phone: str | None = None
    url: str | None = None
    hours: OfficeHoursOut = Field(description="hours as the office writes them; null where blank")
    closed_days: str | None = None
    days_note: str | None = None
    capacity: int | None = None
    lat: float | None = Field(None, description="the office's own coordinates; null when it is approximate")
    lng: float | None = None
    distance_km: float | None = Field(description="straight-line km from the place asked about (home): tenths "
                                      "under 10 km, whole km beyond")
    approximate: bool = Field(description="the office has no coordinates of its own and is placed at its "
                              "municipality's centroid, so its distance is approximate")


class NearbyOfficeOut(SupportOfficeOut):
    from_work_km: float | None = Field(None, description="straight-line km from the listing's municipality, when "
                                       "it is known")


class PlaceOut(BaseModel):
    lat: float | None = Field(description="the point distances are measured from; null when it cannot be placed")
    lng: float | None
    approximate: bool = Field(description="the point is a centroid (of the municipality's offices, else the "
                              "prefecture's), not the place itself")
    located_by: Literal["coordinates", "municipality", "prefecture"] | None
    municipality_code: str | None = Field(description="JIS X 0402, five digits")
    municipality: str | None
    postal_code: str | None = Field(description="seven digits")


class PageSupportOut(BaseModel):
    home: PlaceOut
    offices_loaded: bool = Field(description="false: the snapshot holds no support offices, so nothing is known "
                                 "about support nearby (not that there is none)")
    hellowork_loaded: bool
    service_types: list[ServiceType] = Field(description="the services the person's needs call for")
    hellowork_offices: list[str] = Field(description="the Hello Work office(s) in charge of the home; empty when "
                                         "not known (coordinates alone) or not listed")


class RecommendationOut(BaseModel):
    rank: int
    id: str
    title: str
    employer: str | None
    location: str = Field(description="the listing's places (and remote), or that it states none, in the page's "
                          "language")
    url: str | None
    apply_url: str | None
    remote: RemoteMode | None
    employment_types: list[EmploymentType]
    salary: SalaryOut | None
    hours_per_week: HoursOut | None = Field(None, description="hours a week as the listing states them")
    language: str | None
    occupation: OccupationOut | None = None
    signals: list[Evidence] = Field(default_factory=list, description="the listing's supportive signs and its "
                                    "employer's registry tags, each with the words it rests on")
    score: float
    score_parts: dict[str, float]
    misses: list[str] = Field(description="constraints this nearest match does not meet, and 'relevance' when it "
                              "is below the relevance floor (empty for full matches)")
    reasons: list[ReasonOut]
    support_nearby: list[NearbyOfficeOut] | None = Field(
        None, description="up to three support offices fitting the person's needs, nearest to home (or to the way "
        "from home to the workplace); null without a home in Japan, without support data, or when the needs call "
        "for no service")
    commute_km: float | None = Field(None, description="straight-line km from home to the listing's municipality "
                                     "(approximate); null when either is not known or the home is not in Japan")


class NoticeOut(BaseModel):
    kind: NoticeKind = Field(description="few_fit: fewer listings than asked for fit now, the nearest follow; "
                                  "unconfirmed: none of the listings shown states that it meets every limit")
    message: str = Field(description="the notice in plain words, in the profile's language (ja or en)")
    widen: str | None = Field(description="the constraint whose removal would add the most listings (None: "
                              "none would; other titles or skills would find more)")
    widen_adds: int = Field(description="how many listings removing that constraint would add")


class RecommendationsOut(BaseModel):
    snapshot_version: str
    candidates: int
    matching: int = Field(description="open listings passing every constraint (met, or not stated)")
    confirmed: int = Field(description="of those, listings that state and meet every constraint")
    narrowest_constraint: str | None
    notice: NoticeOut | None = Field(description="set when fewer than k listings fit (say so, then the nearest), or "
                                      "when none of the listings shown states that it meets every limit")
    notes: list[str] = Field(description="what the page leaves out or why (dismissed or suspicious listings kept "
                             "off, the narrowest constraint), in the page's language")
    language: str = Field(description="the page's language (ja or en): the profile's, stated or detected")
    support: PageSupportOut | None = Field(None, description="support near the home, once per page; null without "
                                           "a home in Japan")
    results: list[RecommendationOut]


class SupportOut(BaseModel):
    snapshot_version: str
    status: SupportStatus = Field(
        description="found | none_within_radius (support data is loaded, none of the types within the radius) | "
        "not_loaded (the snapshot holds no support offices: nothing is known) | no_point (the place cannot be "
        "placed: no centroid for it) | outside_japan")
    place: PlaceOut
    service_types: list[ServiceType]
    radius_km: float
    offices: list[SupportOfficeOut] = Field(description="nearest first")
    offices_loaded: bool
    unplaced_offices: int = Field(description="offices of the snapshot that have neither coordinates nor a "
                                  "municipality centroid, so no search finds them")
    hellowork_loaded: bool
    hellowork_offices: list[str] = Field(description="the Hello Work office(s) in charge of the place: a postcode "
                                         "exception first, then the municipality's (a ward's city's)")


class ProblemOut(BaseModel):
    field: str = Field(description="where: a dotted path into the body (constraints.remote, needs.0), or "
                       "query.<name> / path.<name>; 'body' for the body as a whole")
    problem: str = Field(description="what is wrong and what to do; never the value given")


class ErrorOut(BaseModel):
    """The body of every 4xx and 5xx answer (api.errors)."""

    status: int = Field(description="the HTTP status, repeated")
    error: ErrorCode = Field(description="the kind of error, one per distinct cause")
    detail: str = Field(description="what went wrong and what to do, in plain words; names ids, never content")
    problems: list[ProblemOut] = Field(description="the fields at fault (invalid requests); empty otherwise")


class ProfileCreatedOut(BaseModel):
    id: str
    embedding_model: str


class EmbeddingExport(BaseModel):
    model: str | None
    dimension: int | None
    vector: list[float] | None


class GrantOut(BaseModel):
    counselor_key_id: str
    granted_by: str = Field(description="the owner that granted it: 'org:<organisation>' or 'key:<key id>'")
    granted_at: str
    withdrawn_at: str | None = Field(description="set once the person withdrew the grant")


class ProfileExportOut(BaseModel):
    id: str
    created_at: str
    profile: dict[str, Any]
    embedding: EmbeddingExport
    feedback: list[dict[str, Any]]
    owner: str | None = Field(description="'org:<organisation>' or 'key:<key id>'; null for a profile stored "
                              "before API keys")
    grants: list[GrantOut] = Field(description="counselor keys given access, withdrawn ones included")


class ProfileOut(BaseModel):
    id: str
    created_at: str
    profile: dict[str, Any]


class ProfileListItem(BaseModel):
    id: str
    created_at: str
    access: Literal["owner", "granted", "unowned"] = Field(
        description="owner: the key's own (or its organisation's); granted: given to this counselor key; "
                    "unowned: stored before API keys (admin keys only)")


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    counselor_key_id: str = Field(pattern=r"^k[0-9a-f]{10}$", description="the id of the counselor's API key")
    consent: bool = Field(description="must be true: the person agrees that this counselor sees their profile")


class OwnerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    org: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="a new owner organisation")
    key_id: str | None = Field(None, pattern=r"^k[0-9a-f]{10}$",
                               description="or a key without organisation to own the profile")


class OwnerOut(BaseModel):
    id: str
    owner: str


class DeletedOut(BaseModel):
    id: str
    erased: dict[str, int]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    profile_id: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    listing_id: str = Field(min_length=1, max_length=200)
    action: FeedbackAction


class FeedbackOut(BaseModel):
    id: str
    profile_id: str
    listing_id: str
    action: FeedbackAction
