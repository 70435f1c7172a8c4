"""Texts of the analyst and manager statistics page, in kk, ru and en, and the names that
stand for the data set's codes there (issue 13: `KZ-11`, `family_social`, `walk_in` were
shown as they are stored, inside kk and ru pages).

Regions are named by `kezek.core.regions`; channels and the floor's kinds reuse the
strings the abuse and floor pages already show; only sectors and column headings, which
no other page names, are translated here.
"""

from __future__ import annotations

from typing import Any

from kezek.core.regions import REGION_BY_CODE
from kezek.core.sector_names import SECTORS
from kezek.web.i18n_abuse import ab
from kezek.web.i18n_ui import ui

TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "Statistics", "ru": "Статистика", "kk": "Статистика"},
    "source_generated": {"en": "Generated national data set (seed {seed}, {months} months)",
                         "ru": "Сгенерированный набор данных по сети (seed {seed}, {months} мес.)",
                         "kk": "Желі бойынша жасалған деректер жиыны (seed {seed}, {months} ай)"},
    "source_database": {"en": "Exported from the floor's record", "ru": "Выгрузка журнала залов",
                        "kk": "Зал журналынан алынған деректер"},
    "no_data": {"en": "No data set yet. An administrator creates one with "
                      "`kezek data generate` or `kezek data export`.",
                "ru": "Набора данных пока нет. Администратор создаёт его командой "
                      "`kezek data generate` или `kezek data export`.",
                "kk": "Деректер жиыны әлі жоқ. Әкімші оны `kezek data generate` немесе "
                      "`kezek data export` командасымен жасайды."},
    "filter": {"en": "Filter", "ru": "Фильтр", "kk": "Сүзгі"},
    "region": {"en": "Region", "ru": "Регион", "kk": "Өңір"},
    "city": {"en": "City", "ru": "Город", "kk": "Қала"},
    "centre": {"en": "Centre", "ru": "Центр", "kk": "Орталық"},
    "all": {"en": "All", "ru": "Все", "kk": "Барлығы"},
    "from": {"en": "From", "ru": "С", "kk": "Бастап"},
    "to": {"en": "To", "ru": "По", "kk": "Дейін"},
    "apply": {"en": "Show", "ru": "Показать", "kk": "Көрсету"},
    "bad_date": {"en": "Dates must look like 2026-01-31.",
                 "ru": "Даты вводятся в виде 2026-01-31.",
                 "kk": "Күндер 2026-01-31 түрінде енгізіледі."},
    "your_centre_only": {"en": "You see your centre's figures only.",
                         "ru": "Вы видите показатели только своего центра.",
                         "kk": "Сіз тек өз орталығыңыздың көрсеткіштерін көресіз."},
    "empty": {"en": "No visits match this filter.", "ru": "Под этот фильтр визитов нет.",
              "kk": "Бұл сүзгіге сай келушілер жоқ."},
    "link": {"en": "Statistics and charts", "ru": "Статистика и графики",
             "kk": "Статистика және графиктер"},
    "bad_chart": {"en": "There is no such chart.", "ru": "Такого графика нет.",
                  "kk": "Мұндай график жоқ."},
}

