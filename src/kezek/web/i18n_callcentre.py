"""The strings of the 1414 call-centre console: (kk, ru, en).

Kept apart from `kezek.web.i18n_ui.UI` so that the console can be added without
touching the citizen pages' table; templates reach them through the `cc(key, lang)`
global (registered by `kezek.web.callcentre`), the page's script through its data.
"""

from __future__ import annotations

from typing import Any

from kezek.web.i18n_callcentre_waitlist import CC_WAITLIST

LANGS = ("kk", "ru", "en")

CALLCENTRE: dict[str, tuple[str, str, str]] = {
    # Frame and staff home
    "cc_title": ("1414 байланыс орталығы", "Контакт-центр 1414", "1414 contact centre"),
    "cc_link": ("1414 байланыс орталығының пульті", "Пульт контакт-центра 1414",
                "1414 call-centre console"),
    "cc_operator": ("Оператор: {name}", "Оператор: {name}", "Operator: {name}"),
    "cc_shortcuts": (
        "Пернелер: I — ЖСН, S — қызмет, V — бейнеқоңырау, H — бейне сағаттар, "
        "Esc — жаңа қоңырау (курсор өрісте болмағанда).",
        "Клавиши: I — ИИН, S — услуга, V — видеосвязь, H — часы видеосвязи, "
        "Esc — новый звонок (когда курсор не в поле).",
        "Keys: I — IIN, S — service, V — video, H — video hours, Esc — new call "
        "(when the cursor is not in a field)."),
    # Caller
    "caller_title": ("Қоңырау шалушы", "Звонящий", "Caller"),
    "caller_iin": ("Қоңырау шалушының ЖСН-ы", "ИИН звонящего", "Caller's IIN"),
    "caller_iin_hint": ("12 сан. Іздегеннен кейін экранда жасырын түрде ғана көрінеді.",
                        "12 цифр. После поиска на экране виден только скрытым.",
                        "12 digits. After the search it is only shown masked."),
    "caller_find": ("Табу", "Найти", "Find"),
    "caller_checked": ("Жеке басы тексерілді: сұрақтар қойылды",
                       "Личность проверена: вопросы заданы",
                       "Identity checked: questions asked"),
    "caller_checked_hint": ("ЖСН-ның өзі ештеңені дәлелдемейді. Жазылуларды көрсетпес "
                            "бұрын қоңырау шалушыдан сұрақтар қойыңыз; журналға сіздің "
                            "атыңыз жазылады.",
                            "ИИН сам по себе ничего не доказывает. Прежде чем показать "
                            "записи, задайте звонящему вопросы; в журнал запишется ваше "
                            "имя.",
                            "An IIN alone proves nothing. Ask the caller the questions "
                            "before their bookings are shown; the log records your name."),
    "caller_check_needed": ("Алдымен қоңырау шалушының жеке басын тексеріп, белгі қойыңыз.",
                            "Сначала проверьте личность звонящего и отметьте это.",
                            "First check the caller's identity and tick the box."),
    "caller_is": ("Қоңырау шалушы: {iin}", "Звонящий: {iin}", "Caller: {iin}"),
    "caller_new": ("Жаңа қоңырау", "Новый звонок", "New call"),
    "caller_needed": ("Алдымен қоңырау шалушының ЖСН-ын енгізіңіз.",
                      "Сначала введите ИИН звонящего.", "First enter the caller's IIN."),
    "caller_found": ("Табылды: {n} жазылу, {m} бейнекеңес",
                     "Найдено записей: {n}, видеоконсультаций: {m}",
                     "Found {n} booking(s), {m} video consultation(s)"),
    "bookings_title": ("Жазылулары", "Записи", "Bookings"),
    "bookings_none": ("Жазылулар жоқ.", "Записей нет.", "No bookings."),
    "col_code": ("Код", "Код", "Code"),
    "cc_col_service": ("Қызмет", "Услуга", "Service"),
    "col_centre": ("Орталық", "Центр", "Centre"),
    "col_time": ("Уақыты", "Время", "Time"),
    "col_status": ("Күйі", "Статус", "Status"),
    "col_actions": ("Әрекеттер", "Действия", "Actions"),
    "col_operator": ("Оператор", "Оператор", "Operator"),
    "col_room": ("Бөлме сілтемесі", "Ссылка на комнату", "Room link"),
    "col_caller": ("Қоңырау шалушы", "Звонящий", "Caller"),
    "act_move": ("Ауыстыру", "Перенести", "Move"),
    "act_cancel": ("Болдырмау", "Отменить", "Cancel"),
    "act_confirm_cancel": ("Растау: болдырмау", "Подтвердить отмену", "Confirm: cancel"),
    "cc_move_title": ("{code} жазылуын ауыстыру: жаңа уақытты таңдаңыз",
                   "Перенос записи {code}: выберите новое время",
                   "Moving booking {code}: choose a new time"),
    "moved": ("Ауыстырылды. Жаңа код: {code}", "Перенесено. Новый код: {code}",
              "Moved. New code: {code}"),
    "cancelled": ("{code} жазылуы болдырылмады", "Запись {code} отменена",
                  "Booking {code} cancelled"),
    "consultations_title": ("Бейнекеңестері", "Видеоконсультации", "Video consultations"),
    "consultations_none": ("Бейнекеңес жоқ.", "Видеоконсультаций нет.",
                           "No video consultations."),
    # Service and advice
    "service_title": ("Қызмет және жаңа жазылу", "Услуга и новая запись",
                      "Service and a new booking"),
    "service_q": ("Қызметті сөзбен іздеу (қазақша, орысша, ағылшынша)",
                  "Поиск услуги по словам (на казахском, русском, английском)",
                  "Find a service by words (Kazakh, Russian, English)"),
    "service_find": ("Іздеу", "Искать", "Search"),
    "service_none": ("Ештеңе табылмады. Басқа сөзбен іздеңіз.",
                     "Ничего не найдено. Попробуйте другие слова.",
                     "Nothing found. Try other words."),
    "service_online": ("онлайн", "онлайн", "online"),
    "service_paper": ("тек ХҚО-да", "только в ЦОН", "at a centre only"),
    "service_both": ("онлайн немесе ХҚО-да", "онлайн или в ЦОН", "online or at a centre"),
    "online_yes": ("Иә, бұл қызметті онлайн алуға болады.",
                   "Да, эту услугу можно получить онлайн.",
                   "Yes, this service can be obtained online."),
    "online_no": ("Жоқ, бұл қызмет үшін орталыққа құжаттармен келу керек.",
                  "Нет, для этой услуги нужно прийти в центр с документами.",
                  "No, this service needs a visit to a centre with documents."),
    "online_also": ("Орталықта да алуға болады:", "Можно также в центре:",
                    "It can also be done at a centre:"),
    "online_privileged": (
        "Онлайн қызметтер орталықта тек жеңілдікті санаттағы адамдарға көрсетіледі.",
        "Онлайн-услуги в центре оказываются только льготным категориям.",
        "At a centre, online services are only for privileged categories."),
    "video_offer": ("Бейнекеңес ұсыныңыз: оператор порталда қадам-қадаммен көмектеседі.",
                    "Предложите видеоконсультацию: оператор поможет пройти шаги на портале.",
                    "Offer a video consultation: an operator helps step by step on the portal."),
    "video_offer_button": ("Бейнекеңеске жазу", "Записать на видеоконсультацию",
                           "Schedule a video consultation"),
    "map_link": ("Картада", "На карте", "Map"),
    "hours_label": ("Жұмыс уақыты", "Часы работы", "Hours"),
    # Booking
    "row_city": ("Қала", "Город", "City"),
    "all_cities": ("Барлық қалалар", "Все города", "All cities"),
    "cc_row_centre": ("Орталық", "Центр", "Centre"),
    "row_privilege_cc": ("Жеңілдікті санат", "Льготная категория", "Privileged category"),
    "row_day": ("Күні", "День", "Day"),
    "row_email": ("Еске салу үшін e-mail (міндетті емес)",
                  "E-mail для напоминания (необязательно)", "E-mail for a reminder (optional)"),
    "row_caller_lang": ("Қоңырау шалушының тілі", "Язык звонящего", "Caller's language"),
    "show_times": ("Бос уақытты көрсету", "Показать свободное время", "Show free times"),
    "cc_no_centres": ("Бұл адамды бұл қызметке қабылдайтын орталық жоқ.",
                   "Нет центров, которые примут этого человека с этой услугой.",
                   "No centre would take this person for this service."),
    "no_times": ("Жақын күндері бос уақыт жоқ.", "В ближайшие дни свободного времени нет.",
                 "No free times in the coming days."),
    "pick_time": ("Уақытты таңдаңыз: бір басу жазады.", "Выберите время: одно нажатие — запись.",
                  "Choose a time: one press books it."),
    "booked": ("Жазылды. Коды: {code}", "Записан. Код: {code}", "Booked. Code: {code}"),
    "booked_read": ("Кодты қоңырау шалушыға оқып беріңіз.", "Продиктуйте код звонящему.",
                    "Read the code out to the caller."),
    # Video
    "video_title": ("Бейнекеңестер", "Видеоконсультации", "Video consultations"),
    "hours_title": ("Менің бейне сағаттарым", "Мои часы видеосвязи", "My video hours"),
    "hours_date": ("Күні", "Дата", "Date"),
    "hours_from": ("Басталуы", "С", "From"),
    "hours_to": ("Аяқталуы", "До", "To"),
    "hours_slot": ("Бір кеңес, минут", "Одна консультация, минут", "One consultation, minutes"),
    "hours_publish": ("Сағаттарды жариялау", "Опубликовать часы", "Publish hours"),
    "hours_published": ("Жарияланды: {n} уақыт", "Опубликовано окон: {n}",
                        "Published: {n} slots"),
    "hours_none": ("Жарияланған сағат жоқ.", "Опубликованных часов нет.",
                   "No hours published."),
    "hours_line": ("{day}, {from}–{to}, {n} мин", "{day}, {from}–{to}, по {n} мин",
                   "{day}, {from}–{to}, {n} min each"),
    "schedule_title": ("Қоңырау шалушыны бейнекеңеске жазу",
                       "Записать звонящего на видеоконсультацию",
                       "Schedule a video consultation for the caller"),
    "video_day": ("Күні", "День", "Day"),
    "video_who": ("Оператор", "Оператор", "Operator"),
    "video_any": ("Кез келген", "Любой", "Any"),
    "video_me": ("Тек мен", "Только я", "Only me"),
    "video_service": ("Қызмет: {name}", "Услуга: {name}", "Service: {name}"),
    "video_show": ("Бос уақытты көрсету", "Показать свободное время", "Show free slots"),
    "video_none": ("Бұл күні бос бейне уақыт жоқ.", "В этот день свободного времени нет.",
                   "No free video slots that day."),
    "video_pick": ("Уақытты таңдаңыз: бір басу жазады.", "Выберите время: одно нажатие — запись.",
                   "Choose a slot: one press schedules it."),
    "video_done": ("Бейнекеңес жазылды: {time}", "Видеоконсультация назначена: {time}",
                   "Video consultation scheduled: {time}"),
    "video_link_note": (
        "Бұл сілтемені қоңырау шалушыға оқып беріңіз немесе жіберіңіз. Оператор да осы "
        "сілтеме арқылы қосылады.",
        "Продиктуйте или отправьте эту ссылку звонящему. Оператор подключается по той же "
        "ссылке.",
        "Read out or send this link to the caller. The operator joins by the same link."),
    "my_consultations": ("Менің алдағы бейнекеңестерім", "Мои ближайшие видеоконсультации",
                         "My upcoming consultations"),
    "video_cancelled": ("Бейнекеңес болдырылмады", "Видеоконсультация отменена",
                        "Video consultation cancelled"),
    "vstatus_scheduled": ("Жоспарланған", "Назначена", "Scheduled"),
    "vstatus_cancelled": ("Болдырылмады", "Отменена", "Cancelled"),
    "vstatus_done": ("Өтті", "Проведена", "Done"),
    # The ballot of a newly opened day (fair release, ADR 13)
    "bal_cc_title": ("{day}: жеребе", "{day}: жеребьёвка", "{day}: ballot"),
    "bal_cc_lead": (
        "Бұл күнге орындар жеребе арқылы беріледі: жазылу жоқ, тек өтінім. Өтінімдер {time} "
        "дейін қабылданады, содан кейін орындар кездейсоқ бөлінеді. Қоңырау шалушыдан 3 "
        "уақытқа дейін сұраңыз, ең қолайлысынан бастап, және ретімен басыңыз.",
        "Места на этот день распределяются жеребьёвкой: записи нет, только заявка. Заявки "
        "принимаются до {time}, затем места распределят случайным образом. Спросите у "
        "звонящего до 3 времён, начиная с самого удобного, и нажмите их по порядку.",
        "Places for this day are given by ballot: no booking, only a request. Requests are "
        "taken until {time}; then places are drawn at random. Ask the caller for up to 3 "
        "times, best first, and press them in that order."),
    "bal_cc_hint": ("Қайта басу уақытты алып тастайды.", "Повторное нажатие убирает время.",
                    "Pressing a chosen time again removes it."),
    "bal_cc_rank": ("{n}-таңдау", "Выбор {n}", "Choice {n}"),
    "bal_cc_chosen": ("Таңдалғаны: {times}", "Выбрано: {times}", "Chosen: {times}"),
    "bal_cc_none": ("Әзірге ештеңе таңдалмады.", "Пока ничего не выбрано.",
                    "Nothing chosen yet."),
    "bal_cc_send": ("Қоңырау шалушының өтінімін жіберу", "Отправить заявку звонящего",
                    "Send the caller's request"),
    "bal_cc_clear": ("Қайта таңдау", "Выбрать заново", "Start over"),
    "bal_cc_need": ("Кемінде бір уақыт таңдаңыз.", "Выберите хотя бы одно время.",
                    "Choose at least one time."),
    "bal_cc_done": (
        "Өтінім қабылданды. Өтінім кодын оқып беріңіз: нәтиже жеребеден кейін e-mail арқылы "
        "келеді (егер берілсе) және осы кодпен сайтта көрінеді.",
        "Заявка принята. Продиктуйте код заявки: результат придёт после жеребьёвки на e-mail "
        "(если указан) и будет виден на сайте по этому коду.",
        "Request received. Read out the request code: the result comes after the draw by "
        "e-mail (if given) and is shown on the website under this code."),
    "bal_cc_entered": ("Өтінім жіберілді. Коды: {code}", "Заявка отправлена. Код: {code}",
                       "Request sent. Code: {code}"),
    "ballots_title": ("Жеребе өтінімдері", "Заявки на жеребьёвку", "Ballot requests"),
    "bstatus_entered": ("Жеребе күтілуде ({time})", "Ждёт жеребьёвки ({time})",
                        "Awaiting the draw ({time})"),
    "bstatus_won": ("Орын берілді: {time}", "Место досталось: {time}", "Won: {time}"),
    "bstatus_lost": ("Орын бұйырмады", "Место не досталось", "No place"),
}
CALLCENTRE.update(CC_WAITLIST)

# Keys of the shared page table the console's script also needs.
SHARED_KEYS = ("net_error", "live_on", "live_off", "updated_at", "slot_free", "today",
               "ssp_title", "ssp_body", "ssp_none", "eds_note", "priv_none",
               "priv_pensioner", "priv_large_family", "priv_disability", "status_active",
               "status_cancelled", "status_checked_in", "status_served", "status_no_show",
               "status_expired", "status_moved")


def _index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else 1


def cc(key: str, lang: str, **params: Any) -> str:
    """The console string for `key` in `lang`, with `{name}` parameters filled in."""
    text = CALLCENTRE[key][_index(lang)]
    return text.format(**params) if params else text


def strings(lang: str) -> dict[str, str]:
    """Every console string in one language, unformatted, for the page's script."""
    from kezek.web.i18n_ui import ui

    out = {key: texts[_index(lang)] for key, texts in CALLCENTRE.items()}
    out.update({key: ui(key, lang) for key in SHARED_KEYS})
    return out
