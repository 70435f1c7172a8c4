"""The registry's sectors (its sections) by name, in Kazakh, Russian and English: shown
on the pages, in the bot and in the statistics, so kept beside the domain, not a channel."""

from __future__ import annotations

LANGS = ("kk", "ru", "en")

# (kk, ru, en) of the registry's sectors (kezek.core.registry.Sector).
SECTORS: dict[str, tuple[str, str, str]] = {
    "vehicle": ("Көлік", "Транспорт", "Vehicles"),
    "identity": ("Жеке құжаттар", "Документы личности", "Identity documents"),
    "real_estate": ("Жылжымайтын мүлік", "Недвижимость", "Real estate"),
    "family_social": ("Отбасы және әлеуметтік көмек", "Семья и соцпомощь",
                      "Family and social support"),
    "land": ("Жер", "Земля", "Land"),
    "business": ("Бизнес", "Бизнес", "Business"),
    "education": ("Білім", "Образование", "Education"),
    "health": ("Денсаулық", "Здравоохранение", "Health"),
    "employment": ("Жұмыспен қамту", "Занятость", "Employment"),
    "pensions": ("Зейнетақы", "Пенсии", "Pensions"),
    "migration": ("Көші-қон", "Миграция", "Migration"),
    "other": ("Басқа", "Прочее", "Other"),
}


def sector_name(code: str, lang: str) -> str:
    """The sector's name in `lang` (Russian for another language); the code if unknown."""
    names = SECTORS.get(code)
    if names is None:
        return code
    return names[LANGS.index(lang) if lang in LANGS else 1]
