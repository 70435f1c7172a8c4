"""Error messages in the network's three languages, and picking the requester's language."""

from __future__ import annotations

from typing import Any

from kezek.i18n_abuse import ABUSE_MESSAGES
from kezek.i18n_challenge import CHALLENGE_MESSAGES
from kezek.i18n_console import CONSOLE_MESSAGES
from kezek.i18n_identity import IDENTITY_MESSAGES
from kezek.i18n_privilege import PRIVILEGE_MESSAGES
from kezek.i18n_release import RELEASE_MESSAGES

LANGS = ("kk", "ru", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "invalid_iin": {
        "kk": "ЖСН қате: {reason}",
        "ru": "Неверный ИИН: {reason}",
        "en": "Invalid IIN: {reason}",
    },
    "iin.empty": {"kk": "ЖСН енгізілмеген", "ru": "ИИН не указан", "en": "the IIN is empty"},
    "iin.not_digits": {
        "kk": "тек сандар болуы керек", "ru": "допускаются только цифры",
        "en": "only digits are allowed"},
    "iin.wrong_length": {
        "kk": "12 сан болуы керек", "ru": "должно быть 12 цифр", "en": "it must have 12 digits"},
    "iin.bad_check_digit": {
        "kk": "бақылау саны сәйкес емес, қайта тексеріңіз",
        "ru": "контрольная цифра не совпадает, проверьте номер",
        "en": "the check digit does not match; please check the number"},
    "iin.unissuable": {
        "kk": "мұндай нөмір берілмейді", "ru": "такой номер не выдаётся",
        "en": "no such number is ever issued"},
    "iin.not_a_person": {
        "kk": "бұл БСН (заңды тұлға), жеке тұлғаның ЖСН-ы қажет",
        "ru": "это БИН организации, нужен ИИН физического лица",
        "en": "this is a business ID (BIN); a person's IIN is needed"},
    "iin.bad_century": {
        "kk": "7-ші сан (ғасыр мен жыныс) 1-ден 6-ға дейін болуы керек",
        "ru": "7-я цифра (век и пол) должна быть от 1 до 6",
        "en": "the 7th digit (century and sex) must be 1 to 6"},
    "iin.bad_date": {
        "kk": "алғашқы 6 сан (ЖЖААКК) нақты күн болуы керек",
        "ru": "первые 6 цифр (ГГММДД) должны быть реальной датой",
        "en": "the first 6 digits (YYMMDD) must be a real date"},
    "not_found": {"kk": "Табылмады", "ru": "Не найдено", "en": "Not found"},
    "slot_full": {
        "kk": "Бұл уақыт бос емес. Басқа уақытты таңдаңыз.",
        "ru": "Это время уже занято. Выберите другое время.",
        "en": "This time is fully booked. Please choose another time."},
    "already_booked": {
        "kk": "Сізде бұл қызметке белсенді жазылу бар.",
        "ru": "У вас уже есть активная запись на эту услугу.",
        "en": "You already have an active booking for this service."},
    "quota_exceeded": {
        "kk": "Жазылу шегінен асып кетті: {detail}",
        "ru": "Превышен лимит записей: {detail}",
        "en": "Booking limit reached: {detail}"},
    "quota.per_period": {
        "kk": "{days} күнде {limit} жазылудан артық емес",
        "ru": "не более {limit} записей за {days} дней",
        "en": "at most {limit} booking(s) per {days} days"},
    "quota.per_day": {
        "kk": "бір күнде {limit} қызмет түрінен артық емес",
        "ru": "не более {limit} видов услуг в день",
        "en": "at most {limit} service types per day"},
    "service_not_offered": {
        "kk": "Бұл қызмет мұнда көрсетілмейді: {detail}",
        "ru": "Эта услуга здесь не оказывается: {detail}",
        "en": "This service is not offered here: {detail}"},
    "offer.online": {
        "kk": "қызмет egov.kz порталында онлайн қолжетімді",
        "ru": "услуга доступна онлайн на портале egov.kz",
        "en": "the service is available online at egov.kz"},
    "offer.not_here": {
        "kk": "бұл орталықта бұл қызметті көрсететін терезе жоқ",
        "ru": "в этом центре нет окна для этой услуги",
        "en": "no window at this centre serves it"},
    "offer.no_privilege_window": {
        "kk": "бұл орталықта жеңілдікті терезе жоқ",
        "ru": "в этом центре нет льготного окна",
        "en": "this centre has no privilege window"},
    "offer.privilege_only": {
        "kk": "тек жеңілдікті санаттағы адамдарға",
        "ru": "только для льготных категорий",
        "en": "only for privileged categories"},
    "outside_schedule": {
        "kk": "Бұл уақытқа жазылу мүмкін емес (кесте бойынша емес)",
        "ru": "На это время записаться нельзя (вне расписания)",
        "en": "This time cannot be booked (outside the schedule)"},
    "invalid_state": {
        "kk": "Бұл әрекетті қазір орындау мүмкін емес{detail}",
        "ru": "Это действие сейчас невозможно{detail}",
        "en": "This action is not possible now{detail}"},
    "state.other_day": {"kk": "жазылу басқа күнге", "ru": "запись на другой день",
                        "en": "the booking is for another day"},
    "state.other_center": {"kk": "жазылу басқа орталыққа", "ru": "запись в другой центр",
                           "en": "the booking is for another centre"},
    "state.window_busy": {"kk": "терезеде адам бар: алдымен аяқтаңыз",
                          "ru": "у окна уже есть посетитель: сначала завершите",
                          "en": "the window has someone: finish first"},
    "state.window_paused": {"kk": "терезе кідіртілген", "ru": "окно на паузе",
                            "en": "the window is paused"},
    "state.service_not_here": {"kk": "бұл қызмет осы орталықта жоқ",
                               "ru": "эта услуга в этом центре не оказывается",
                               "en": "that service is not offered at this centre"},
    "state.booking_checked_in": {"kk": "бұл жазылу бойынша келу бұрын белгіленген, талон "
                                       "берілген", "ru": "по этой записи приход уже отмечен, "
                                       "талон выдан", "en": "this booking is already checked "
                                       "in and has its ticket"},
    "state.booking_cancelled": {"kk": "жазылудан бас тартылған", "ru": "запись отменена",
                                "en": "the booking was cancelled"},
    "state.booking_held": {"kk": "жазылу әлі расталмаған", "ru": "запись ещё не подтверждена",
                           "en": "the booking is not confirmed yet"},
    "state.booking_served": {"kk": "бұл жазылу бойынша қызмет көрсетілген",
                             "ru": "по этой записи уже обслужили",
                             "en": "this booking has already been served"},
    "state.booking_no_show": {"kk": "жазылу келмеу ретінде жабылған",
                              "ru": "запись закрыта как неявка",
                              "en": "the booking was closed as a no-show"},
    "state.booking_expired": {"kk": "жазылудың мерзімі өтті", "ru": "срок записи истёк",
                              "en": "the booking has expired"},
    # A check-in refused at the door or the kiosk: what happened and what to do (issue 13).
    "arrival.booking_checked_in_ticket": {
        "kk": "Сіз осы жазылу бойынша {at} тіркелгенсіз, талоныңыз {ticket}. Таблодан "
              "нөміріңізді күтіңіз.",
        "ru": "Вы уже зарегистрировались по этой записи в {at}, ваш талон {ticket}. "
              "Ждите вызова этого номера на табло.",
        "en": "Already checked in for this booking at {at}, ticket {ticket}. Wait for that "
              "number on the board."},
    "arrival.booking_checked_in": {
        "kk": "Осы жазылу бойынша тіркелу бұрын жасалған, талон берілген. Талон жоғалса, "
              "кіреберістегі қызметкерге жүгініңіз.",
        "ru": "По этой записи уже зарегистрировались, талон выдан. Если талон потерян, "
              "обратитесь к сотруднику у входа.",
        "en": "This booking is already checked in and has its ticket. If the ticket is "
              "lost, ask the staff at the entrance."},
    "arrival.booking_cancelled": {
        "kk": "Бұл жазылудан бас тартылған. Қайта жазылыңыз немесе кіреберістегі "
              "қызметкерге жүгініңіз.",
        "ru": "Эта запись отменена. Запишитесь заново или обратитесь к сотруднику у входа.",
        "en": "This booking was cancelled. Book again or ask the staff at the entrance."},
    "arrival.booking_served": {
        "kk": "Бұл жазылу бойынша қызмет көрсетілген. Жаңа қызмет үшін қайта жазылыңыз.",
        "ru": "По этой записи вас уже обслужили. Для новой услуги запишитесь заново.",
        "en": "This booking has already been served. Book again for another visit."},
    "arrival.booking_no_show": {
        "kk": "Бұл жазылу келмеу ретінде жабылған. Кіреберістегі қызметкерге жүгініңіз.",
        "ru": "Эта запись закрыта как неявка. Обратитесь к сотруднику у входа.",
        "en": "This booking was closed as a no-show. Ask the staff at the entrance."},
    "arrival.booking_expired": {
        "kk": "Бұл жазылудың мерзімі өтті. Қайта жазылыңыз немесе кіреберістегі "
              "қызметкерге жүгініңіз.",
        "ru": "Срок этой записи истёк. Запишитесь заново или обратитесь к сотруднику у "
              "входа.",
        "en": "This booking has expired. Book again or ask the staff at the entrance."},
    "arrival.booking_held": {
        "kk": "Бұл жазылу әлі расталмаған. Оны SMS кодымен растаңыз немесе кіреберістегі "
              "қызметкерге жүгініңіз.",
        "ru": "Эта запись ещё не подтверждена. Подтвердите её кодом из SMS или обратитесь "
              "к сотруднику у входа.",
        "en": "This booking is not confirmed yet. Confirm it with the SMS code or ask the "
              "staff at the entrance."},
    "arrival.other_day": {
        "kk": "Бұл жазылу басқа күнге. Жазылған күні келіңіз немесе кіреберістегі "
              "қызметкерге жүгініңіз.",
        "ru": "Эта запись на другой день. Приходите в день записи или обратитесь к "
              "сотруднику у входа.",
        "en": "This booking is for another day. Come on the booked day or ask the staff "
              "at the entrance."},
    "arrival.other_center": {
        "kk": "Бұл жазылу басқа орталыққа. Жазылудағы мекенжайды тексеріңіз.",
        "ru": "Эта запись в другой центр. Проверьте адрес в записи.",
        "en": "This booking is for another centre. Check the address in the booking."},
    "arrival.not_found": {
        "kk": "Осы коды мен ЖСН бойынша жазылу табылмады. Код пен ЖСН-ді тексеріп, қайта "
              "енгізіңіз немесе кіреберістегі қызметкерге жүгініңіз.",
        "ru": "Запись с таким кодом и ИИН не найдена. Проверьте код и ИИН и введите их "
              "снова или обратитесь к сотруднику у входа.",
        "en": "No booking matches this code and IIN. Check both and try again, or ask the "
              "staff at the entrance."},
    "state.no_service": {"kk": "қызметті таңдаңыз", "ru": "выберите услугу",
                         "en": "choose a service"},
    "validation_error": {
        "kk": "Деректер қате: {detail}",
        "ru": "Неверные данные: {detail}",
        "en": "Invalid data: {detail}"},
    "conflict": {
        "kk": "Қайшылық: {detail}", "ru": "Конфликт: {detail}", "en": "Conflict: {detail}"},
    "unauthorized": {
        "kk": "Кіру қажет", "ru": "Требуется вход", "en": "Sign-in required"},
    "forbidden": {
        "kk": "Рұқсат жоқ", "ru": "Нет доступа", "en": "Not allowed"},
    "method_not_allowed": {
        "kk": "Бұл әдіске рұқсат жоқ", "ru": "Метод не поддерживается",
        "en": "Method not allowed"},
    "locked": {
        "kk": "Сәтсіз кіру әрекеттері тым көп болғандықтан есептік жазба бұғатталды. "
              "Әкімшіге хабарласыңыз.",
        "ru": "Учётная запись заблокирована после многих неудачных попыток входа. "
              "Обратитесь к администратору.",
        "en": "The account is locked after too many failed sign-ins. "
              "Ask an administrator to unlock it."},
    "weak_password": {
        "kk": "Құпиясөз тым әлсіз: {detail}",
        "ru": "Слишком слабый пароль: {detail}",
        "en": "The password is too weak: {detail}"},
    "password.short": {
        "kk": "кемінде {min_length} таңба болуы керек",
        "ru": "нужно не меньше {min_length} символов",
        "en": "it needs at least {min_length} characters"},
    "password.personal": {
        "kk": "логинге немесе аты-жөніңізге тым ұқсас",
        "ru": "слишком похож на логин или имя",
        "en": "it is too close to the username or the person's name"},
    "password.repeats": {
        "kk": "қайталанатын таңбаларды оңай табады",
        "ru": "повторы символов легко угадать",
        "en": "repeated characters are easy to guess"},
    "password.sequence": {
        "kk": "abcd немесе 1234 сияқты тізбектерді оңай табады",
        "ru": "последовательности вроде abcd или 1234 легко угадать",
        "en": "sequences like abcd or 1234 are easy to guess"},
    "password.keyboard": {
        "kk": "пернетақтадағы қатар тұрған пернелерді оңай табады",
        "ru": "соседние клавиши вроде qwerty легко угадать",
        "en": "keyboard patterns like qwerty are easy to guess"},
    "password.date": {
        "kk": "күндер мен жылдарды оңай табады",
        "ru": "даты и годы легко угадать",
        "en": "dates and years are easy to guess"},
    "password.common": {
        "kk": "бұл жиі қолданылатын құпиясөз немесе сөз; бірнеше сирек сөз қосыңыз",
        "ru": "это распространённый пароль или слово; добавьте несколько редких слов",
        "en": "it is a common password or word; add a few uncommon words"},
    "password.guessable": {
        "kk": "оңай табылады; ұзағырақ және сирек сөздерден құрастырыңыз",
        "ru": "его легко подобрать; сделайте длиннее, из редких слов",
        "en": "it is easy to guess; make it longer, of uncommon words"},
    "otp_required": {
        "kk": "Аутентификатор қосымшасындағы 6 таңбалы кодты енгізіңіз",
        "ru": "Введите 6-значный код из приложения-аутентификатора",
        "en": "Enter the 6-digit code from your authenticator app"},
    "otp_invalid": {
        "kk": "Код қате немесе бұрын қолданылған. Жаңа кодты күтіңіз.",
        "ru": "Код неверный или уже использован. Дождитесь нового кода.",
        "en": "The code is wrong or was already used. Wait for a new one."},
    "totp_enrolment_required": {
        "kk": "Әкімшіге екінші фактор қажет. Оны қосыңыз: kezek users totp {username} --enable",
        "ru": "Администратору нужен второй фактор. Подключите его: "
              "kezek users totp {username} --enable",
        "en": "An administrator needs a second factor. Enrol with: "
              "kezek users totp {username} --enable"},
    "password_change_required": {
        "kk": "Құпиясөз қалпына келтірілді: алдымен өз құпиясөзіңізді орнатыңыз",
        "ru": "Пароль был сброшен: сначала задайте свой пароль",
        "en": "Your password was reset: choose your own password first"},
    "internal_error": {
        "kk": "Ішкі қате", "ru": "Внутренняя ошибка", "en": "Internal error"},
    "busy": {
        "kk": "Қазір өтініш тым көп. Бір минуттан кейін қайталап көріңіз.",
        "ru": "Сейчас слишком много обращений. Повторите через минуту.",
        "en": "Too many requests right now. Please try again in a minute."},
    "unavailable": {
        "kk": "Қызмет уақытша қолжетімсіз. Кейінірек қайталап көріңіз.",
        "ru": "Сервис временно недоступен. Попробуйте позже.",
        "en": "The service is temporarily unavailable. Please try again later."},
    "video_slot_taken": {
        "kk": "Бұл бейнеқоңырау уақытын басқа біреу алып қойды. Басқа уақытты таңдаңыз.",
        "ru": "Это время видеоконсультации уже занято. Выберите другое время.",
        "en": "This video consultation slot has just been taken. Please choose another."},
    "waitlist_slots_free": {
        "kk": "Бұл күні бос уақыт бар: күту тізімінің орнына соған жазылыңыз.",
        "ru": "В этот день есть свободное время: запишитесь на него вместо листа ожидания.",
        "en": "There is free time that day: book it instead of joining the waitlist."},
    "waitlist_already": {
        "kk": "Сіз бұл күнге осы қызмет бойынша күту тізіміндесіз.",
        "ru": "Вы уже в листе ожидания на эту услугу в этот день.",
        "en": "You are already on the waitlist for this service that day."},
    "waitlist_no_offer": {
        "kk": "Сізге сақталған орын жоқ: ұсыныстың мерзімі өтті немесе ол қабылданды.",
        "ru": "Для вас нет придержанного места: предложение истекло или уже принято.",
        "en": "No place is held for you: the offer has expired or was already taken."},
}


