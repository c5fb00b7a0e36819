"""Which employment-support services fit a person's needs, as data.

The service types are the WAM NET 障害福祉サービス the snapshot carries (support_offices.service_type).
"""

from __future__ import annotations

from collections.abc import Iterable

# Why each need leads to these services:
# - on_the_job_support: 就労定着支援 is the service that supports a person in the job once
#   hired (visits, talks with the employer); 就労移行支援 offices are where job coaches
#   (職場適応援助者) most often work, and they follow their own users into the first months.
# - career_gap_ok, no_experience_ok: 就労移行支援 trains and accompanies the job search of people
#   not yet working (up to two years); 自立訓練 (生活訓練 / 機能訓練) rebuilds the daily rhythm and
#   skills a long gap or an illness wore down, before or beside a job search.
# - disability_employment: 就労継続支援Ａ型 is work under an employment contract with support;
#   就労移行支援 leads to disability-employment (障害者雇用) positions in ordinary companies.
# - neurodiversity: 就労移行支援 is where programmes for developmental disabilities are run;
#   就労定着支援 keeps the adjustments going after hiring.
NEED_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "on_the_job_support": ("shuro_teichaku", "shuro_ikou"),
    "career_gap_ok": ("shuro_ikou", "jiritsu_kunren_seikatsu", "jiritsu_kunren_kinou"),
    "no_experience_ok": ("shuro_ikou", "jiritsu_kunren_seikatsu", "jiritsu_kunren_kinou"),
    "disability_employment": ("shuro_keizoku_a", "shuro_ikou"),
    "neurodiversity": ("shuro_ikou", "shuro_teichaku"),
}


def service_types_for(needs: Iterable[str]) -> list[str]:
    """The service types the needs call for, in the order of the needs, each once."""
    types: list[str] = []
    for need in needs:
        types += NEED_SERVICE_TYPES.get(need, ())
    return list(dict.fromkeys(types))
