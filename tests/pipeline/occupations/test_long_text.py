"""Long texts (resumes): their title-like lines, and the title view built from them."""

from __future__ import annotations

import numpy as np

from pipeline.occupations.long_text import is_heading, title_lines
from pipeline.occupations.model import get_matcher

# A made-up resume in the shape of the labelled ones: headings, skill lines with durations,
# label lines, bullets (one of them in its mojibake form) and long sentences.
RESUME = """Education Details
 B.E. Mechanical Engineering, Pune University
Payroll Specialist

Skill Details
Payroll processing- Exprience - 24 months
Excel - Experience - Less than 1 year months
Company Details
company - Acme Tools Pvt Ltd
description - Handled monthly salary runs for 300 employees and statutory filings.
\u2022 Payroll Clerk
\u00e2?\u00a2 Timekeeping
"""


def test_title_lines_keep_short_lines_and_drop_headings_durations_and_labels() -> None:
    assert title_lines(RESUME) == [
        "Payroll Specialist",
        "Payroll processing",
        "Excel",
        "Acme Tools Pvt Ltd",
        "Payroll Clerk",
        "Timekeeping",
    ]
    assert title_lines("One long sentence about many things that never names a job at all.") == []


def test_headings_are_lines_of_heading_words_only() -> None:
    assert is_heading("Skill Details") and is_heading("WORK EXPERIENCE:") and is_heading("Personal information")
    assert not is_heading("Software Engineer") and not is_heading("") and not is_heading("Project Manager")


def test_a_long_text_is_matched_by_its_title_lines_and_titles_are_unchanged() -> None:
    matcher = get_matcher("onet")
    titles = ["Registered Nurse", "Forklift Operator"]
    views = matcher.components([titles[0], RESUME, titles[1]], use_dense=False)
    alone = matcher.lexical.title_scores(titles)
    np.testing.assert_array_equal(views["title"][[0, 2]], alone)
    best = matcher.codes[int(np.argmax(views["title"][1]))]
    assert best == "43-3051.00"  # Payroll and Timekeeping Clerks
    # per occupation, the mean of its three best line scores
    lines = matcher.lexical.title_scores(title_lines(RESUME))
    np.testing.assert_allclose(views["title"][1], np.sort(lines, axis=0)[-3:].mean(axis=0), rtol=1e-6)


def test_a_long_text_without_title_lines_is_scored_whole() -> None:
    text = " ".join(["Maintained hydraulic presses and repaired conveyor belts in a large bottling plant"] * 2)
    lexical = get_matcher("onet").lexical
    np.testing.assert_array_equal(lexical.long_title_scores([text]), lexical.title_scores([text]))
