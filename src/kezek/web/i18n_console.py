"""Strings of the operator console's safety steps (issue 13): the confirm dialog, the
undo bar after a no-show, the type-to-filter transfer and the end of the shift.
(kk, ru, en); merged into `kezek.web.i18n_ui.UI` like the floor's own table."""

from __future__ import annotations

CONSOLE: dict[str, tuple[str, str, str]] = {
    # The confirm dialog
    "confirm_cancel": ("Болдырмау", "Отмена", "Cancel"),
    "confirm_no_show_title": ("Келмеді деп белгілеу керек пе?", "Отметить неявку?",
                              "Mark as a no-show?"),
    "confirm_no_show_body": (
        "{ticket} талоны келмеді деп белгіленеді. Мұны {n} минут ішінде қайтаруға болады.",
        "Талон {ticket} будет отмечен как неявка. Это можно отменить в течение {n} мин.",
        "Ticket {ticket} will be marked as a no-show. You can undo it for {n} minutes."),
    "confirm_no_show_ok": ("Иә, келмеді", "Да, неявка", "Yes, no-show"),
    # The undo bar
    "undo_bar": ("{ticket} келмеді деп белгіленді.", "{ticket}: отмечена неявка.",
                 "{ticket} marked as a no-show."),
    "undo_left": ("Қайтаруға {time} қалды", "Отменить можно ещё {time}",
                  "{time} left to undo"),
    "act_undo": ("Қайтару", "Отменить", "Undo"),
    "msg_undone": ("{ticket} қайта шақырылды", "Неявка отменена: {ticket} снова вызван",
                   "No-show undone: {ticket} is called again"),
    # Transfer, type to filter
    "transfer_filter_hint": ("Қызмет атауын теріңіз, ↑ ↓ арқылы таңдап, Enter басыңыз.",
                             "Начните вводить название услуги, выберите ↑ ↓ и нажмите Enter.",
                             "Type the service's name, pick it with ↑ ↓ and press Enter."),
    "transfer_none": ("Ондай қызмет табылмады", "Такой услуги не найдено",
                      "No service matches"),
    "transfer_count": ("Табылды: {n}", "Найдено: {n}", "{n} found"),
    "transfer_pick": ("Тізімнен қызметті таңдаңыз", "Выберите услугу из списка",
                      "Choose a service from the list"),
    "confirm_transfer_title": ("Басқа қызметке жіберу керек пе?", "Перевести на другую услугу?",
                               "Transfer to another service?"),
    "confirm_transfer_body": ("{ticket} талоны «{service}» қызметіне жіберіледі, кезектегі "
                              "орны сақталады.",
                              "Талон {ticket} будет переведён на услугу «{service}» с "
                              "сохранением места в очереди.",
                              "Ticket {ticket} goes to “{service}”, keeping its place in the "
                              "queue."),
    # End of shift
    "act_end_shift": ("Ауысымды аяқтау", "Завершить смену", "End shift"),
    "confirm_end_title": ("Ауысымды аяқтау керек пе?", "Завершить смену?", "End the shift?"),
    "confirm_end_body": ("{n}-терезе бүгінге жабылады: оны қайта ашпайынша ешкім "
                         "шақырылмайды.",
                         "Окно {n} будет закрыто на сегодня: к нему никого не вызовут, пока "
                         "его не откроют снова.",
                         "Window {n} is closed for the day: nobody is called to it unless it "
                         "is opened again."),
    "msg_shift_ended": ("Ауысым аяқталды: терезе жабық.", "Смена завершена: окно закрыто.",
                        "Shift ended: the window is closed."),
    "msg_shift_over": ("Ауысым аяқталды. Қайта шақыру үшін терезені ашыңыз (P).",
                       "Смена завершена. Чтобы снова вызывать, откройте окно (P).",
                       "The shift has ended. Open the window (P) to call again."),
    "act_reopen": ("Терезені ашу", "Открыть окно", "Open the window"),
    # Booked time
    "booked_at": ("Жазылу уақыты: {time}", "Запись на {time}", "Booked for {time}"),
    "kind_booked_at": ("Жазылу бойынша, {time}", "По записи, {time}", "Booked, {time}"),
}
