"""Words of kiosk enrolment, in kk, ru and en: the staff page that enrols and revokes a
centre's kiosks, and the kiosk's own enrolment screen (merged into i18n_ui.UI)."""

from __future__ import annotations

KIOSK_UI: dict[str, tuple[str, str, str]] = {
    "kiosk_devices_title": ("Орталықтың киосктері", "Киоски центра", "Kiosks of this centre"),
    "kiosk_devices_lead": (
        "Киоск қызметкердің сессиясынсыз жұмыс істейді: бір рет тіркеңіз, ол тек осы "
        "орталықтың өзіне-өзі тіркелу бетін ашады.",
        "Киоск работает без сессии сотрудника: зарегистрируйте его один раз, и он "
        "откроет только страницу самостоятельной регистрации этого центра.",
        "A kiosk works without a staff session: enrol it once and it opens only this "
        "centre's self check-in page."),
    "kiosk_enrol_button": ("Киоскіні тіркеу кодын алу", "Получить код для киоска",
                           "Get a kiosk enrolment code"),
    "kiosk_code_given": (
        "Тіркеу коды: {code}. Киоскіде {url} бетін ашып, кодты енгізіңіз немесе төмендегі "
        "сілтемені киоскіде ашыңыз. Код бір рет, 30 минут жарамды.",
        "Код регистрации: {code}. На киоске откройте {url} и введите код или откройте "
        "ссылку ниже на киоске. Код действует один раз, 30 минут.",
        "Enrolment code: {code}. On the kiosk open {url} and type the code, or open the "
        "link below on the kiosk. The code works once, for 30 minutes."),
    "kiosk_link_label": ("Киоскіге арналған бір реттік сілтеме", "Одноразовая ссылка для киоска",
                         "One-time link for the kiosk"),
    "kiosk_devices_none": ("Тіркелген киоск жоқ.", "Зарегистрированных киосков нет.",
                           "No kiosk is enrolled."),
    "kiosk_device_row": ("{id} киоскісі, {when} тіркеген: {by}",
                         "Киоск {id}, зарегистрирован {when}, кем: {by}",
                         "Kiosk {id}, enrolled {when} by {by}"),
    "kiosk_device_revoked": ("{when} өшірілді", "отключён {when}", "revoked {when}"),
    "kiosk_revoke_button": ("Өшіру", "Отключить", "Revoke"),
    "kiosk_revoked_msg": ("Киоск өшірілді: келесі әрекетінде жұмысын тоқтатады.",
                          "Киоск отключён: он перестанет работать при следующем действии.",
                          "Kiosk revoked: it stops working on its next request."),
    "kiosk_enrol_title": ("Киоскіні тіркеу", "Регистрация киоска", "Enrol this kiosk"),
    "kiosk_enrol_lead": ("Орталық қызметкері берген тіркеу кодын енгізіңіз.",
                         "Введите код регистрации, который дал сотрудник центра.",
                         "Type the enrolment code the centre's staff gave you."),
    "kiosk_enrol_code": ("Тіркеу коды", "Код регистрации", "Enrolment code"),
    "kiosk_enrol_submit": ("Тіркеу", "Зарегистрировать", "Enrol"),
    "kiosk_enrol_bad": (
        "Бұл код белгісіз, қолданылған немесе мерзімі өткен. Орталық қызметкерінен жаңа "
        "код сұраңыз.",
        "Этот код неизвестен, уже использован или просрочен. Попросите у сотрудника "
        "центра новый код.",
        "This code is unknown, already used or expired. Ask the centre's staff for a new "
        "one."),
    "kiosk_not_enrolled": (
        "Бұл киоск тіркелмеген немесе өшірілген. Қызметкер оны қайта тіркеуі керек.",
        "Этот киоск не зарегистрирован или отключён. Сотрудник должен зарегистрировать "
        "его заново.",
        "This kiosk is not enrolled or was revoked. Staff need to enrol it again."),
    "kiosk_manage_link": ("Киосктер", "Киоски", "Kiosks"),
}
