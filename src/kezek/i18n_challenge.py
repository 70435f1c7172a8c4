"""Messages of the proof-of-work challenge (ALTCHA), in the network's three languages.

Kept apart from `kezek.i18n` (which merges them into its one table); the codes are
the errors' codes in `kezek.core.pow`.
"""

from __future__ import annotations

CHALLENGE_MESSAGES: dict[str, dict[str, str]] = {
    "challenge_required": {
        "kk": "Осы мекенжайдан сұраулар көп. Жалғастыру үшін жауаптағы тапсырманы "
              "шешіп, оны X-Altcha тақырыбында жіберіңіз.",
        "ru": "С этого адреса много запросов. Чтобы продолжить, решите задачу из ответа "
              "и отправьте решение в заголовке X-Altcha.",
        "en": "Many requests come from this address. To go on, solve the challenge in "
              "this answer and send the solution in the X-Altcha header."},
    "challenge_invalid": {
        "kk": "Тексеру тапсырмасының шешімі қате немесе жеткіліксіз. Жаңа тапсырма алыңыз.",
        "ru": "Решение проверочной задачи неверно или недостаточно. Получите новую задачу.",
        "en": "The challenge's solution is wrong or not enough. Please get a new challenge."},
    "challenge_expired": {
        "kk": "Тексеру тапсырмасының мерзімі өтті. Жаңа тапсырма алыңыз.",
        "ru": "Срок проверочной задачи истёк. Получите новую задачу.",
        "en": "The challenge has expired. Please get a new one."},
    "challenge_used": {
        "kk": "Бұл тексеру тапсырмасы бұрын пайдаланылған. Жаңа тапсырма алыңыз.",
        "ru": "Эта проверочная задача уже использована. Получите новую задачу.",
        "en": "This challenge was already used. Please get a new one."},
}
