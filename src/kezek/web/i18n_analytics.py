"""Texts of the analyst and manager statistics page, in kk, ru and en."""

from __future__ import annotations

from typing import Any

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
}


def at(key: str, lang: str, **params: Any) -> str:
    text = TEXTS[key].get(lang) or TEXTS[key]["ru"]
    return text.format(**params) if params else text
