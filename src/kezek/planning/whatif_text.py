"""The words of the what-if report in Kazakh, Russian and English.

Kept apart from the command so that the pages can show the same comparison in the same
words, and a translator finds every string in one place.
"""

from __future__ import annotations

LANGS = ("kk", "ru", "en")

METRIC_LABELS: dict[str, dict[str, str]] = {
    "mean_wait": {"en": "Mean wait, min", "ru": "Среднее ожидание, мин",
                  "kk": "Орташа күту, мин"},
    "p90_wait": {"en": "P90 wait, min", "ru": "Ожидание P90, мин", "kk": "P90 күту, мин"},
    "within_standard": {"en": "Served within the standard, %",
                        "ru": "Обслужены в пределах норматива, %",
                        "kk": "Норматив ішінде қызмет көрсетілді, %"},
    "utilisation": {"en": "Window utilisation, %", "ru": "Загрузка окон, %",
                    "kk": "Терезелер жүктемесі, %"},
    "peak_occupancy": {"en": "Peak people inside", "ru": "Пик людей в зале",
                       "kk": "Залдағы адамдардың ең көп саны"},
    "served": {"en": "Served per day", "ru": "Обслужено в день",
               "kk": "Күніне қызмет көрсетілді"},
    "turned_away": {"en": "Turned away per day (no booking)",
                    "ru": "Не приняты в день (без записи)",
                    "kk": "Күніне қабылданбады (жазылусыз)"},
    "pushed": {"en": "Pushed to the next day, per day", "ru": "Перенесены на другой день, в день",
               "kk": "Келесі күнге ауыстырылды, күніне"},
    "no_show": {"en": "No-shows per day", "ru": "Неявки в день", "kk": "Күніне келмегендер"},
    "backlog": {"en": "Still without a slot after the last day",
                "ru": "Без записи после последнего дня",
                "kk": "Соңғы күннен кейін жазылмағандар"},
}

# Shares are shown in per cent.
PERCENT = frozenset({"within_standard", "utilisation"})

TEXT: dict[str, dict[str, str]] = {
    "heading": {"en": "Kezek: what-if comparison", "ru": "Kezek: сравнение сценариев",
                "kk": "Kezek: сценарийлерді салыстыру"},
    "network": {"en": "Network-wide", "ru": "По всей сети", "kk": "Бүкіл желі бойынша"},
    "centres": {"en": "Affected centres", "ru": "Затронутые центры",
                "kk": "Өзгеріс әсер еткен орталықтар"},
    "baseline": {"en": "baseline", "ru": "базовый", "kk": "базалық"},
    "scenario": {"en": "scenario", "ru": "сценарий", "kk": "сценарий"},
    "centre": {"en": "centre", "ru": "центр", "kk": "орталық"},
    "measure": {"en": "measure", "ru": "показатель", "kk": "көрсеткіш"},
    "value": {"en": "mean ± 95 % CI", "ru": "среднее ± 95 % ДИ", "kk": "орташа ± 95 % СА"},
    "diff": {"en": "difference from baseline", "ru": "разница с базовым",
             "kk": "базалықтан айырмашылық"},
    "visits": {"en": "expected visits per day", "ru": "ожидаемых визитов в день",
               "kk": "күніне күтілетін келушілер"},
    "windows": {"en": "windows", "ru": "окна", "kk": "терезелер"},
    "format": {"en": "format", "ru": "формат", "kk": "формат"},
    "significant": {"en": "* the 95 % interval of the difference excludes zero",
                    "ru": "* 95 % интервал разницы не содержит ноль",
                    "kk": "* айырманың 95 % аралығында нөл жоқ"},
    "method": {"en": "How it was computed", "ru": "Как посчитано", "kk": "Қалай есептелді"},
    "method_body": {
        "en": "Each scenario is simulated for {days} working day(s) in a row on each of "
              "{seeds} seeds; the baseline and the variants use the same random numbers per "
              "centre (common random numbers). Values are means over seeds with a 95 % "
              "interval (mean ± 1.96·sd/√n); differences are taken seed by seed. Demand: "
              "the article's national figures allocated to the demo network's centres, each "
              "bucket carried up to {load:.0%} of its window capacity. At a booking-only "
              "centre the former walk-ins book the first free slot (or the next day: "
              "'pushed') and miss at the booked no-show rate.",
        "ru": "Каждый сценарий моделируется {days} рабочих дн. подряд на каждом из {seeds} "
              "зёрен; базовый вариант и сценарии используют одни и те же случайные числа по "
              "каждому центру. Значения — средние по зёрнам с 95 % интервалом "
              "(среднее ± 1,96·sd/√n); разницы считаются попарно по зёрнам. Спрос: цифры "
              "статьи по стране, распределённые по центрам демо-сети, каждая группа — не "
              "более {load:.0%} мощности её окон. В центре только по записи бывшие "
              "посетители без записи записываются на первый свободный слот (или на "
              "следующий день) и не приходят с той же долей неявок, что и записанные.",
        "kk": "Әр сценарий {seeds} тұқымның әрқайсысында қатарынан {days} жұмыс күні "
              "модельденеді; базалық нұсқа мен сценарийлер әр орталықта бірдей кездейсоқ "
              "сандарды пайдаланады. Мәндер — тұқымдар бойынша орташа, 95 % аралықпен "
              "(орташа ± 1,96·sd/√n); айырмалар тұқым бойынша жұппен есептеледі. Сұраныс: "
              "мақаладағы ел бойынша сандар демо-желі орталықтарына бөлінген, әр топ "
              "терезелер қуатының {load:.0%}-нан аспайды. Тек жазылу арқылы жұмыс істейтін "
              "орталықта бұрын жазылусыз келгендер бірінші бос слотқа (немесе келесі күнге) "
              "жазылады.",
    },
    "demand": {"en": "Demand (a typical working day)", "ru": "Спрос (обычный рабочий день)",
               "kk": "Сұраныс (әдеттегі жұмыс күні)"},
    "written": {"en": "Report written to", "ru": "Отчёт записан в", "kk": "Есеп жазылды"},
}


def text(key: str, lang: str) -> str:
    return TEXT[key].get(lang) or TEXT[key]["en"]


def metric(key: str, lang: str) -> str:
    return METRIC_LABELS[key].get(lang) or METRIC_LABELS[key]["en"]
