"""Supportive tags raised inside equal-opportunity / legal boilerplate become policy tags."""

from __future__ import annotations

from pipeline.signals.boilerplate import boilerplate_ranges
from pipeline.signals.supportiveness import WEIGHTS
from pipeline.signals.tagger import POLICY_TAGS, SUPPORTIVE_TAGS, tag_text
from pipeline.signals.vocabulary import policy_of, signal_tags
from ranker.profile import LISTING_NEEDS

# Real paragraphs (Lever and Remote OK payloads in ../shared/data/ats_api_responses).
PALANTIR = (
    "If you want to empower the world's most important institutions, you belong here. Palantir values excellence "
    "regardless of background. We are proud to be an Equal Opportunity Employer for all, including but not limited "
    "to Veterans and those with disabilities. Palantir is committed to making the application and hiring process "
    "accessible to everyone and will provide a reasonable accommodation for those living with a disability. If you "
    "need an accommodation for the application or hiring process, please reach out and let us know how we can help."
)
AERA = (
    "Aera Technology is an equal opportunity employer. Qualified applicants will receive consideration for "
    "employment without regard to race, color, religion, sex, sexual orientation, gender perception or identity, "
    "national origin, age, marital status, protected veteran status, or disability status. Pursuant to the San "
    "Francisco Fair Chance Ordinance, Aera Technology will consider for employment qualified applicants with arrest "
    "and conviction records."
)
MARKARCH = (
    "The application for this position may request a short, job relevant assessment (approximately 30 minutes) as "
    "part of our multi-stage interview process. Reasonable accommodations are available for this assessment."
)


def _tags(text: str, lang: str = "en") -> dict[str, str]:
    return {s["tag"]: s["evidence"] for s in tag_text(text, lang)}


def test_an_accommodation_in_an_eeo_paragraph_is_a_policy() -> None:
    assert _tags(PALANTIR) == {"accommodation_policy": "reasonable accommodation"}


def test_a_fair_chance_notice_in_an_eeo_paragraph_is_a_policy() -> None:
    assert _tags(AERA) == {"fair_chance_policy": "Fair Chance"}


def test_an_offer_on_its_own_line_keeps_its_tag() -> None:
    assert _tags(MARKARCH) == {"accommodations": "Reasonable accommodations"}
    listing = f"Job Summary\n{MARKARCH}\n{AERA}"
    assert set(_tags(listing)) == {"accommodations", "fair_chance_policy"}


def test_japanese_template_phrases() -> None:
    text = "当社は男女雇用機会均等法を遵守し、公正な採用選考を行います。選考時の合理的配慮についてはご相談ください。"
    assert set(_tags(text, "ja")) == {"accommodation_policy"}
    assert set(_tags("通院への配慮があります。", "ja")) == {"accommodations"}


def test_boilerplate_is_found_per_line() -> None:
    text = "we are hiring.\nwe are an equal opportunity employer.\nwelcome!"
    assert boilerplate_ranges(text) == [(15, 52)]


def test_policy_tags_are_not_needs_and_weigh_nothing() -> None:
    assert POLICY_TAGS == signal_tags("policy") == ("accommodation_policy", "fair_chance_policy")
    assert not set(POLICY_TAGS) & set(LISTING_NEEDS)
    assert not set(POLICY_TAGS) & set(WEIGHTS)
    assert set(policy_of()) <= set(SUPPORTIVE_TAGS)
