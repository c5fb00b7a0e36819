"""Request and response models. Inputs forbid unknown fields; outputs are what we promise."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ErrorCode
from ranker.profile import AptitudeProfile

ProfileIn = AptitudeProfile


class Health(BaseModel):
    status: str
    snapshot_version: str | None
    listings: int
    open_listings: int
    embedding_model: str


class SalaryOut(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    unit: str | None = None
    text: str | None = None


class ReasonOut(BaseModel):
    kind: str = Field(
        description="relevance | interest | need | feedback | constraint (a limit the listing states and meets) | "
        "unknown (a limit the listing does not state) | caveat | misses | lacks"
    )
    text: str = Field(description="the reason in plain words, in the page's language (ja or en); evidence stays "
                      "in the listing's own words")
    tag: str | None = None
    evidence: str | None = None
    source: str | None = None


class RecommendationOut(BaseModel):
    rank: int
    id: str
    title: str
    employer: str | None
    location: str = Field(description="the listing's places (and remote), or that it states none, in the page's "
                          "language")
    url: str | None
    apply_url: str | None
    remote: str | None
    employment_types: list[str]
    salary: SalaryOut | None
    language: str | None
    score: float
    score_parts: dict[str, float]
    misses: list[str] = Field(description="constraints this nearest match does not meet, and 'relevance' when it "
                              "is below the relevance floor (empty for full matches)")
    reasons: list[ReasonOut]


class NoticeOut(BaseModel):
    kind: str = Field(description="few_fit: fewer listings than asked for fit now, the nearest follow; "
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
    results: list[RecommendationOut]


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
    action: Literal["saved", "dismissed", "applied"]


class FeedbackOut(BaseModel):
    id: str
    profile_id: str
    listing_id: str
    action: str
