"""`no_experience_ok` phrasings beyond the stock words, its negated forms, and experience
requirements that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "no_experience_ok"



@pytest.mark.parametrize("text", [
    "未経験でも問題ありません。",
    "未経験の方を歓迎します。",
    "販売の経験がなくても大丈夫です。",
    "資格や経験がない方も応募できます。",
    "経験の有無は問いません。",
    "年齢・経験・学歴は関係ありません。",
    "接客が初めての方も多数活躍中です。",
    "スキルゼロからでも始められます。",
    "イチから丁寧に教えます。",
    "異業種から転職したスタッフが多い職場です。",
    "前職の職種は問いません。",
    "No sales experience is needed.",
    "You don't need a degree to apply.",
    "Experience in hospitality is helpful but not required.",
    "Whether you're new to the trade or not, we'd like to meet you.",
    "Never worked in a kitchen before? No problem.",
    "Complete beginners welcome.",
    "All experience levels are welcome.",
    "We'll teach you everything you need.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "未経験の方はご応募いただけません。",
    "本求人は未経験者は対象外です。",
    "職種未経験の方の応募はご遠慮ください。",
    "経験のない方はお断りしています。",
    "実務経験が5年以上ある方を求めます。",
    "We cannot consider applicants who are new to the industry.",
    "3-5 years in a customer-facing role.",
    "Previous experience with payroll software is essential.",
    "Only applicants with a proven track record will be shortlisted.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "New to LinkedIn? Join now",
    "経験豊富なスタッフが在籍しています。",
    "初めてご来店のお客様にもわかりやすくご案内します。",
    "ゼロから新規事業を立ち上げるポジションです。",
    "We have a new office in Leeds.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "未経験者積極採用中！",
    "未経験からプロを目指せます。",
    "スタッフの8割が未経験スタートです。",
    "専門知識がなくても大丈夫です。",
    "誰でもできる簡単な軽作業です。",
    "経験よりも人柄を重視します。",
    "Zero experience? We'll get you started.",
    "Open to applicants with or without experience.",
    "Freshers are welcome to apply.",
    "We hire for attitude and train for skill.",
    "Even if you haven't worked in a shop, you can apply.",
])
def test_raises_other_wordings(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "未経験の方の応募は受け付けていません。",
    "This is not an entry-level position.",
    "Entry-level applicants will not be considered.",
    "Applicants without relevant experience will not be considered.",
])
def test_speaks_against_in_other_words(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", ["未経験の方は問題ありません。", "未経験の方は大歓迎です。"])
def test_a_negation_that_says_yes_still_raises(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in raised
    assert TAG not in against


@pytest.mark.parametrize("text", ["No degree? No problem.", "A degree is not a requirement for this role."])
def test_raises_when_a_degree_is_not_asked_for(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "営業をやったことがない方も歓迎します。",
    "ド素人でもOKです。",
    "初めてのお仕事でも丁寧に説明します。",
    "経験者・未経験者問わず募集します。",
    "必要なスキルは入社後に身につけられます。",
    "Experience isn't necessary for this job.",
    "You don't have to have any experience.",
    "Career changers are welcome.",
    "Your attitude matters more than your CV.",
])
def test_raises_in_more_words(text: str) -> None:
    assert TAG in _sides(text)[0]
