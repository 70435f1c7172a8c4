"""Messages of fair release (ADR 13): a day not open yet, its ballot, and the draw.

Kept apart from `kezek.i18n` (which merges them into its one table); the codes are the
domain errors' codes of `kezek.core.release` and `kezek.app.ballot`.
"""

from __future__ import annotations

RELEASE_MESSAGES: dict[str, dict[str, str]] = {
    "not_released": {
        "kk": "Бұл күнге жазылу әлі ашылған жоқ. Ол {at} ашылады.",
        "ru": "Запись на этот день ещё не открыта. Она откроется {at}.",
        "en": "Booking for this day is not open yet. It opens at {at}."},
    "ballot_open": {
        "kk": "Бұл күнге орындар жеребе арқылы беріледі: өтінімді {at} дейін жіберіңіз. "
              "Қалған орындарға жазылу жеребеден кейін ашылады.",
        "ru": "Места на этот день распределяются жеребьёвкой: подайте заявку до {at}. "
              "Запись на оставшиеся места откроется после жеребьёвки.",
        "en": "Places for this day are given by ballot: send a request by {at}. "
              "Booking for the remaining places opens after the draw."},
    "ballot_closed": {
        "kk": "Бұл күнге жеребе өтінімдері қабылданбайды.",
        "ru": "Заявки на жеребьёвку на этот день не принимаются.",
        "en": "Ballot requests for this day are not being taken."},
    "ballot_already": {
        "kk": "Сіз бұл күнге бұл орталықта жеребеге өтінім беріп қойғансыз.",
        "ru": "Вы уже подали заявку на жеребьёвку в этот центр на этот день.",
        "en": "You have already sent a ballot request for this centre and day."},
    "ballot_choices": {
        "kk": "1-ден 3-ке дейін әртүрлі уақыт таңдаңыз.",
        "ru": "Выберите от 1 до 3 разных времён.",
        "en": "Choose from 1 to 3 different times."},
    "ballot_bad_choice": {
        "kk": "Таңдалған уақыт бұл күнгі жазылу уақыты емес.",
        "ru": "Выбранное время не является временем записи в этот день.",
        "en": "A chosen time is not a booking time on this day."},
}
