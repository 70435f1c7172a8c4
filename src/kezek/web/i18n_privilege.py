"""Words of privilege claims on the door console and the kiosk, in kk, ru and en.

Merged into `kezek.web.i18n_ui` (each entry is (kk, ru, en)); kept apart so that the
claim feature's page words live in one file.
"""

from __future__ import annotations

PRIVILEGE_UI: dict[str, tuple[str, str, str]] = {
    "claims_title": ("Жеңілдіктерді тексеру", "Проверка льгот", "Privilege claims to check"),
    "claims_none": ("Тексерілетін жеңілдік жоқ.", "Льгот для проверки нет.",
                    "No claims to check."),
    "claims_hint": ("Құжатты көріп, растаңыз немесе қабылдамаңыз.",
                    "Посмотрите документ и подтвердите или отклоните льготу.",
                    "See the document, then confirm or reject the claim."),
    "claim_check_pensioner": ("Зейнеткер: құжатты тексеріңіз",
                              "Пенсионер: проверьте документ",
                              "Pensioner: check the document"),
    "claim_check_large_family": ("Көпбалалы отбасы: құжатты тексеріңіз",
                                 "Многодетная семья: проверьте документ",
                                 "Large family: check the document"),
    "claim_check_disability": ("Мүгедектігі бар адам: құжатты тексеріңіз",
                               "Человек с инвалидностью: проверьте документ",
                               "Disability: check the document"),
    "claim_verified": ("Жеңілдік тізілім бойынша расталған",
                       "Льгота подтверждена реестром",
                       "Privilege verified by the registry"),
    "act_confirm": ("Растау", "Подтвердить", "Confirm"),
    "act_reject": ("Қабылдамау", "Отклонить", "Reject"),
    "claim_confirmed_msg": ("{ticket}: жеңілдік расталды", "{ticket}: льгота подтверждена",
                            "{ticket}: privilege confirmed"),
    "claim_general_msg": ("{ticket}: жеңілдік расталмады, жалпы кезекте күтеді",
                          "{ticket}: льгота не подтверждена, ждёт в общей очереди",
                          "{ticket}: privilege not confirmed, waits in the general queue"),
    "claim_refuse_msg": ("{ticket}: жеңілдік расталмады, талон жабылды",
                         "{ticket}: льгота не подтверждена, талон закрыт",
                         "{ticket}: privilege not confirmed, the ticket is closed"),
    "claim_rule_general": ("Расталмаса: адам жалпы кезекте күтеді.",
                           "Если не подтверждена: человек ждёт в общей очереди.",
                           "If not confirmed: the person waits in the general queue."),
    "claim_rule_refuse": ("Расталмаса: талон жабылады, жазылу тоқтатылады.",
                          "Если не подтверждена: талон закрывается, запись отменяется.",
                          "If not confirmed: the ticket is closed and the booking cancelled."),
    "col_claim": ("Жеңілдік", "Льгота", "Privilege"),
    "kiosk_claim_doc": ("Жеңілдік құжатыңызды есік жанындағы қызметкерге көрсетіңіз, "
                        "содан кейін экрандағы шақыруды күтіңіз.",
                        "Покажите документ о льготе сотруднику у входа, затем ждите "
                        "вызова на экране.",
                        "Show your privilege document to the staff at the door, then wait "
                        "to be called on the screen."),
}

CLAIM_KEYS = tuple(PRIVILEGE_UI)
