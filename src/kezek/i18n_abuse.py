"""Messages of the abuse view and the no-show suspension, in kk, ru and en.

Merged into `kezek.i18n`'s one table like the identity messages; the codes are the
domain errors' codes (`kezek.core.abuse.Suspended`).
"""

from __future__ import annotations

ABUSE_MESSAGES: dict[str, dict[str, str]] = {
    "suspended": {
        "kk": "Жазылу {until} дейін тоқтатылды: сіз {days} күн ішінде {count} рет жазылған "
              "уақытта келмедіңіз. Осы күннен бастап қайта жазыла аласыз. Қате деп "
              "ойласаңыз, ХҚО-ға немесе 1414 нөміріне хабарласыңыз.",
        "ru": "Запись приостановлена до {until}: вы {count} раз не пришли на записанное "
              "время за {days} дней. С этой даты вы снова сможете записаться. Если это "
              "ошибка, обратитесь в ЦОН или по номеру 1414.",
        "en": "Booking is suspended until {until}: you missed {count} booked visits within "
              "{days} days. You can book again from that date. If this is a mistake, "
              "contact a centre or call 1414."},
}