MESSAGES.update(IDENTITY_MESSAGES)
MESSAGES.update(PRIVILEGE_MESSAGES)
MESSAGES.update(ABUSE_MESSAGES)
MESSAGES.update(RELEASE_MESSAGES)
MESSAGES.update(CONSOLE_MESSAGES)
MESSAGES.update(CHALLENGE_MESSAGES)


def negotiate(accept_language: str | None, default: str = "ru") -> str:
    """The best of kk/ru/en for an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return default
    best, best_q = default, -1.0
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang == "kz":
            lang = "kk"
        if lang in LANGS and q > best_q:
            best, best_q = lang, q
    return best


def message(code: str, lang: str, **params: Any) -> str:
    table = MESSAGES.get(code) or MESSAGES["internal_error"]
    text = table.get(lang) or table["en"]
    params = {k: v for k, v in params.items() if v is not None}
    params.setdefault("detail", "")
    params.setdefault("reason", "")
    try:
        return text.format(**params).rstrip(": ").strip()
    except (KeyError, IndexError):
        return text


def wait_words(seconds: int, lang: str) -> str:
    """A wait as people say it: seconds under two minutes, whole minutes above.

    Here rather than in i18n_identity (which holds the "wait.*" texts): it reads the one
    merged table through `message`, and the table modules import nothing back.
    """
    n, unit = (seconds, "seconds") if seconds < 120 else ((seconds + 59) // 60, "minutes")
    if lang == "ru":  # "через 1 минуту / 3 минуты / 5 минут", not "5 мин.." at a full stop
        forms = {"seconds": ("секунду", "секунды", "секунд"),
                 "minutes": ("минуту", "минуты", "минут")}[unit]
        return f"{n} {ru_plural(n, *forms)}"
    if lang == "en" and n == 1:
        return f"1 {unit[:-1]}"
    return message(f"wait.{unit}", lang, n=n)


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form a number takes: 1, 21 минуту; 2-4, 22 минуты; 5-20, 25 минут."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def error_message(code: str, lang: str, params: dict[str, Any]) -> str:
    """The user-facing message for a domain error, with its sub-reason translated."""
    p = dict(params)
    if code == "invalid_iin" and "problem" in p:
        p["reason"] = message(f"iin.{p['problem']}", lang)
    elif code == "quota_exceeded" and "rule" in p:
        p["detail"] = message(f"quota.{p['rule']}", lang, **p)
    elif code == "service_not_offered" and "reason" in p:
        p["detail"] = message(f"offer.{p['reason']}", lang)
    elif code == "rate_limited":
        p["detail"] = wait_words(int(p.get("retry_after", 60)), lang)
    elif code == "weak_password" and "reason" in p:
        p["detail"] = message(f"password.{p['reason']}", lang, **p)
    if p.get("where") == "door":  # a refused check-in: the door's fuller words
        key = "arrival.not_found" if code == "not_found" else f"arrival.{p.get('reason')}"
        if key == "arrival.booking_checked_in" and p.get("ticket"):
            key = "arrival.booking_checked_in_ticket"
        if key in MESSAGES:
            return message(key, lang, **p)
    if code == "invalid_state":
        reason = p.get("reason")
        p["detail"] = (": " + message(f"state.{reason}", lang)
                       if reason and f"state.{reason}" in MESSAGES else "")
    return message(code, lang, **p)
