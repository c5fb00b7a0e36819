"""The words of the reasons, one table per language: English (``en``) and Japanese (``ja``).

Every reason the ranker gives (ranker.explain and the modules it calls) is written from these
tables, so the two languages say the same things and stay side by side. A reason is a template
key and its values; :func:`say` fills the template of the page's language
(``ranker.notice.page_language``). Values are either plain (numbers, the listing's or the
person's own words, which stay as they were written) or :class:`Names`: codes such as
``PART_TIME``, ``night_shift`` or ``JP``, shown in each language's words (パート・アルバイト,
夜勤, 日本). A template may leave a value out: English keeps codes where it always showed them.

Japanese is written for a person coming back to work: です・ます, plain words, nothing that
blames; what a listing does not state is said as 「書かれていません」, never as a fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")

# How each language joins the items of a list of names, and the tables joined otherwise.
_JOINER = {"en": ", ", "ja": "、"}
_TABLE_JOINER = {"ja": {"interest": "・"}}

# Names of codes, by table. A code missing from a table is shown as it is.
NAMES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        # Supportive tags a person may need.
        "need": {
            "no_experience_ok": "no experience needed",
            "career_gap_ok": "a gap in work history is welcome",
            "remote_ok": "can be done from home",
            "short_hours": "short hours possible",
            "flexible_schedule": "you choose days or hours",
            "training_provided": "training is provided",
            "gradual_start": "a trial or step-by-step start",
            "disability_employment": "a disability employment position",
            "accommodations": "adjustments to how the work is done",
            "on_the_job_support": "a person supports you in the job",
            "low_social_load": "little customer or phone contact",
            "neurodiversity": "a neurodiversity programme",
            "fair_chance": "open to people with a record",
            "youth_friendly": "aimed at first-time workers",
            "income_cap_friendly": "hours and pay can stay under a benefit limit",
        },
        "suspicious": {
            "commission_only": "pay is commission only",
            "pay_to_start": "asks you to pay before you start",
            "mlm": "looks like multi-level marketing (income from recruiting others)",
        },
        # Languages a listing is written in.
        "language": {"ja": "Japanese", "en": "English", "other": "another language"},
        # A constraint, as the person is asked to widen it and as the page names it.
        "constraint": {"remote": "the remote setting", "location": "the places",
                       "employment_type": "the employment types", "hours": "the hours limit",
                       "min_salary": "the minimum pay", "commute": "the distance from home",
                       "avoid": "the things to avoid"},
        # What listings leave unsaid, by constraint.
        "unstated": {"remote": "whether the work is remote", "location": "where the work is",
                     "employment_type": "the employment type", "hours": "the hours", "min_salary": "the pay",
                     "commute": "the municipality of the workplace"},
        # Employment-support services (WAM NET service types, ranker.support).
        "service_type": {
            "shuro_ikou": "transition to employment (就労移行支援)",
            "shuro_keizoku_a": "continued employment, type A (就労継続支援A型)",
            "shuro_keizoku_b": "continued employment, type B (就労継続支援B型)",
            "shuro_teichaku": "job retention support (就労定着支援)",
            "jiritsu_kunren_seikatsu": "independent-living training (自立訓練・生活訓練)",
            "jiritsu_kunren_kinou": "functional training (自立訓練・機能訓練)",
        },
        "interest": {
            "R": "R (Realistic)", "I": "I (Investigative)", "A": "A (Artistic)", "S": "S (Social)",
            "E": "E (Enterprising)", "C": "C (Conventional)",
        },
    },
    "ja": {
        "need": {
            "no_experience_ok": "未経験でも応募できる",
            "career_gap_ok": "働いていない期間（ブランク）があっても歓迎",
            "remote_ok": "在宅で働ける",
            "short_hours": "短い時間で働ける",
            "flexible_schedule": "働く日や時間を選べる",
            "training_provided": "研修や指導がある",
            "gradual_start": "お試しの期間や、少しずつ慣れていく始め方がある",
            "disability_employment": "障害者雇用の求人",
            "accommodations": "働き方への配慮がある",
            "on_the_job_support": "職場で支えてくれる人がいる",
            "low_social_load": "接客や電話が少ない",
            "neurodiversity": "発達障害などの特性を活かす取り組みがある",
            "fair_chance": "過去に罪を犯した人も応募できる",
            "youth_friendly": "はじめて働く人や若い人に向けた求人",
            "income_cap_friendly": "扶養や給付の範囲内に収まるよう、時間や収入を調整できる",
        },
        # Facts a person may avoid.
        "avoid": {
            "night_shift": "夜勤", "rotating_shift": "交替制の勤務", "sales_quota": "ノルマ",
            "heavy_overtime": "多い残業", "relocation": "転勤",
        },
        "suspicious": {
            "commission_only": "給与が完全歩合制です（成果がなければ収入がありません）",
            "pay_to_start": "働き始める前にお金を払うよう求めています",
            "mlm": "マルチ商法（人を勧誘して収入を得る仕組み）のようです",
        },
        "service_type": {
            "shuro_ikou": "就労移行支援", "shuro_keizoku_a": "就労継続支援A型", "shuro_keizoku_b": "就労継続支援B型",
            "shuro_teichaku": "就労定着支援", "jiritsu_kunren_seikatsu": "自立訓練（生活訓練）",
            "jiritsu_kunren_kinou": "自立訓練（機能訓練）",
        },
        # RIASEC interests by the names job tag uses (職業興味), joined with ・ (ranker.aptitude).
        "interest": {"R": "現実的", "I": "研究的", "A": "芸術的", "S": "社会的", "E": "企業的", "C": "慣習的"},
        "employment_type": {
            "FULL_TIME": "正社員・フルタイム", "PART_TIME": "パート・アルバイト", "CONTRACTOR": "業務委託",
            "TEMPORARY": "期間限定・臨時", "INTERN": "インターン", "VOLUNTEER": "ボランティア",
            "PER_DIEM": "単発・日払い", "OTHER": "その他",
        },
        "language": {"ja": "日本語", "en": "英語", "other": "ほかの言語"},
        "constraint": {"remote": "在宅勤務の条件", "location": "勤務地", "employment_type": "雇用形態",
                       "hours": "勤務時間の上限", "min_salary": "給与の下限", "commute": "自宅からの距離",
                       "avoid": "避けたい条件"},
        "unstated": {"remote": "在宅勤務かどうか", "location": "勤務地", "employment_type": "雇用形態",
                     "hours": "勤務時間", "min_salary": "給与", "commute": "勤務地の市区町村"},
        # Levels of a listing ("a senior role") and of a person ("your level: entry").
        "listing_level": {"entry": "初心者向け", "mid": "ある程度の経験がある人向け", "senior": "経験豊富な人向け",
                          "lead": "リーダーや管理職向け"},
        "person_level": {"none": "未経験", "entry": "初心者", "mid": "中堅", "senior": "ベテラン",
                         "lead": "リーダー・管理職"},
        "liked": {"saved": "保存した", "applied": "応募した"},
        # Countries (ISO codes) and the region tokens of remote listings (pipeline.canonical).
        "region": {
            "JP": "日本", "US": "アメリカ", "GB": "イギリス", "UK": "イギリス", "CA": "カナダ", "AU": "オーストラリア",
            "NZ": "ニュージーランド", "DE": "ドイツ", "FR": "フランス", "IE": "アイルランド", "NL": "オランダ",
            "IN": "インド", "SG": "シンガポール", "KR": "韓国", "CN": "中国", "TW": "台湾", "PH": "フィリピン",
            "ANYWHERE": "どこでも", "EU": "EU", "EUROPE": "ヨーロッパ", "NORTH_AMERICA": "北米",
            "AMERICAS": "南北アメリカ", "LATAM": "中南米", "EMEA": "ヨーロッパ・中東・アフリカ", "APAC": "アジア太平洋",
        },
        "salary_unit": {"HOUR": "時給", "DAY": "日給", "WEEK": "週給", "MONTH": "月給", "YEAR": "年収"},
        "currency": {"JPY": "円", "USD": "米ドル", "EUR": "ユーロ", "GBP": "英ポンド", "CAD": "カナダドル",
                     "AUD": "豪ドル"},
    },
}

# Templates by key. Values in braces; see the callers for what each receives.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        # relevance (ranker.explain)
        "relevance.far": "not close to what you asked for: it shares little with your titles, skills and summary",
        "relevance.title": "the title matches what you are looking for: {titles}",
        "relevance.similar": "the job's title and description resemble your profile",
        "relevance.skills": "uses your skills: {skills}",
        # needs and facts to avoid (ranker.explain)
        "need.met": "meets your need: {need}",
        "need.against": "says the opposite of: {need}",
        "need.unstated": "does not say: {need}",
        "avoid.mentioned": "mentions {spoken}",
        # constraints: what the person asked for (ranker.filters)
        "wish.remote": "fully remote work",
        "wish.onsite": "a workplace to go to (not fully remote)",
        "wish.location": "work in {places}",
        "wish.employment_type": "employment type {types}",
        "wish.hours": "at most {limit:g} hours a week",
        "wish.min_salary": "pay of at least {amount:g} {currency} per {unit_word}",
        "wish.commute": "a workplace within {limit:g} km of home (straight line)",
        "wish.avoid": "none of: {tags}",
        # constraints: what the listing does (ranker.explain)
        "constraint.meets": "fits your limit: {wish}{note}",
        "constraint.misses": "does not meet: {wish}{note}",
        "constraint.misses_unstated": "does not meet: {wish} ({unstated}, and you asked for it to be stated)",
        "caveat.hours_assumed": "hours not stated; full-time assumed to be about 35 a week",
        "note.remote_unplaced": " (remote, does not say from where)",
        "note.remote_anywhere": " (remote, open to people anywhere)",
        "note.remote_regions": " (remote, open to residents of {regions})",
        "unknown.hours": "does not say its hours",
        "unknown.hours_assumed": "does not say its hours (full-time, taken as about 35 a week)",
        "unknown.employment_type": "does not say its employment type",
        "unknown.remote": "does not say whether it is done remotely or on site",
        "unknown.location": "does not say where",
        "unknown.location_remote": "remote, does not say from where",
        "unknown.pay": "does not say its pay",
        "unknown.pay_currency": "pays in {currency}, not compared with your minimum",
        "unknown.pay_no_currency": "pays in an unstated currency, not compared with your minimum",
        "unknown.pay_period": "does not say its pay per hour, day, week, month or year",
        "unknown.commute": "does not name the municipality of the workplace, so its distance from home is not known",
        "unknown.other": "does not say: {name}",
        # interests (ranker.aptitude)
        "interest.unknown_occupation": "the occupation of this listing is not known, so interest fit was not judged",
        "interest.shared": "your strongest interests {mine} share {shared} with this occupation's {theirs} "
                           "({occupation}; {source}; fit {fit:.2f})",
        "interest.overall": "your interests resemble this occupation's overall ({occupation}; {source}; fit {fit:.2f})",
        "interest.apart": "this occupation's strongest interests are {theirs}; yours are {mine} "
                          "({occupation}; {source}; fit {fit:.2f})",
        "source.jobtag": "job tag 職業興味",
        "source.onet": "O*NET Interests",
        # experience (ranker.experience)
        "experience.level": "a {level} role; {said}",
        "experience.years": "asks for {wanted:g}+ years of experience; you have {years:g}",
        "experience.years_none": "asks for {wanted:g}+ years of experience; you have none",
        # a listing in a language the person does not read (ranker.language_fit)
        "language.unread": "written in {written}, which your profile does not list as a language you read",
        # the page's notes (ranker.recommend) and the text page (ranker.present)
        "page.dismissed_hidden": "{count} listing(s) you dismissed are not shown",
        "page.suspicious_hidden": "{count} listing(s) that look like commission-only, pay-to-start or multi-level "
                                  "marketing offers are not shown",
        "page.empty": "there are no open listings in the published data yet; run `ippo refresh`",
        "page.narrowest": "the narrowest constraint is {name} ({described})",
        "frame.header": "{matching} of {candidates} open listings meet every constraint, {confirmed} of them "
                        "stating every one (snapshot {version})",
        "frame.note": "note: {note}",
        "frame.nearest": "--- nearest listings (each misses something you asked for) ---",
        "frame.employer_unstated": "employer not stated",
        "frame.place_unstated": "not stated",
        "frame.remote": "remote",
        "frame.pay_unstated": "pay not stated",
        "frame.pay": "{amount} {currency}{per_unit}",
        "frame.per_unit": " per {unit}",
        "frame.score": "score {score}",
        "said.level": "you describe your level as {level}",
        "said.unstated": "",
        "said.beginner": "you asked for work open to people without experience",
        "said.junior_title": "you asked for {title}",
        # support near home (ranker.support, ippo support, the text page)
        "support.header": "Support near {place}",
        "support.located_coordinates": "at the coordinates given",
        "support.located_municipality": "approximate: the centre of the support offices of {name}",
        "support.located_prefecture": "approximate: the centre of the support offices of {name} (none are listed "
                                      "in your municipality)",
        "support.not_loaded": "no support offices are loaded in the published data yet, so nothing is known "
                              "about support nearby (this does not mean there is none); publish again once "
                              "support data is loaded",
        "support.no_point": "{name} cannot be placed: the published data has no support offices there; give a "
                            "nearby postcode or coordinates",
        "support.outside_japan": "support offices are known in Japan only",
        "support.none_within": "no office of these services within {radius:g} km: {types}",
        "support.office": "{label}: {name} — {km} km{approx}",
        "support.approx": " (approximate: the office is placed at its municipality's centre)",
        "support.hours": "weekdays {hours}",
        "support.hellowork": "Hello Work in charge: {offices}",
        "support.hellowork_unknown": "Hello Work in charge: not known from coordinates alone; give a postcode",
        "support.hellowork_unlisted": "Hello Work in charge: not listed for this place",
        "support.hellowork_not_loaded": "Hello Work areas are not loaded in the published data",
        "support.beside": "support nearby: {offices}",
        "support.commute": "about {km} km from home (straight line between municipality centres)",
        "support.no_types": "your needs call for no employment-support service, so none is listed beside the jobs",
        # suspicious offers (ranker.suspicious)
        "suspicious.known": "{reason}",
        "suspicious.other": "looks dubious: {code}",
        # feedback (ranker.feedback)
        "feedback.same": "you {action} this job",
        "feedback.similar": "similar to a job you {action}: {title} (similarity {similarity:.2f})",
    },
    "ja": {
        "relevance.far": "ご希望の内容とはあまり近くない求人です（希望の職種・スキル・自己紹介との共通点が少なめです）",
        "relevance.title": "求人のタイトルが、探している仕事と合っています：{titles}",
        "relevance.similar": "仕事のタイトルと内容が、あなたのプロフィールに近い求人です",
        "relevance.skills": "求人にあなたのスキルが書かれています：{skills}",
        "need.met": "ご希望に合う点があります：{need}",
        "need.against": "ご希望とは反対のことが書かれています：{need}",
        "need.unstated": "書かれていません：{need}",
        "avoid.mentioned": "{avoid}について書かれています",
        "wish.remote": "完全在宅勤務",
        "wish.onsite": "職場に通う働き方（完全在宅ではない）",
        "wish.location": "勤務地（{places}）",
        "wish.employment_type": "雇用形態（{types}）",
        "wish.hours": "勤務時間（週{limit:g}時間まで）",
        "wish.min_salary": "給与（{unit}{grouped}{currency}以上）",
        "wish.commute": "自宅から{limit:g}キロ以内の職場（直線距離）",
        "wish.avoid": "避けたいこと（{avoid}）",
        "constraint.meets": "ご希望の条件を満たしています：{wish}{note}",
        "constraint.misses": "ご希望の条件と合いません：{wish}{note}",
        "constraint.misses_unstated": "ご希望の条件と合いません：{wish}。"
                                      "{unstated}（書かれている求人だけをご希望のため）",
        "caveat.hours_assumed": "勤務時間が書かれていないため、フルタイムを週35時間ほどとみなしています",
        "note.remote_unplaced": "。在宅勤務ですが、どこから働けるかは書かれていません",
        "note.remote_anywhere": "。在宅勤務で、どこからでも働けます",
        "note.remote_regions": "。在宅勤務で、{regions}に住んでいる人が対象です",
        "unknown.hours": "勤務時間が書かれていません",
        "unknown.hours_assumed": "勤務時間が書かれていません（フルタイムのため、週35時間ほどとみなしています）",
        "unknown.employment_type": "雇用形態が書かれていません",
        "unknown.remote": "在宅勤務か、職場に通うのかが書かれていません",
        "unknown.location": "勤務地が書かれていません",
        "unknown.location_remote": "在宅勤務ですが、どこから働けるかは書かれていません",
        "unknown.pay": "給与が書かれていません",
        "unknown.pay_currency": "給与が{currency}で書かれているため、ご希望の下限とは比べていません",
        "unknown.pay_no_currency": "給与の通貨が書かれていないため、ご希望の下限とは比べていません",
        "unknown.pay_period": "給与が時給・日給・週給・月給・年収のどれなのか書かれていません",
        "unknown.commute": "勤務地の市区町村が書かれていないため、自宅からの距離がわかりません",
        "unknown.other": "書かれていません：{name}",
        "interest.unknown_occupation": "この求人の職業がわからないため、興味との相性は判断していません",
        "interest.shared": "あなたの特に強い興味（{mine}）と、この職業の特徴（{theirs}）は、{shared_names}な面が"
                           "共通しています（{occupation}、{source}、相性 {fit:.2f}）",
        "interest.overall": "あなたの興味は、全体としてこの職業の特徴に近いです"
                            "（{occupation}、{source}、相性 {fit:.2f}）",
        "interest.apart": "この職業の特徴（{theirs}）は、あなたの特に強い興味（{mine}）とは異なります"
                          "（{occupation}、{source}、相性 {fit:.2f}）",
        "source.jobtag": "job tag 職業興味",
        "source.onet": "O*NET 職業興味",
        "experience.level": "{level}の求人です。{said}",
        "experience.years": "経験{wanted:g}年以上が求められています（あなたの経験は{years:g}年です）",
        "experience.years_none": "経験{wanted:g}年以上が求められています（あなたはこれから経験を積むところです）",
        "language.unread": "{written}で書かれた求人です（読める言語として挙げられていません）",
        "page.dismissed_hidden": "「合わない」とした求人{count}件は表示していません",
        "page.suspicious_hidden": "歩合給のみ・始める前にお金を払う・マルチ商法のように見える求人{count}件は"
                                  "表示していません",
        "page.empty": "公開されている求人がまだありません（`ippo refresh` を実行してください）",
        "page.narrowest": "いちばん絞り込んでいる条件は{name}です（{described}）",
        "frame.header": "公開中の求人{candidates}件のうち、すべての条件に合うのは{matching}件、"
                        "そのうち条件をすべて書いているのは{confirmed}件です（スナップショット {version}）",
        "frame.note": "メモ：{note}",
        "frame.nearest": "--- 近い求人（それぞれ、ご希望に合わない点があります） ---",
        "frame.employer_unstated": "雇用主の記載なし",
        "frame.place_unstated": "勤務地の記載なし",
        "frame.remote": "在宅",
        "frame.pay_unstated": "給与の記載なし",
        "frame.pay": "{unit}{amount}{currency}",
        "frame.per_unit": "",
        "frame.score": "スコア {score}",
        "said.level": "ご自身のレベルを「{level}」とされています",
        "said.unstated": "",
        "said.beginner": "未経験でも応募できる仕事をご希望です",
        "said.junior_title": "「{title}」をご希望です",
        "support.header": "{place}の近くの支援",
        "support.located_coordinates": "指定された座標",
        "support.located_municipality": "おおよその位置：{name}の支援事業所の中心",
        "support.located_prefecture": "おおよその位置：{name}の支援事業所の中心"
                                      "（お住まいの市区町村には事業所がありません）",
        "support.not_loaded": "支援事業所のデータがまだ公開データに入っていないため、近くの支援はわかりません"
                              "（近くにないという意味ではありません）。支援データを読み込んでから公開し直してください",
        "support.no_point": "{name}の位置がわかりません（公開データにその地域の支援事業所がありません）。"
                            "近くの郵便番号か座標を指定してください",
        "support.outside_japan": "支援事業所は日本国内のものだけがわかります",
        "support.none_within": "{radius:g}キロ以内に次のサービスの事業所はありません：{types}",
        "support.office": "{label}：{name}（{km}キロ{approx}）",
        "support.approx": "、おおよその距離：事業所を市区町村の中心に置いています",
        "support.hours": "平日 {hours}",
        "support.hellowork": "担当のハローワーク：{offices}",
        "support.hellowork_unknown": "担当のハローワーク：座標だけではわかりません（郵便番号を指定してください）",
        "support.hellowork_unlisted": "担当のハローワーク：この場所の記載がありません",
        "support.hellowork_not_loaded": "ハローワークの担当区域のデータが公開データに入っていません",
        "support.beside": "近くの支援：{offices}",
        "support.commute": "自宅から約{km}キロ（市区町村の中心どうしの直線距離）",
        "support.no_types": "ご希望の内容に合う就労支援サービスがないため、求人の横には表示していません",
        "suspicious.known": "{reason}",
        "suspicious.other": "注意が必要な点があります：{code}",
        "feedback.same": "{action}求人です",
        "feedback.similar": "{action}求人に似ています：{title}（似ている度合い {similarity:.2f}）",
    },
}


@dataclass(frozen=True)
class Names:
    """Codes shown in each language's words: looked up in NAMES[language][table] (a code
    missing there is shown as it is) and joined with ``en_joiner`` in English, 、 in Japanese
    (・ for interests)."""

    table: str
    codes: tuple[str, ...]
    en_joiner: str = ", "

    @classmethod
    def of(cls, table: str, codes: Iterable[str], en_joiner: str = ", ") -> Names:
        return cls(table, tuple(codes), en_joiner)

    def render(self, language: Language) -> str:
        names = NAMES[language].get(self.table, {})
        joiner = self.en_joiner if language == "en" else _TABLE_JOINER[language].get(self.table, _JOINER[language])
        return joiner.join(names.get(code, code) for code in self.codes)


@dataclass(frozen=True)
class Phrase:
    """A template key and its values, said later in whichever language the page needs (a
    constraint's wish is built once per request and said in every reason about it)."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, language: Language) -> str:
        return say(language, self.key, **self.values)


def language_of(code: str) -> Language:
    """``ja`` for ``"ja"``, else ``en`` (the page language of ranker.notice.page_language)."""
    return "ja" if code == "ja" else "en"


def join(items: Iterable[str], language: Language) -> str:
    """A list of the listing's or the person's own words, joined the way the language does."""
    return _JOINER[language].join(items)


def say(language: Language, key: str, **values: Any) -> str:
    """The template ``key`` of ``language`` filled with ``values`` (Names and Phrases said in
    that language). An unknown key or a value the template needs but lacks is a programming
    error, raised with the key named."""
    try:
        template = TEMPLATES[language][key]
    except KeyError:
        raise KeyError(f"ranker.wording: no {language!r} template {key!r}; add it to TEMPLATES") from None
    shown = {name: _shown(value, language) for name, value in values.items()}
    try:
        return template.format(**shown)
    except KeyError as missing:
        raise KeyError(f"ranker.wording: template {language}/{key} needs the value {missing}") from None


def _shown(value: Any, language: Language) -> Any:
    if isinstance(value, Names):
        return value.render(language)
    if isinstance(value, Phrase):
        return value.text(language)
    return value


def grouped(amount: float) -> str:
    """A figure with thousands separators and no trailing zeros (1,100; 3,000,000; 12.5)."""
    return f"{amount:,.2f}".rstrip("0").rstrip(".")
