"""The strings of a booking's Move page, its QR code and its calendar file, (kk, ru, en);
merged into `i18n_ui`."""

from __future__ import annotations

MOVE: dict[str, tuple[str, str, str]] = {
    "move_button": ("Басқа уақытқа ауыстыру", "Перенести на другое время",
                    "Move to another time"),
    "move_page_title": ("Жазылуды ауыстыру", "Перенос записи", "Move your booking"),
    "move_lead": (
        "Сол орталықта сол қызметке жаңа күн мен уақытты таңдаңыз. Жазылу коды өзгермейді. "
        "Жаңа уақыт сізге бекітілгенше, қазіргі уақытыңыз сақталады.",
        "Выберите новый день и время в том же центре для той же услуги. Код записи не "
        "изменится. Пока новое время не закреплено за вами, нынешнее остаётся вашим.",
        "Choose a new day and time at the same centre for the same service. Your booking "
        "code stays the same. Your current time stays yours until the new one is taken."),
    "move_current": ("Қазіргі уақыт", "Текущее время", "Current time"),
    "move_submit": ("Осы уақытқа ауыстыру", "Перенести на это время", "Move to this time"),
    "move_no_times": (
        "Бұл орталықта жақын күндерге бос уақыт жоқ. Жазылуыңыз өзгерген жоқ.",
        "В этом центре на ближайшие дни свободного времени нет. Ваша запись не изменилась.",
        "This centre has no free times in the coming days. Your booking is unchanged."),
    "move_taken": (
        "Бұл уақытты жаңа ғана басқа біреу алды. Жазылуыңыз өзгерген жоқ: {when}. Басқа "
        "уақытты таңдаңыз.",
        "Это время только что занял кто-то другой. Ваша запись не изменилась: {when}. "
        "Выберите другое время.",
        "Someone has just taken this time. Your booking is unchanged: {when}. Please "
        "choose another time."),
    "move_unchanged": ("Жазылуыңыз өзгерген жоқ: {when}.", "Ваша запись не изменилась: {when}.",
                       "Your booking is unchanged: {when}."),
    "move_unknown": (
        "Жазылуды ауыстыру үшін оны кодыңыз бен ЖСН арқылы қайта табыңыз.",
        "Чтобы перенести запись, найдите её ещё раз по коду и ИИН.",
        "To move a booking, find it again with its code and IIN."),
    "moved_title": ("Жазылу ауыстырылды", "Запись перенесена", "Your booking has been moved"),
    "moved_note": ("Жазылу коды сол күйінде қалды.", "Код записи остался прежним.",
                   "Your booking code is the same as before."),
    # The QR code of the booking code, and the calendar file
    "qr_alt": (
        "{code} жазылу кодының QR-коды. Оны кіреберістегі немесе киосктегі сканерге "
        "көрсетіңіз.",
        "QR-код записи {code}. Покажите его сканеру у входа или в киоске.",
        "QR code of booking {code}. Show it to the scanner at the entrance or at the kiosk."),
    "qr_caption": ("Кірерде осы QR-кодты немесе кодты көрсетіңіз",
                   "Покажите этот QR-код или код записи при входе",
                   "Show this QR code or the booking code at the entrance"),
    "calendar_link": ("Күнтізбеге қосу (.ics)", "Добавить в календарь (.ics)",
                      "Add to calendar (.ics)"),
    "ics_code": ("Жазылу коды: {code}", "Код записи: {code}", "Booking code: {code}"),
    "ics_alarm": ("Халыққа қызмет көрсету орталығына баратын уақыт жақындады: {service}",
                  "Скоро приём в ЦОН: {service}", "Your visit to the centre is soon: {service}"),
}
