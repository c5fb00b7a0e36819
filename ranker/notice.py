"""The notice at the top of a page when few listings fit now: said plainly, in the profile's
language, with the one change that would show the most more listings.

A page never pretends: when fewer than k listings pass every constraint and the relevance
floor, the notice says so, the nearest listings follow (each with what it misses), and the
narrowest constraint — the one whose removal adds the most listings — is named as what to widen.
When the page is full but not one of its listings states that it meets every limit (each passes
only because it does not say), an ``unconfirmed`` notice says that, naming what most of them
leave unsaid.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.text.language import detect_language
from ranker.profile import AptitudeProfile
from ranker.wording import Names


@dataclass
class Notice:
    """``kind`` is ``few_fit`` (fewer than k fit) or ``unconfirmed`` (none of the listings shown
    states that it meets every limit). For few_fit, ``widen`` names the narrowest constraint
    (None when no constraint narrows the page: then the relevance floor does, and the message asks
    for other titles or skills) and ``widen_adds`` is how many listings removing it would add; for
    unconfirmed, ``widen`` names the constraint most of the listings shown do not state."""

    kind: str
    message: str
    widen: str | None = None
    widen_adds: int = 0


def page_language(profile: AptitudeProfile) -> str:
    """The profile's language (stated, else detected from its text): ja or en."""
    return "ja" if (profile.language or detect_language(profile.query_text())) == "ja" else "en"


def few_fit_notice(matching: int, narrowest: str | None, adds: int, language: str) -> Notice:
    """The notice for a page with fewer than k full matches (`matching` of them)."""
    ja = language == "ja"
    if matching == 0:
        head = ("いまの条件に合う求人は見つかりませんでした。近い求人を、合わない点とあわせて表示します。" if ja else
                "No listing fits what you asked for right now. The nearest ones follow, each with what it misses.")
    else:
        head = (f"いまの条件に合う求人は{matching}件だけです。"
                "続いて近い求人を、合わない点とあわせて表示します。" if ja else
                f"Only {matching} listing(s) fit what you asked for right now. The nearest ones follow, "
                "each with what it misses.")
    if narrowest is not None and adds > 0:
        label = Names.of("constraint", [narrowest]).render("ja" if ja else "en")
        tail = (f"「{label}」を広げると、{adds}件の求人が加わります。" if ja else
                f"Widening {label} would add {adds} listing(s).")
    else:
        narrowest, adds = None, 0
        tail = ("ほかにできそうな職種やスキルを加えると、見つかる求人が増えます。" if ja else
                "Adding other job titles or skills you could use would find more.")
    return Notice(kind="few_fit", message=head + tail if ja else f"{head} {tail}", widen=narrowest, widen_adds=adds)


def unconfirmed_notice(unstated: str, language: str) -> Notice:
    """The notice for a full page none of whose listings states that it meets every limit;
    ``unstated`` is the constraint most of them leave unsaid."""
    ja = language == "ja"
    label = Names.of("unstated", [unstated]).render("ja" if ja else "en")
    message = ("表示した求人は、どれもご希望の条件をすべて満たすとは書いていません"
               f"（多くは{label}が書かれていません）。"
               "それぞれ書かれていない点を表示します。応募の前に確かめてください。" if ja else
               f"None of these listings says it meets everything you asked for (most do not say {label}). "
               "Each shows what it does not say; check before you apply.")
    return Notice(kind="unconfirmed", message=message, widen=unstated, widen_adds=0)
