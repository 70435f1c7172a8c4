"""The code step's strings on the citizen pages, (kk, ru, en); merged into `i18n_ui`."""

from __future__ import annotations

IDENTITY: dict[str, tuple[str, str, str]] = {
    "code_title": ("Растау кодын енгізіңіз", "Введите код подтверждения",
                   "Enter the confirmation code"),
    "code_lead": ("Біз {phone} нөміріне 6 санды код жібердік. Код {minutes} минут жарамды.",
                  "Мы отправили 6-значный код на номер {phone}. Код действует {minutes} мин.",
                  "We sent a 6-digit code to {phone}. It is valid for {minutes} minutes."),
    "code_lead_telegram": (
        "Біз 6 санды кодты Telegram-дағы Kezek ботымен чатқа жібердік ({phone} нөмірі). "
        "Код {minutes} минут жарамды.",
        "Мы отправили 6-значный код в чат с ботом Kezek в Telegram (номер {phone}). Код "
        "действует {minutes} мин.",
        "We sent a 6-digit code to your chat with the Kezek bot in Telegram (number "
        "{phone}). It is valid for {minutes} minutes."),
    "sms_code_label": ("Код", "Код", "Code"),
    "code_hint_otp": ("6 сан, мысалы 123456", "6 цифр, например 123456",
                      "6 digits, for example 123456"),
    "code_button": ("Растау", "Подтвердить", "Confirm"),
    "code_resend": ("Код келмеді ме? Жаңа код алу", "Код не пришёл? Получить новый код",
                    "No code? Get a new one"),
    "code_dev": ("Әзірлеу режимі: SMS жіберілмейді, код: {code}",
                 "Режим разработки: SMS не отправляется, код: {code}",
                 "Development mode: no SMS is sent; the code is {code}"),
    "otp_empty": ("Кодты енгізіңіз", "Введите код", "Enter the code"),
    "phone_title": ("Ұялы телефоныңыздың нөмірі", "Номер вашего мобильного телефона",
                    "Your mobile number"),
    "phone_lead": ("Бұл ЖСН-ге нөмір тіркелмеген. Нөміріңізді енгізіңіз: біз оған код "
                   "жібереміз, және нөмір осы ЖСН-ге тіркеледі.",
                   "К этому ИИН не привязан номер. Укажите ваш номер: мы отправим на него "
                   "код, и номер будет привязан к этому ИИН.",
                   "No number is registered to this IIN. Enter your number: we will send a "
                   "code to it, and the number will be registered to this IIN."),
    "phone_label": ("Телефон нөмірі", "Номер телефона", "Phone number"),
    "phone_hint": ("Мысалы +7 701 123 45 67", "Например +7 701 123 45 67",
                   "For example +7 701 123 45 67"),
    "phone_button": ("Код жіберу", "Отправить код", "Send the code"),
    "identity_lost": ("Растау мерзімі өтті. Қайтадан бастаңыз.",
                      "Подтверждение устарело. Начните заново.",
                      "The confirmation has expired. Please start again."),
}
