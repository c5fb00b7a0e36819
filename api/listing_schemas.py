"""Response and request models of the listing routes, the paged recommendations of a stored
profile, profile updates and the operator's refresh and source routes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import Evidence, HoursOut, OccupationOut, RecommendationsOut, SalaryOut

NEXT_CURSOR = Field(description="pass as `cursor` to get the next page; null on the last page. Valid for the "
                                "snapshot it was made on only (410 once another one is served)")


class PlaceOut(BaseModel):
    country: str | None = None
    region: str | None = None
    locality: str | None = None
    postal_code: str | None = None


class EmployerOut(BaseModel):
    name: str | None = None
    normalized_name: str | None = None
    registry_tags: list[Evidence] = Field(default_factory=list,
                                          description="certifications and registries the employer is listed in")


class ListingSummaryOut(BaseModel):
    id: str
    title: str
    employer: str | None
    places: list[PlaceOut]
    remote: str | None = Field(description="onsite | hybrid | remote; null when the listing does not say")
    employment_types: list[str]
    salary: SalaryOut | None
    hours_per_week: HoursOut | None
    language: str | None
    posted_at: str | None = Field(description="date_posted, else when ippo first saw the listing (UTC)")
    tags: list[str] = Field(description="the listing's signal tags and its employer's registry tags")
    url: str | None
    apply_url: str | None
    score: float | None = Field(description="the text query's lexical score (0-1); null without a query")


class ListingsPageOut(BaseModel):
    snapshot_version: str
    matching: int = Field(description="open listings matching the query and every filter (all pages)")
    ordered_by: Literal["text", "posted"] = Field(description="text: best match first; posted: newest first")
    results: list[ListingSummaryOut]
    next_cursor: str | None = NEXT_CURSOR


class HistoryChangeOut(BaseModel):
    at: str | None
    change: str = Field(description="new | changed | closed | reopened")
    fields: list[str] = Field(description="the fields that changed (for 'changed')")
    reason: str | None


class HistoryOut(BaseModel):
    changes: int = Field(description="how many changes the warehouse recorded for the listing")
    by_kind: dict[str, int]
    recent: list[HistoryChangeOut] = Field(description="the latest changes, newest first (at most 5)")


class ListingDatesOut(BaseModel):
    date_posted: str | None
    valid_through: str | None
    first_seen: str | None
    last_seen: str | None


class ListingOut(BaseModel):
    snapshot_version: str
    id: str
    title: str
    status: str = Field(description="open | closed")
    open: bool = Field(description="served in searches and recommendations now (open, not a duplicate, not "
                                   "expired)")
    duplicate_of: str | None
    url: str | None
    apply_url: str | None
    language: str | None
    description: str = Field(description="the start of the description, as served")
    employer: EmployerOut
    signals: list[Evidence] = Field(description="what the listing says, tagged, each with its words")
    supportiveness: float
    hours_per_week: HoursOut | None
    salary: SalaryOut | None
    places: list[PlaceOut]
    remote: str | None
    remote_regions: list[str] = Field(description="where a remote job may be done from: ISO country codes or "
                                                  "ANYWHERE; empty when not stated")
    employment_types: list[str]
    occupation: OccupationOut | None
    seniority: str | None
    experience_years_min: float | None
    suspicious: list[str] = Field(description="why the listing looks dubious; empty when nothing was found")
    dates: ListingDatesOut | None = Field(description="null when the served snapshot's file is no longer on disk")
    history: HistoryOut | None = Field(description="null when the served snapshot holds no history of listings")


class RecommendationsPageOut(RecommendationsOut):
    next_cursor: str | None = NEXT_CURSOR


class ProfileUpdatedOut(BaseModel):
    id: str
    changed: list[str] = Field(description="the top-level fields whose value changed")
    embedding_refreshed: bool = Field(description="the cached query embedding was computed again (the text "
                                                  "relevance is measured against changed)")


SourceName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sources: list[SourceName] = Field(default_factory=list, max_length=100,
                                      description="sources named in sources.toml; empty or left out: every "
                                                  "enabled source")


class SourceProgressOut(BaseModel):
    source: str
    status: Literal["running", "done", "failed"]
    items: int | None = Field(description="items the crawl wrote")
    requests: int | None
    invalid_jsonld: int | None = Field(description="JSON-LD blocks that could not be read")
    errors: list[str] = Field(description="why the crawl failed; empty when it did not")
    elapsed_s: float | None


class StepOut(BaseModel):
    step: Literal["crawl", "load", "publish"]
    status: Literal["pending", "running", "done", "failed"]
    elapsed_s: float | None
    items: int | None = Field(description="crawl: items written; load: items read; publish: listings published")
    errors: int | None = Field(description="crawl: sources that failed; load: items quarantined")
    summary: list[str] = Field(description="what the step reported, line by line")
    sources: list[SourceProgressOut] = Field(description="crawl only: one entry per source")


class RunOut(BaseModel):
    id: str
    status: Literal["running", "succeeded", "failed"]
    sources: list[str] = Field(description="the sources asked for (empty: every enabled source)")
    started_at: str
    finished_at: str | None
    elapsed_s: float
    exit_code: int | None
    snapshot_version: str | None = Field(description="the snapshot the run published, once published")
    error: str | None = Field(description="why the run failed, when it did")
    log: str = Field(description="the run's full output, on the server")
    steps: list[StepOut]


class SourceHealthOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    source: str
    spider: str
    enabled: bool
    last_run: str | None
    last_run_ok: bool | None
    last_success: str | None
    items: int | None
    requests: int | None
    error_rate: float | None
    errors: dict[str, Any]
    error: str | None
    consecutive_failures: int
    next_due: str | None
    due: bool
