"""Whitespace squashing and HTML-to-text on real description markup."""

from __future__ import annotations

import html
import json

import pytest

from pipeline.text.normalize import html_to_text, squash_spaces, unescape_markup
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA


@pytest.mark.parametrize("bad", [None, 5, b"x", ["a"]])
def test_bad_input(bad: object) -> None:
    assert squash_spaces(bad) == ""  # type: ignore[arg-type]
    assert html_to_text(bad) == ""  # type: ignore[arg-type]


def test_squash_spaces() -> None:
    assert squash_spaces("  a \t b \r\n\r\n\n  c  ") == "a b\nc"


def test_html_to_text_structure() -> None:
    html = (
        "<h2>【給与】</h2>月給 : 30万円～<br />想定年収：550万円～700万円<br><br>"
        "<ul><li>在宅有り</li><li><p>年間休日120日以上</p></li></ul>"
        "<p>A &amp; B&nbsp;&lt;b&gt; &#x2F; &#12354;</p><script>var x = '<p>';</script><!-- note -->"
        "<table><tr><td>勤務地</td><td>東京都</td></tr></table>"
    )
    assert html_to_text(html) == (
        "【給与】\n月給 : 30万円～\n想定年収：550万円～700万円\n・在宅有り\n・年間休日120日以上\n"
        "A & B <b> / あ\n勤務地\t東京都"
    )


def test_plain_text_is_only_squashed() -> None:
    assert html_to_text("月給：355,000円\n\n\n※月給には一律夜勤手当") == "月給：355,000円\n※月給には一律夜勤手当"


def test_real_descriptions() -> None:
    path = DATA / "jobposting_pages" / "expected_jobposting_jsonld.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    postings = {
        page["file"].split("/")[-1]: page["jobpostings"][0]
        for page in json.loads(path.read_text(encoding="utf-8"))
        if page["jobpostings"]
    }
    papercut = html_to_text(postings["indeed_job.html"]["description"])
    assert papercut.startswith("Company Description\nAt PaperCut, we believe two things:")
    assert "\n・Build the Foundation: You’re responsible" in papercut
    assert "<" not in papercut
    cme = html_to_text(postings["cme-pharmacist.html"]["description"]).split("\n")
    assert cme[:4] == [
        "【雪が谷大塚駅】駅チカ/残業0でプライべート充実！年間休日120日以上！！",
        "・在宅有り",
        "・年間休日120日以上",
        "・管理薬剤師",
    ]
    assert "月給 : 30万円～" in cme
    test_html = html_to_text(postings["test.html"]["description"])
    assert "【給与】\n年収 4,560,000円〜6,360,000円\n" in test_html


def test_html_to_text_tags_in_any_case_and_entities_next_to_each_other() -> None:
    html = (
        "<P>A&amp&nbsp;B &quot;q&quot; &#39;s&#39;</P><UL><Li>one</LI><li>two</li></UL>"
        "<TABLE><TR><Td>x</TD><th>y</TH></TR></TABLE>"
    )
    assert html_to_text(html) == "A& B \"q\" 's'\n・one\n・two\nx\ty"


def test_html_to_text_entity_line_breaks_and_stray_brackets() -> None:
    assert html_to_text("<p>a&#10;b</p><p>c&#9;&#9;d</p>") == "a\nb\nc\td"
    # A "<" with no ">" after it is text; one followed by another tag swallows up to its ">".
    assert html_to_text("<p>1 < 2</p>") == "1"
    assert html_to_text("<p>x</p>1 < 2") == "x\n1 < 2"


def test_unescape_markup_equals_html_unescape_on_real_and_tricky_text() -> None:
    from tests.conftest import FIXTURES

    jobs = json.loads((FIXTURES / "payloads" / "greenhouse_smarterdx_jobs_content.json").read_text("utf-8"))["jobs"]
    samples = [job["content"] for job in jobs]
    assert all("&lt;" in s for s in samples)
    samples += ["&amp;lt;p&amp;gt;", "&amp&lt;", "Fish &amp; Chips &nbsp;", "&#8217;s &lt;b&gt;", "a & b", "",
                "no entities", "&lt", "&AMP;", "&quot;quoted&quot; &#39;single&#39;"]
    for text in samples:
        assert unescape_markup(text) == html.unescape(text), text
    assert unescape_markup(samples[0]).startswith("<")
