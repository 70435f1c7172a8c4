"""Strings of browsing by life situation and of what to bring, (kk, ru, en)."""

from __future__ import annotations

SEARCH_UI: dict[str, tuple[str, str, str]] = {
    "situations_title": ("Өмірлік жағдай бойынша", "По жизненной ситуации",
                         "By life situation"),
    "situations_lead": (
        "Қызметтің атауын білмесеңіз, не болғанын таңдаңыз.",
        "Не знаете, как называется услуга? Выберите, что у вас произошло.",
        "Not sure what the service is called? Choose what happened."),
    "situations_link": ("Өмірлік жағдай бойынша қарау", "Выбрать по жизненной ситуации",
                        "Browse by life situation"),
    "situation_services": ("Осы жағдайдағы қызметтер", "Услуги в этой ситуации",
                           "Services for this situation"),
    "situations_back": ("Барлық өмірлік жағдайлар", "Все жизненные ситуации",
                        "All life situations"),
}
