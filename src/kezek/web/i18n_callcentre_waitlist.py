"""The 1414 console's strings for the waitlist and the privilege path, (kk, ru, en).

Merged into `kezek.web.i18n_callcentre.CALLCENTRE`; kept apart so that neither table
outgrows a screenful. The wording follows the citizen pages' (i18n_waitlist): "күту
тізімі", "лист ожидания".
"""

from __future__ import annotations

CC_WAITLIST: dict[str, tuple[str, str, str]] = {
    # The caller's entries
    "cwl_title": ("Күту тізімі", "Лист ожидания", "Waitlist"),
    "cwl_none": ("Күту тізімінде жоқ.", "В листе ожидания нет.", "Not on any waitlist."),
    "cwl_col_day": ("Күні", "День", "Day"),
    "cwl_status_waiting": ("Кезекте: {n}-орын", "В очереди: {n}-й", "Waiting: number {n}"),
    "cwl_status_offered": ("Уақыт сақталды: {time}", "Придержано время: {time}",
                           "A time is held: {time}"),
    "cwl_status_accepted": ("Қабылданды: {time}", "Принято: {time}", "Accepted: {time}"),
    "cwl_status_expired": ("Аяқталды", "Завершена", "Ended"),
    "cwl_status_cancelled": ("Шықты", "Вышел из очереди", "Left"),
    "cwl_leave": ("Кезектен шығару", "Убрать из очереди", "Take off the list"),
    "cwl_left": ("{code} күту тізімінен шығарылды.", "{code}: снят с листа ожидания.",
                 "{code} taken off the waitlist."),
    "cwl_contact_sms": ("SMS", "SMS", "SMS"),
    "cwl_contact_email": ("e-mail", "e-mail", "e-mail"),
    # Joining, in the booking form
    "cwl_full_title": ("Бос уақыты жоқ күндер", "Дни без свободного времени",
                       "Fully booked days"),
    "cwl_full_none": ("Бос уақыты жоқ күн жоқ.", "Полностью занятых дней нет.",
                      "No fully booked days."),
    "cwl_full_lead": (
        "Қоңырау шалушы қалаған күн бос болмаса, оны күту тізіміне жазыңыз: уақыт босаса, "
        "кезектегі біріншіге сақталып, оған SMS немесе хат келеді.",
        "Если нужный звонящему день занят, поставьте его в лист ожидания: освободившееся "
        "время придержат для первого в очереди и сообщат ему по SMS или письмом.",
        "If the day the caller wants is full, put them on its waitlist: a freed time is "
        "held for the first in line, who is told by SMS or e-mail."),
    "cwl_day": ("Күту тізімінің күні", "День для листа ожидания", "Day to wait for"),
    "cwl_phone": ("Қоңырау шалушының ұялы телефоны (SMS үшін)",
                  "Мобильный телефон звонящего (для SMS)", "Caller's mobile (for the SMS)"),
    "cwl_phone_hint": ("+7 7XX XXX XX XX. Сақталғанда шифрланады, экранда көрінбейді.",
                       "+7 7XX XXX XX XX. Хранится зашифрованным, на экране не показывается.",
                       "+7 7XX XXX XX XX. Kept encrypted, never shown."),
    "cwl_join": ("Күту тізіміне жазу", "Поставить в лист ожидания", "Put on the waitlist"),
    "cwl_joined": (
        "Күту тізіміне жазылды. Кодын оқып беріңіз: {code}. Кезектегі орны: {n}.",
        "Поставлен в лист ожидания. Продиктуйте код: {code}. Место в очереди: {n}.",
        "On the waitlist. Read out the code: {code}. Place in line: {n}."),
    "cwl_no_contact": (
        "Телефон да, пошта да жоқ: қоңырау шалушы орнын кодпен өзі тексереді.",
        "Ни телефона, ни почты: звонящий проверяет своё место по коду сам.",
        "No phone and no e-mail: the caller checks their place with the code."),
    # The privilege path for an online-only service
    "cc_priv_title": ("Жеңілдігі бар адамдарға: ХҚО-дағы жеңілдік терезесі",
                      "Для льготников: льготное окно в ЦОН",
                      "With a privilege: a privilege window at a centre"),
    "cc_priv_lead": (
        "Зейнеткер, мүгедектігі бар адам немесе көпбалалы отбасы бұл қызметті ХҚО-ның "
        "жеңілдік терезесінде ала алады. Жеңілдікті таңдаңыз: ол кіре берісте құжатпен "
        "тексеріледі.",
        "Пенсионер, человек с инвалидностью или многодетная семья может получить эту "
        "услугу в льготном окне ЦОН. Выберите льготу: её проверят у входа по документу.",
        "A pensioner, a person with a disability or a large family can get this service at "
        "a centre's privilege window. Choose the privilege: it is checked at the door "
        "against a document."),
}
