"""Why a listing looks dubious: commission only, pay to start, multi-level marketing.

Real dubious listings are rare in the shared data: one Greenhouse title says "Commission Only";
the other positive sentences below are written (marked so), in the phrasings such listings use.
The real listings checked for false flags: all 137 normalizable ATS payloads of
tests/fixtures/payloads and ../shared/data/ats_api_responses, the 30 Hello Work listings and the
40,786 Greenhouse titles: the only flag is that one real "Commission Only" title (precision 1.00
on this sample; recall cannot be measured on it).
"""

from __future__ import annotations

import csv

import pytest

from pipeline.fields.suspicious import suspicious_reasons
from tests.conftest import shared_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales Representative (Commission Only, Uncapped Earnings)", ["commission_only"]),  # real title
        # Written, in the phrasings such listings use.
        ("This is a 100% commission role with unlimited earning potential.", ["commission_only"]),
        ("給与：完全歩合制（成果に応じてお支払いします）", ["commission_only"]),
        ("報酬はフルコミッションです。", ["commission_only"]),
        ("Purchase a starter kit for $99 to get started.", ["pay_to_start"]),
        ("You pay a one-time registration fee of $49 before your first shift.", ["pay_to_start"]),
        ("登録料5,000円が必要です。", ["pay_to_start"]),
        ("研修費用は自己負担となります。", ["pay_to_start"]),
        ("Join our network marketing team and earn from home!", ["mlm"]),
        ("Be your own boss! Recruit others and build your team.", ["mlm"]),
        ("ネットワークビジネスで副収入を得ませんか", ["mlm"]),
        # Negations and ordinary pay: never flagged.
        ("This is not a commission only role: base salary plus commission.", []),
        ("Base salary + uncapped commission", []),
        ("固定給＋歩合制（インセンティブあり）", []),
        ("完全歩合制ではありません。固定給です。", []),
        ("We will never ask you to pay a registration fee or buy equipment.", []),
        ("登録料・研修費は一切かかりません。", []),
        ("研修費は会社負担です。", []),
        ("We are not an MLM.", []),
        ("Be your own boss with flexible hours as a delivery driver.", []),
        ("Associate Commission Specialist", []),  # real title: a job about commissions
    ],
)
def test_reasons(text: str, expected: list[str]) -> None:
    assert suspicious_reasons(text) == expected


def test_no_false_flag_on_real_hello_work_listings() -> None:
    path = shared_data("ja_jobs_hellowork/hellowork_2026-01_mie_it_jobs_takezo77.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 30
    assert [row for row in rows if suspicious_reasons("\n".join(v or "" for v in row.values()))] == []


def test_odd_input() -> None:
    assert suspicious_reasons("") == []
    assert suspicious_reasons(None) == []  # type: ignore[arg-type]
