"""Messages of proof of identity and throttling, in the network's three languages.

Kept apart from `kezek.i18n` (which merges them into its one table) so that each file
stays readable; the codes are the domain errors' codes in `kezek.core.errors`.
"""

from __future__ import annotations

IDENTITY_MESSAGES: dict[str, dict[str, str]] = {
    "rate_limited": {
        "kk": "Сұраулар тым көп. {detail} кейін қайталап көріңіз.",
        "ru": "Слишком много запросов. Попробуйте снова через {detail}.",
        "en": "Too many requests. Please try again in {detail}."},
    # Russian takes the number's form (i18n.wait_words); these are its fallback.
    "wait.seconds": {"kk": "{n} секундтан", "ru": "{n} секунд", "en": "{n} seconds"},
    "wait.minutes": {"kk": "{n} минуттан", "ru": "{n} минут", "en": "{n} minutes"},
    "identity_required": {
        "kk": "Алдымен жеке басыңызды растаңыз: телефоныңызға жіберілген кодты енгізіңіз.",
        "ru": "Сначала подтвердите личность: введите код, отправленный на ваш телефон.",
        "en": "Please confirm your identity first: enter the code sent to your phone."},
    "identity_mismatch": {
        "kk": "Расталған ЖСН басқа. Осы ЖСН үшін кодты қайта алыңыз.",
        "ru": "Подтверждён другой ИИН. Получите код для этого ИИН.",
        "en": "A different IIN was confirmed. Get a code for this IIN."},
    "phone_required": {
        "kk": "Бұл ЖСН-ге телефон нөмірі тіркелмеген. Ұялы телефоныңыздың нөмірін енгізіңіз: "
              "біз оған код жібереміз.",
        "ru": "К этому ИИН не привязан номер телефона. Укажите номер вашего мобильного: "
              "мы отправим на него код.",
        "en": "No phone number is registered to this IIN. Enter your mobile number: we will "
              "send a code to it."},
    "no_phone": {
        "kk": "Бұл ЖСН-ге телефон нөмірі тіркелмеген. Нөміріңізді ХҚО-да жеке куәлікпен "
              "тіркеңіз немесе 1414 нөміріне қоңырау шалыңыз.",
        "ru": "К этому ИИН не привязан номер телефона. Зарегистрируйте номер в ЦОН с "
              "удостоверением личности или позвоните по номеру 1414.",
        "en": "No phone number is registered to this IIN. Register your number at a centre "
              "with your ID card, or call 1414."},
    "invalid_phone": {
        "kk": "Телефон нөмірі қате: +7 7XX XXX XX XX түрінде енгізіңіз.",
        "ru": "Неверный номер телефона: введите в виде +7 7XX XXX XX XX.",
        "en": "Invalid phone number: enter it as +7 7XX XXX XX XX."},
    "phone_taken": {
        "kk": "Бұл нөмір басқа ЖСН-дерге тіркелген. Нөмірді ХҚО-да жеке куәлікпен "
              "тіркеңіз.",
        "ru": "Этот номер уже привязан к другим ИИН. Зарегистрируйте номер в ЦОН с "
              "удостоверением личности.",
        "en": "This number is already registered to other IINs. Register your number at a "
              "centre with your ID card."},
    "code_invalid": {
        "kk": "Код қате. Қалған әрекет саны: {left}.",
        "ru": "Неверный код. Осталось попыток: {left}.",
        "en": "Wrong code. Tries left: {left}."},
    "code_expired": {
        "kk": "Кодтың мерзімі өтті немесе ол пайдаланылды. Жаңа код алыңыз.",
        "ru": "Срок кода истёк или он уже использован. Получите новый код.",
        "en": "The code has expired or was already used. Please get a new code."},
    "identity_unavailable": {
        "kk": "Растау қызметі уақытша қолжетімсіз. Кейінірек қайталап көріңіз.",
        "ru": "Сервис подтверждения временно недоступен. Попробуйте позже.",
        "en": "The confirmation service is temporarily unavailable. Please try again later."},
    "contact_not_registered": {
        "kk": "Бұл нөмір осы ЖСН-ге тіркелмеген. Нөміріңізді ХҚО-да жеке куәлікпен "
              "тіркеңіз немесе сайтта тіркелген нөмірге келген кодпен кіріңіз.",
        "ru": "Этот номер не привязан к этому ИИН. Зарегистрируйте номер в ЦОН с "
              "удостоверением личности или войдите на сайте по коду на привязанный номер.",
        "en": "This number is not registered to this IIN. Register your number at a centre "
              "with your ID card, or sign in on the website with a code sent to the "
              "registered number."},
    "identity_check_required": {
        "kk": "Оператор қоңырау шалушының жеке басын тексергенін белгілеуі керек.",
        "ru": "Оператор должен отметить, что личность звонящего проверена.",
        "en": "The operator must record that the caller's identity was checked."},
    "otp.sms": {
        "kk": "Kezek: растау коды {otp}. Ешкімге айтпаңыз. {minutes} минут жарамды.",
        "ru": "Kezek: код подтверждения {otp}. Никому его не сообщайте. Действует "
              "{minutes} мин.",
        "en": "Kezek: your confirmation code is {otp}. Do not share it. Valid for "
              "{minutes} min."},
}