# (kk, ru, en) of the tables' column headings (kezek.analytics.stats, claims).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "region": ("Өңір", "Регион", "Region"),
    "month": ("Ай", "Месяц", "Month"),
    "sector": ("Сала", "Сфера", "Sector"),
    "channel": ("Арна", "Канал", "Channel"),
    "centre": ("Орталық", "Центр", "Centre"),
    "services": ("Қызметтер", "Услуги", "Services"),
    "share_pct": ("Үлесі, %", "Доля, %", "Share, %"),
    "served": ("Қызмет көрсетілді", "Обслужено", "Served"),
    "wait_mean": ("Күту, орташа", "Ожидание, среднее", "Wait, mean"),
    "wait_p50": ("Күту, медиана", "Ожидание, медиана", "Wait, median"),
    "wait_p90": ("Күту, 90-процентиль", "Ожидание, 90-й перцентиль", "Wait, 90th percentile"),
    "wait_p95": ("Күту, 95-процентиль", "Ожидание, 95-й перцентиль", "Wait, 95th percentile"),
    "service_mean": ("Қызмет, орташа", "Обслуживание, среднее", "Service, mean"),
    "service_p90": ("Қызмет, 90-процентиль", "Обслуживание, 90-й перцентиль",
                    "Service, 90th percentile"),
    "wait_from": ("Күту, минуттан", "Ожидание, от (мин)", "Wait from (min)"),
    "within": ("Норма сақталды", "В пределах нормы", "Within the maximum"),
    "within_pct": ("Норма сақталды, %", "В пределах нормы, %", "Within the maximum, %"),
    "bookings": ("Жазылулар", "Записи", "Bookings"),
    "no_shows": ("Келмегендер", "Неявки", "No-shows"),
    "no_show_pct": ("Келмегендер, %", "Неявки, %", "No-shows, %"),
    "days_ahead": ("Неше күн бұрын", "За сколько дней", "Days ahead"),
    "online_capable": ("Онлайн да болады", "Доступны онлайн", "Also online"),
    "online_capable_pct": ("Онлайн да болады, %", "Доступны онлайн, %", "Also online, %"),
    "figure": ("Көрсеткіш", "Показатель", "Figure"),
    "data": ("Деректер", "Данные", "Data"),
    "article": ("Мақала", "Статья", "Article"),
    "difference_pct": ("Айырмашылық, %", "Разница, %", "Difference, %"),
    "privilege": ("Жеңілдік", "Льгота", "Privilege"),
    "claims": ("Мәлімделді", "Заявлено", "Claimed"),
    "verified": ("Тізілім растады", "Подтверждено реестром", "Verified by the registry"),
    "confirmed": ("Кіреберісте расталды", "Подтверждено на входе", "Confirmed at the door"),
    "rejected": ("Расталмады", "Не подтверждено", "Rejected"),
    "open": ("Тексерілмеген", "Не проверено", "Not checked yet"),
}
LANGS = ("kk", "ru", "en")
# The columns whose values are codes a person should read as names.
NAMED = frozenset({"region", "sector", "channel", "kind", "privilege"})


def _pick(texts: tuple[str, str, str], lang: str) -> str:
    return texts[LANGS.index(lang) if lang in LANGS else 1]


def name_of(dimension: str, code: str, lang: str) -> str:
    """The name of a data-set code in `lang`: a region, a sector, a booking channel, or the
    floor's kind of visit (`booked`, `walk_in`), a privilege claimed; an unknown code is
    shown as it is."""
    if dimension == "region" and code in REGION_BY_CODE:
        return REGION_BY_CODE[code].names.get(lang)
    if dimension == "sector" and code in SECTORS:
        return _pick(SECTORS[code], lang)
    if dimension in ("channel", "kind"):
        if code in ("booked", "walk_in"):  # a walk-in has no booking channel
            return ui(f"kind_{code}", lang)
        if code in ("web", "bot", "call_centre", "door", "api", "cli"):
            return ab(f"ch_{code}", lang)
    if dimension == "privilege" and code in ("pensioner", "large_family", "disability"):
        return ui(f"priv_{code}", lang)
    return code


def heading(column: str, lang: str) -> str:
    """A table's column heading (or a chart's series) in `lang`: a kind of visit by its
    floor name, a known column by its heading, any other as it is."""
    if column in ("booked", "walk_in"):
        return name_of("kind", column, lang)
    return _pick(COLUMNS[column], lang) if column in COLUMNS else column


def at(key: str, lang: str, **params: Any) -> str:
    text = TEXTS[key].get(lang) or TEXTS[key]["ru"]
    return text.format(**params) if params else text
