"""Messages of privilege claims (API errors and their sub-reasons), in kk, ru and en.

Kept apart from `kezek.i18n`, which merges them into its one table, so that the claim
feature's words live in one file.
"""

from __future__ import annotations

PRIVILEGE_MESSAGES: dict[str, dict[str, str]] = {
    "privilege_not_confirmed": {
        "kk": "Жеңілдік расталмады: оны жеңілдік терезесіне жазылу үшін пайдалану мүмкін "
              "емес. Жалпы кезекке жазылыңыз немесе 1414 нөміріне қоңырау шалыңыз.",
        "ru": "Льгота не подтверждена: по ней нельзя записаться в льготное окно. "
              "Запишитесь в общую очередь или позвоните по номеру 1414.",
        "en": "The privilege is not confirmed: it cannot be used to book a privilege "
              "window. Book in the general queue, or call 1414."},
    "privilege_refused": {
        "kk": "Жеңілдік құжатпен расталмады: бұл желіде мұндай келу қабылданбайды.",
        "ru": "Льгота не подтверждена документом: в этой сети такой визит не обслуживается.",
        "en": "The privilege was not confirmed by a document: this network does not serve "
              "such a visit."},
    "state.no_open_claim": {
        "kk": "бұл талонда тексерілетін жеңілдік жоқ",
        "ru": "у этого талона нет льготы, ожидающей проверки",
        "en": "this ticket has no privilege claim waiting to be checked"},
}
