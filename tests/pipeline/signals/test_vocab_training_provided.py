"""`training_provided` phrasings beyond the stock words, and training that is not given to the
person hired: care qualifications to hold (初任者研修), 研修医, training the job delivers to others."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "training_provided"



@pytest.mark.parametrize("text", [
    "研修カリキュラムが充実しています。",
    "入社後1ヶ月間の研修で基礎を学べます。",
    "教育体制が整っているので安心です。",
    "プリセプター制度があります。",
    "独り立ちするまで先輩がマンツーマンでつきます。",
    "eラーニング教材を使って自分のペースで学べます。",
    "働きながら少しずつ覚えていけば大丈夫です。",
    "先輩スタッフと一緒に現場を回りながら覚えてください。",
    "基本から丁寧に指導します。",
    "最初の数日は見学中心です。",
    "You'll be paired with an onboarding buddy.",
    "New starters attend a two-week induction course.",
    "Learn on the job from experienced colleagues.",
    "You will receive full training in our systems.",
    "Spend your first days shadowing a senior technician.",
    "We train new hires to become certified installers.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "We do not offer training for this position.",
    "There is no formal onboarding for contractors.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "介護職員初任者研修修了者の方。",
    "研修医の指導も担当していただきます。",
    "社員への研修を行う講師のお仕事です。",
    "旧介護職員基礎研修修了者。",
    "You will provide training to end users on the new system.",
    "PhD or extensive training in statistics.",
    "Experience with the shadow DOM.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "充実の研修制度で安心。",
    "月1回の勉強会を開催しています。",
    "介護福祉士の資格取得を全面的に支援します。",
    "資格の取得費用は会社が全額負担します。",
    "教育担当の先輩がつきます。",
    "新人教育に力を入れています。",
    "We'll fully train you in the kitchen.",
    "Training will be given on site.",
    "A paid traineeship with a day release to college.",
    "Nurses join a 12-week preceptorship.",
])
def test_raises_other_wordings(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "研修中は時給1,100円です。",
    "Earn while you learn on our apprenticeship.",
    "One day release to college each week.",
    "You won't be thrown in at the deep end.",
])
def test_raises_when_implied(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "手取り足取り教えます。",
    "先輩が優しく教えます。",
    "入社後は基本的な操作から覚えていただきます。",
    "We teach you everything on site.",
    "You'll be supported by a dedicated mentor.",
    "Get paid while you train.",
])
def test_raises_in_more_words(text: str) -> None:
    assert TAG in _sides(text)[0]
