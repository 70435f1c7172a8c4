"""The strings of the staff abuse page: (kk, ru, en).

Kept apart from `kezek.web.i18n_ui.UI` so that the page can be added without touching
the shared table; templates reach them through the `ab(key, lang)` global (registered
by `kezek.web.abuse_pages`).
"""

from __future__ import annotations

from typing import Any

LANGS = ("kk", "ru", "en")

ABUSE: dict[str, tuple[str, str, str]] = {
    "title": ("Жазылуларды асыра пайдалану", "Злоупотребления записью", "Booking abuse"),
    "link": ("Асыра пайдалану: телефон, мекенжай, желі бойынша жазылулар",
             "Злоупотребления: записи по телефону, адресу и сети",
             "Abuse: bookings by phone, address and network"),
    "intro": ("Бір күнде жасалған жазылулар қайдан келгеніне қарай топталған. Телефон "
              "нөмірі көрсетілмейді: тек оның қысқартылған хэші.",
              "Записи, сделанные за день, сгруппированы по источнику. Номер телефона не "
              "показывается: только его сокращённый хэш.",
              "The bookings made on a day, grouped by where they came from. No phone "
              "number is shown: only a shortened hash of it."),
    "filter": ("Күн және орталық", "День и центр", "Day and centre"),
    "day": ("Жазылу жасалған күн", "День, когда сделаны записи", "Day the bookings were made"),
    "day_hint": ("Мысалы, 2026-12-01", "Например, 2026-12-01", "For example, 2026-12-01"),
    "centre": ("Орталық", "Центр", "Centre"),
    "all_centres": ("Барлық орталықтар", "Все центры", "All centres"),
    "show": ("Көрсету", "Показать", "Show"),
    "by_label": ("Топтау", "Группировка", "Group by"),
    "by_phone": ("Телефон бойынша", "По телефону", "By phone"),
    "by_address": ("Мекенжай бойынша", "По адресу", "By address"),
    "by_prefix": ("Желі бойынша (/24, /48)", "По сети (/24, /48)", "By network (/24, /48)"),
    "col_source": ("Көзі", "Источник", "Source"),
    "col_bookings": ("Жазылулар", "Записи", "Bookings"),
    "col_active": ("Белсенді", "Активные", "Active"),
    "col_people": ("Адамдар", "Людей", "People"),
    "col_centres": ("Орталықтар", "Центров", "Centres"),
    "col_code": ("Код", "Код", "Code"),
    "col_when": ("Уақыты", "Время", "Time"),
    "col_status": ("Күйі", "Статус", "Status"),
    "col_channel": ("Арна", "Канал", "Channel"),
    "col_made": ("Жасалды", "Сделана", "Made"),
    "bookings_of": ("{source} жазылулары", "Записи источника {source}",
                    "Bookings from {source}"),
    "cancel_group": ("Осы топтың белсенді жазылуларын жою…",
                     "Отменить активные записи этой группы…",
                     "Cancel this group's active bookings…"),
    "none": ("Бұл күні жазылулар жоқ.", "В этот день записей нет.", "No bookings on this day."),
    "more": ("Алғашқы {n} жазылу көрсетілген.", "Показаны первые {n} записей.",
             "The first {n} bookings are shown."),
    "bad_day": ("Күнді ЖЖЖЖ-АА-КК түрінде енгізіңіз, мысалы 2026-12-01.",
                "Введите день в виде ГГГГ-ММ-ДД, например 2026-12-01.",
                "Enter the day as YYYY-MM-DD, for example 2026-12-01."),
    "bad_by": ("Топтауды тізімнен таңдаңыз.", "Выберите группировку из списка.",
               "Choose a grouping from the list."),
    # The confirmation step
    "confirm_title": ("Жазылуларды жоюды растаңыз", "Подтвердите отмену записей",
                      "Confirm the cancellation"),
    "confirm_lead": ("{source} көзінен {day} жасалған {n} белсенді жазылудың күші жойылады. "
                     "Әр адамға себебі хабарланады.",
                     "Будут отменены {n} активных записей источника {source}, сделанных "
                     "{day}. Каждому человеку сообщат причину.",
                     "{n} active bookings from {source}, made on {day}, will be cancelled. "
                     "Each person is told the reason."),
    "nothing_active": ("Бұл топта белсенді жазылу қалмады.",
                       "В этой группе не осталось активных записей.",
                       "No active bookings are left in this group."),
    "reason": ("Адамдарға хабарланатын себеп", "Причина, которую сообщат людям",
               "Reason the people are told"),
    "reason_hoard": ("Бір көзден тым көп жазылу", "Слишком много записей с одного источника",
                     "Too many bookings from one source"),
    "reason_resale": ("Жазылулар сатылымға шығарылды", "Записи предлагались к продаже",
                      "The bookings were offered for sale"),
    "reason_duplicate": ("Бір адамның қайталанған жазылулары",
                         "Повторные записи одного человека",
                         "Repeated bookings of one person"),
    "reason_other": ("Ережелердің басқа бұзылуы", "Другое нарушение правил",
                     "Another breach of the rules"),
    "note": ("Ескертпе (тек аудит үшін, адамдарға жіберілмейді)",
             "Заметка (только для аудита, людям не отправляется)",
             "Note (for the audit only, not sent to anyone)"),
    "choose_reason": ("Себепті таңдаңыз.", "Выберите причину.", "Choose a reason."),
    "confirm_button": ("{n} жазылуды жою", "Отменить {n} записей", "Cancel {n} bookings"),
    "back_to_view": ("Шолуға оралу", "Вернуться к обзору", "Back to the overview"),
    "done_title": ("Жазылулардың күші жойылды", "Записи отменены", "Bookings cancelled"),
    "done_cancelled": ("Жойылды: {n}", "Отменено: {n}", "Cancelled: {n}"),
    "done_unchanged": ("Бұрын жабылған, өзгертілмеді: {n}",
                       "Уже были закрыты, не изменены: {n}",
                       "Already closed, left as they were: {n}"),
    # Suspensions
    "susp_title": ("Келмегені үшін тоқтатулар", "Приостановки за неявки",
                   "Suspensions for missed visits"),
    "susp_rule": ("Ереже: {days} күн ішінде {count} рет келмесе, жазылу {suspend} күнге "
                  "тоқтатылады.",
                  "Правило: {count} неявки за {days} дней приостанавливают запись на "
                  "{suspend} дней.",
                  "Rule: {count} missed visits within {days} days suspend booking for "
                  "{suspend} days."),
    "susp_off": ("Келмегені үшін тоқтату өшірулі.", "Приостановка за неявки выключена.",
                 "Suspension for missed visits is off."),
    "susp_none": ("Қазір ешкім тоқтатылмаған.", "Сейчас никто не приостановлен.",
                  "Nobody is suspended now."),
    "col_iin": ("ЖСН", "ИИН", "IIN"),
    "col_until": ("Дейін", "До", "Until"),
    "col_missed": ("Келмеген", "Неявок", "Missed"),
    "lift": ("Тоқтатуды алу", "Снять приостановку", "Lift the suspension"),
    "lifted": ("Тоқтату алынды.", "Приостановка снята.", "The suspension was lifted."),
    "not_suspended": ("Бұл адам тоқтатылмаған.", "Этот человек не приостановлен.",
                      "This person is not suspended."),
    "lookup": ("ЖСН бойынша тексеру", "Проверить по ИИН", "Check by IIN"),
    "lookup_button": ("Тексеру", "Проверить", "Check"),
    "lookup_suspended": ("{iin}: {until} дейін тоқтатылған ({n} рет келмеген).",
                         "{iin}: приостановлен до {until} (неявок: {n}).",
                         "{iin}: suspended until {until} ({n} missed visits)."),
    "lookup_free": ("{iin}: тоқтатылмаған.", "{iin}: не приостановлен.",
                    "{iin}: not suspended."),
    # Channels, as the server labelled them
    "ch_web": ("Сайт", "Сайт", "Web"),
    "ch_bot": ("Telegram-бот", "Telegram-бот", "Telegram bot"),
    "ch_call_centre": ("1414", "1414", "1414"),
    "ch_door": ("Кіреберіс", "Вход", "Door"),
    "ch_api": ("API", "API", "API"),
    "ch_cli": ("CLI", "CLI", "CLI"),
}


def _index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else 1


def ab(key: str, lang: str, **params: Any) -> str:
    """The abuse page's string for `key` in `lang`, with `{name}` parameters filled in."""
    text = ABUSE[key][_index(lang)]
    return text.format(**params) if params else text
