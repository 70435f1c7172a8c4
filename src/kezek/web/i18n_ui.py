"""Every visible string of the pages, in Kazakh, Russian and English (the floor
consoles' strings live in `kezek.web.i18n_floor`, the waitlist pages' in
`kezek.web.i18n_waitlist`; both are merged in here).

Each entry is (kk, ru, en). Domain error messages are not here: they come from
`kezek.i18n.error_message`, so the pages and the API say the same thing.
"""

from __future__ import annotations

from typing import Any

from kezek.i18n import ru_plural
from kezek.web.i18n_console import CONSOLE
from kezek.web.i18n_feedback import FEEDBACK
from kezek.web.i18n_floor import FLOOR
from kezek.web.i18n_identity import IDENTITY
from kezek.web.i18n_kiosk import KIOSK_UI
from kezek.web.i18n_move import MOVE
from kezek.web.i18n_privilege import PRIVILEGE_UI
from kezek.web.i18n_privilege_path import PRIVILEGE_PATH
from kezek.web.i18n_release import RELEASE
from kezek.web.i18n_search import SEARCH_UI
from kezek.web.i18n_waitlist import WAITLIST

LANGS = ("kk", "ru", "en")
LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

UI: dict[str, tuple[str, str, str]] = {
    # Frame
    "brand_tagline": ("Халыққа қызмет көрсету орталығына жазылу",
                      "Запись в центр обслуживания населения",
                      "Booking a public service centre"),
    "skip": ("Негізгі мазмұнға өту", "Перейти к основному содержанию", "Skip to main content"),
    "language": ("Тіл", "Язык", "Language"),
    "nav_label": ("Негізгі мәзір", "Главное меню", "Main menu"),
    "nav_services": ("Қызметті табу", "Найти услугу", "Find a service"),
    "nav_find": ("Жазылуды табу", "Найти запись", "Find a booking"),
    "nav_mine": ("Менің жазылуларым", "Мои записи", "My bookings"),
    "footer_help": ("Сұрақтарыңыз бар ма? 1414 нөміріне қоңырау шалыңыз.",
                    "Есть вопросы? Звоните 1414.", "Questions? Call 1414."),
    "footer_portal": ("Электрондық үкімет порталы", "Портал электронного правительства",
                      "E-government portal"),
    "error_prefix": ("Қате", "Ошибка", "Error"),
    "error_summary": ("Қатені түзетіңіз", "Исправьте ошибку", "There is a problem"),
    "back": ("Артқа", "Назад", "Back"),
    "continue": ("Жалғастыру", "Продолжить", "Continue"),
    "change": ("Өзгерту", "Изменить", "Change"),
    # Start page
    "start_title": ("Халыққа қызмет көрсету орталығына жазылыңыз",
                    "Запишитесь на приём в центр обслуживания населения",
                    "Book a visit to a public service centre"),
    "start_lead": (
        "Көптеген орталықтар енді тек алдын ала жазылу бойынша қабылдайды. Қызметті тауып, "
        "орталықты, күн мен уақытты таңдаңыз да, ЖСН-іңізді енгізіңіз. Сізге жазылу коды "
        "беріледі.",
        "Многие центры теперь принимают только по записи. Найдите услугу, выберите центр, "
        "день и время и введите свой ИИН. Вы получите код записи.",
        "Many centres now see people only by booking. Find your service, choose a centre, "
        "a day and a time, and enter your IIN. You will get a booking code."),
    "start_online": (
        "Қызметтердің көбін орталыққа келмей-ақ электрондық үкімет порталында онлайн алуға "
        "болады:",
        "Большинство услуг можно получить онлайн на портале электронного правительства, "
        "не приходя в центр:",
        "Most services can be obtained online on the e-government portal, without visiting "
        "a centre:"),
    "start_have_booking": ("Жазылуыңыз бар ма?", "Уже записались?", "Already booked?"),
    "search_label": ("Қызметті іздеу", "Найти услугу", "Find a service"),
    "search_hint": ("Мысалы: жеке куәлік, бала туу, көлік",
                    "Например: удостоверение личности, рождение, транспорт",
                    "For example: identity card, birth, vehicle"),
    "search_button": ("Іздеу", "Найти", "Search"),
    "search_empty": ("Не іздеп жүргеніңізді жазыңыз", "Введите, что вы ищете",
                     "Enter what you are looking for"),
    # Results
    "results_title": ("Іздеу нәтижелері", "Результаты поиска", "Search results"),
    "results_count": ("Табылды: {n}", "Найдено: {n}", "Found: {n}"),
    "results_none": (
        "Қызмет табылмады. Жазылуын тексеріңіз немесе басқа сөздерді қолданып көріңіз.",
        "Услуги не найдены. Проверьте написание или попробуйте другие слова.",
        "No services found. Check the spelling or try other words."),
    "results_online": ("Онлайн", "Онлайн", "Online"),
    # Service page
    "standard_title": ("Қызмет стандарты", "Стандарт услуги", "What to expect"),
    "std_code": ("Қызмет коды", "Код услуги", "Service code"),
    "std_wait": ("Күтудің ең ұзақ уақыты", "Максимальное время ожидания",
                 "Longest wait at the centre"),
    "std_fee": ("Мемлекеттік баж", "Госпошлина", "State fee"),
    "std_term": ("Көрсету мерзімі", "Срок оказания", "Ready in"),
    "minutes": ("{n} минут", "{n} мин", "{n} minutes"),
    "fee_free": ("Тегін", "Бесплатно", "Free"),
    "fee_mci": ("{n} АЕК (айлық есептік көрсеткіш)", "{n} МРП (месячный расчётный показатель)",
                "{n} MCI (monthly calculation index)"),
    "term_same_day": ("Жүгінген күні", "В день обращения", "On the same day"),
    "online_title": ("Бұл қызметті онлайн алуға болады", "Эту услугу можно получить онлайн",
                     "You can do this online"),
    "online_only_body": (
        "Бұл қызмет тек электрондық үкімет порталында көрсетіледі. Орталыққа барудың "
        "қажеті жоқ.",
        "Эта услуга оказывается только на портале электронного правительства. Приходить "
        "в центр не нужно.",
        "This service is provided only on the e-government portal. You do not need to "
        "visit a centre."),
    "both_body": (
        "Бұл қызметті орталыққа келмей-ақ порталда онлайн алуға болады. Қаласаңыз, "
        "орталыққа қабылдауға жазылыңыз.",
        "Эту услугу можно получить онлайн на портале, не приходя в центр. Если вам удобнее, "
        "запишитесь на приём в центр.",
        "You can get this service online on the portal, without a visit. If you prefer, "
        "book a visit to a centre."),
    "portal_link": ("{host} порталына өту", "Перейти на портал {host}", "Go to {host}"),
    "eds_note": (
        "Сізге электрондық цифрлық қолтаңба (ЭЦҚ) қажет болады; оны да порталдан алуға болады.",
        "Понадобится электронная цифровая подпись (ЭЦП); её тоже можно получить на портале.",
        "You will need an electronic digital signature (EDS); you can get one on the portal "
        "too."),
    "ssp_title": ("Компьютеріңіз жоқ па?", "Нет компьютера?", "No computer?"),
    "ssp_body": (
        "Өзіне-өзі қызмет көрсету орнына келіңіз: онда порталды тегін пайдалана аласыз.",
        "Приходите в точку самообслуживания: там можно бесплатно воспользоваться порталом.",
        "Visit a self-service point: you can use the portal there for free."),
    "ssp_none": ("Өзіне-өзі қызмет көрсету орындары әзірге жоқ.",
                 "Точек самообслуживания пока нет.", "There are no self-service points yet."),
    "ssp_far": ("Сіздің қалаңызда өзіне-өзі қызмет көрсету орны жоқ; ең жақыны {km}\u00a0км жерде.",
                "В вашем городе точек самообслуживания нет; ближайшая в {km}\u00a0км.",
                "There is no self-service point in your city; the nearest is {km}\u00a0km away."),
    "km_away": ("{km}\u00a0км", "{km}\u00a0км", "{km}\u00a0km"),  # never split at a line end
    "hours": ("Жұмыс уақыты", "Часы работы", "Opening hours"),
    "help_video": (
        "Орталық қызметкерлері 1414 арқылы және порталдағы бейнебайланыс арқылы көмектеседі.",
        "Сотрудники центров помогут по телефону 1414 и по видеосвязи на портале.",
        "Centre staff can help by phone on 1414 and by video call on the portal."),
    "book_visit_title": ("Орталыққа жазылу", "Запись в центр", "Book a visit"),
    "centres_title": ("Орталықты таңдаңыз", "Выберите центр", "Choose a centre"),
    "city_label": ("Қала немесе аудан", "Город или район", "City or district"),
    "city_all": ("Барлығы", "Все", "All"),
    "city_show": ("Көрсету", "Показать", "Show"),
    "no_centres": ("Бұл қызметті әзірге бірде-бір орталық көрсетпейді.",
                   "Пока ни один центр не оказывает эту услугу.",
                   "No centre offers this service yet."),
    "centre_booking_only": ("Тек алдын ала жазылу бойынша", "Только по предварительной записи",
                            "By booking only"),
    "centre_specialised": ("Мамандандырылған ХҚО (көлік)", "Специализированный ЦОН (транспорт)",
                           "Vehicle service centre"),
    "centre_privilege_only": (
        "Бұл орталықта тек зейнеткерлерге, көпбалалы отбасыларға және мүгедектігі бар "
        "адамдарға",
        "В этом центре — только для пенсионеров, многодетных семей и людей с инвалидностью",
        "At this centre only for pensioners, large families and people with disabilities"),
    # Day and time
    "book_title": ("Күн мен уақытты таңдаңыз", "Выберите день и время",
                   "Choose a day and a time"),
    "days_title": ("Күнді таңдаңыз", "Выберите день", "Choose a day"),
    "times_legend": ("{day}: бос уақыт", "{day}: свободное время", "Free times on {day}"),
    "no_slots": ("Жақын күндері бос уақыт жоқ. Басқа орталықты таңдап көріңіз.",
                 "В ближайшие дни свободного времени нет. Попробуйте другой центр.",
                 "There are no free times in the coming days. Try another centre."),
    "other_centre": ("Басқа орталықты таңдау", "Выбрать другой центр", "Choose another centre"),
    "choose_time": ("Уақытты таңдаңыз", "Выберите время", "Choose a time"),
    "privilege_legend": ("Сіз жеңілдігі бар санатқа жатасыз ба?",
                         "Вы относитесь к льготной категории?",
                         "Do you belong to a privileged group?"),
    "privilege_hint": (
        "Зейнеткерлерге, көпбалалы отбасыларға және мүгедектігі бар адамдарға жеңілдікті "
        "терезеде қызмет көрсетіледі. Растайтын құжатты ала келіңіз.",
        "Пенсионеров, многодетные семьи и людей с инвалидностью обслуживают в льготном окне. "
        "Возьмите с собой подтверждающий документ.",
        "Pensioners, large families and people with disabilities are served at a privilege "
        "window. Bring a document that proves it."),
    "privilege_proof": ("Растайтын құжатты ала келіңіз.",
                        "Возьмите с собой подтверждающий документ.",
                        "Bring a document that proves it."),
    "priv_none": ("Жоқ", "Нет", "No"),
    "priv_pensioner": ("Зейнеткер", "Пенсионер", "Pensioner"),
    "priv_large_family": ("Көпбалалы отбасы", "Многодетная семья", "Large family"),
    "priv_disability": ("Мүгедектігі бар адам", "Человек с инвалидностью",
                        "Person with a disability"),
    "privilege_required_title": ("Сіз жеңілдігі бар санатқа жатасыз ба?",
                                 "Вы относитесь к льготной категории?",
                                 "Do you belong to a privileged group?"),
    "privilege_required_body": (
        "Бұл қызметті онлайн алуға болады. Бұл орталықта ол тек зейнеткерлерге, көпбалалы "
        "отбасыларға және мүгедектігі бар адамдарға жеңілдікті терезеде көрсетіледі.",
        "Эту услугу можно получить онлайн. В этом центре её оказывают только пенсионерам, "
        "многодетным семьям и людям с инвалидностью — в льготном окне.",
        "You can get this service online. At this centre it is provided only to pensioners, "
        "large families and people with disabilities, at the privilege window."),
    "priv_none_online": ("Ешқайсысы емес: қызметті онлайн аламын",
                         "Ни то, ни другое: получу услугу онлайн",
                         "None of these: I will do it online"),
    "choose_option": ("Бір нұсқаны таңдаңыз", "Выберите один из вариантов",
                      "Choose one option"),
    "go_online_title": ("Қызметті онлайн алыңыз", "Получите услугу онлайн",
                        "Get the service online"),
    # Confirm
    "confirm_title": ("ЖСН-іңізді енгізіңіз", "Введите ИИН", "Enter your IIN"),
    "your_booking": ("Сіздің жазылуыңыз", "Ваша запись", "Your booking"),
    "row_service": ("Қызмет", "Услуга", "Service"),
    "row_centre": ("Орталық", "Центр", "Centre"),
    "row_address": ("Мекенжай", "Адрес", "Address"),
    "row_when": ("Күні мен уақыты", "Дата и время", "Date and time"),
    "row_privilege": ("Жеңілдік", "Льгота", "Privilege"),
    "row_iin": ("ЖСН", "ИИН", "IIN"),
    "row_status": ("Күйі", "Статус", "Status"),
    "row_code": ("Жазылу коды", "Код записи", "Booking code"),
    "iin_label": ("ЖСН (жеке сәйкестендіру нөмірі)", "ИИН (индивидуальный идентификационный "
                  "номер)", "IIN (individual identification number)"),
    "iin_hint": ("Жеке куәліктегідей 12 сан. Жазылу осы адамның атына рәсімделеді.",
                 "12 цифр, как в удостоверении личности. Запись оформляется на этого человека.",
                 "12 digits, as on your identity card. The booking is made in this person's "
                 "name."),
    "iin_seller": ("Көлікті қайта тіркеу үшін сатушының ЖСН-ін енгізіңіз.",
                   "При перерегистрации транспорта укажите ИИН продавца.",
                   "To re-register a vehicle, enter the seller's IIN."),
    "iin_privacy": ("ЖСН-іңіз ашық түрде сақталмайды және көрсетілмейді.",
                    "Ваш ИИН не хранится и не показывается в открытом виде.",
                    "Your IIN is never stored or shown in full."),
    "book_button": ("Жазылу", "Записаться", "Book this time"),
    "see_mine": ("Жазылуларыңызды қарау", "Посмотреть свои записи", "See your bookings"),
    # Done
    "done_title": ("Сіз жазылдыңыз", "Вы записаны", "You are booked"),
    "code_label": ("Сіздің жазылу кодыңыз", "Ваш код записи", "Your booking code"),
    "code_note": ("Оны жазып алыңыз немесе суретке түсіріңіз. Орталыққа кірерде көрсетіңіз.",
                  "Запишите или сфотографируйте его. Покажите его при входе в центр.",
                  "Write it down or take a photo. Show it at the entrance of the centre."),
    "bring_title": ("Өзіңізбен не алу керек", "Что взять с собой", "What to bring"),
    "bring_id": ("Жеке куәлік немесе паспорт", "Удостоверение личности или паспорт",
                 "Your identity card or passport"),
    "bring_docs": ("Қызметке қажетті құжаттар (1414 арқылы нақтылауға болады)",
                   "Документы, нужные для услуги (можно уточнить по 1414)",
                   "The documents the service needs (you can ask on 1414)"),
    "bring_privilege": ("Жеңілдікті растайтын құжат", "Документ, подтверждающий льготу",
                        "A document that proves your privilege"),
    "bring_fee": ("Мемлекеттік баж төлемі: {fee}", "Оплата госпошлины: {fee}",
                  "Payment of the state fee: {fee}"),
    "arrive_note": (
        "Белгіленген уақыттан 10 минут бұрын келіңіз. Келе алмасаңыз, уақыт басқа адамға "
        "берілуі үшін жазылудан бас тартыңыз.",
        "Приходите за 10 минут до назначенного времени. Если не сможете прийти, отмените "
        "запись, чтобы время досталось другому человеку.",
        "Come 10 minutes before your time. If you cannot come, cancel the booking so that "
        "someone else can have the time."),
    "manage_link": ("Жазылуды табу немесе одан бас тарту", "Найти или отменить запись",
                    "Find or cancel a booking"),
    "done_unknown": (
        "Бұл бет тек жазылғаннан кейін бірден көрсетіледі. Жазылуды кодыңыз бен ЖСН "
        "арқылы табыңыз.",
        "Эта страница показывается только сразу после записи. Найдите запись по коду и ИИН.",
        "This page is shown only right after booking. Find your booking with its code and "
        "your IIN."),
    # Find, cancel, my bookings
    "find_title": ("Жазылуды табу", "Найти запись", "Find your booking"),
    "find_lead": ("Жазылу кодын және жазылу кезінде енгізілген ЖСН-ді енгізіңіз.",
                  "Введите код записи и ИИН, с которым вы записывались.",
                  "Enter the booking code and the IIN you booked with."),
    "code_field": ("Жазылу коды", "Код записи", "Booking code"),
    "code_hint": ("8 әріп пен сан, мысалы ABCD-2345", "8 букв и цифр, например ABCD-2345",
                  "8 letters and digits, for example ABCD-2345"),
    "code_empty": ("Жазылу кодын енгізіңіз", "Введите код записи", "Enter the booking code"),
    "find_button": ("Табу", "Найти", "Find"),
    "not_found_hint": ("Код пен ЖСН-ді тексеріп, қайталап көріңіз.",
                       "Проверьте код и ИИН и попробуйте ещё раз.",
                       "Check the code and the IIN and try again."),
    "cancel_button": ("Жазылудан бас тарту", "Отменить запись", "Cancel this booking"),
    "cancel_warning": ("Бұл уақыт басқа адамдарға ұсынылады. Мұны қайтару мүмкін емес.",
                       "Время станет доступно другим людям. Это действие нельзя отменить.",
                       "The time will be offered to other people. This cannot be undone."),
    "cancelled_title": ("Жазылуыңыз жойылды", "Запись отменена", "Your booking is cancelled"),
    "cancelled_body": ("{code} коды бар жазылу жойылды.", "Запись с кодом {code} отменена.",
                       "The booking with code {code} is cancelled."),
    "book_again": ("Басқа уақытқа жазылу", "Записаться на другое время", "Book another time"),
    "session_expired": ("Бетті қайта ашып, жазылуды қайта табыңыз.",
                        "Откройте страницу заново и найдите запись ещё раз.",
                        "Please find your booking again."),
    "mine_title": ("Менің жазылуларым", "Мои записи", "My bookings"),
    "mine_lead": ("Белсенді жазылуларыңызды көру үшін ЖСН-іңізді енгізіңіз.",
                  "Введите ИИН, чтобы увидеть свои активные записи.",
                  "Enter your IIN to see your active bookings."),
    "mine_button": ("Жазылуларды көрсету", "Показать записи", "Show my bookings"),
    "mine_none": ("Сізде белсенді жазылу жоқ.", "У вас нет активных записей.",
                  "You have no active bookings."),
    "mine_for": ("ЖСН {iin} бойынша белсенді жазылулар", "Активные записи по ИИН {iin}",
                 "Active bookings for IIN {iin}"),
    "status_active": ("Белсенді", "Активна", "Active"),
    "status_cancelled": ("Жойылды", "Отменена", "Cancelled"),
    "status_checked_in": ("Келгені белгіленді", "Отмечен приход", "Checked in"),
    "status_served": ("Қызмет көрсетілді", "Обслужен", "Served"),
    "status_no_show": ("Келмеді", "Неявка", "Did not come"),
    "status_expired": ("Мерзімі өтті", "Истекла", "Expired"),
    "status_moved": ("Басқа уақытқа ауыстырылды", "Перенесена на другое время",
                     "Moved to another time"),
    # Problem pages
    "csrf_title": ("Форманың мерзімі өтті", "Форма устарела", "This form has expired"),
    "csrf_body": ("Қауіпсіздігіңіз үшін бетті қайта ашып, форманы қайта жіберіңіз.",
                  "Для вашей безопасности откройте страницу заново и отправьте форму ещё раз.",
                  "For your safety, open the page again and send the form once more."),
    "not_found_title": ("Бет табылмады", "Страница не найдена", "Page not found"),
    "not_found_body": ("Мекенжайды тексеріңіз немесе қызметті іздеуден бастаңыз.",
                       "Проверьте адрес или начните с поиска услуги.",
                       "Check the address, or start by finding a service."),
    "not_offered_title": ("Бұл жерге жазылу мүмкін емес", "Сюда записаться нельзя",
                          "You cannot book here"),
    "start_over": ("Басынан бастау", "Начать сначала", "Start again"),
    "earliest_free": ("Ең жақын бос уақыт: {when}", "Ближайшее свободное время: {when}",
                      "Earliest free time: {when}"),
    "earliest_none": ("Алдағы {days} күнде бос уақыт жоқ",
                      "Нет свободного времени в ближайшие {days} дней",
                      "No free time in the next {days} days"),
    "try_again": ("Қайталап көру", "Попробовать снова", "Try again"),
    "error_title": ("Бұл бетті ашу мүмкін емес", "Эту страницу нельзя открыть",
                    "This page cannot be opened"),
    "busy_title": ("Қазір жүктеме жоғары", "Сейчас большая нагрузка", "We are busy right now"),
    "unavailable_title": ("Қызмет уақытша қолжетімсіз", "Сервис временно недоступен",
                          "Temporarily unavailable"),
    "internal_title": ("Бірдеңе дұрыс болмады", "Что-то пошло не так", "Something went wrong"),
    "internal_body": ("Қате тіркелді. Қайталап көріңіз немесе 1414 нөміріне қоңырау шалыңыз.",
                      "Ошибка записана. Попробуйте ещё раз или позвоните по номеру 1414.",
                      "The error has been recorded. Please try again, or call 1414."),
    # Staff sign-in
    "staff_title": ("Қызметкерлерге кіру", "Вход для сотрудников", "Staff sign-in"),
    "staff_lead": ("Орталық қызметкерлері мен әкімшілерге арналған.",
                   "Для сотрудников центров и администраторов.",
                   "For centre staff and administrators."),
    "username": ("Логин", "Логин", "Username"),
    "password": ("Құпиясөз", "Пароль", "Password"),
    "sign_in": ("Кіру", "Войти", "Sign in"),
    "sign_out": ("Шығу", "Выйти", "Sign out"),
    "bad_login": ("Логин немесе құпиясөз қате", "Неверный логин или пароль",
                  "The username or password is wrong"),
    "otp_label": ("Бір реттік код", "Одноразовый код", "One-time code"),
    "otp_hint": ("Екінші фактор қосылған болса: қосымшадағы 6 сан",
                 "Если подключён второй фактор: 6 цифр из приложения",
                 "If you use a second factor: the 6 digits from your app"),
    "password_title": ("Құпиясөзді өзгерту", "Сменить пароль", "Change password"),
    "password_lead": ("Кемінде 12 таңба; бірнеше сирек сөзден құрастырған жөн.",
                      "Не меньше 12 символов; лучше несколько редких слов.",
                      "At least 12 characters; a few uncommon words work best."),
    "old_password": ("Қазіргі құпиясөз", "Текущий пароль", "Current password"),
    "new_password": ("Жаңа құпиясөз", "Новый пароль", "New password"),
    "new_password2": ("Жаңа құпиясөзді қайталаңыз", "Повторите новый пароль",
                      "New password again"),
    "password_button": ("Өзгерту", "Сменить", "Change"),
    "passwords_differ": ("Жаңа құпиясөздер сәйкес емес", "Новые пароли не совпадают",
                         "The new passwords do not match"),
    "bad_old_password": ("Қазіргі құпиясөз қате", "Текущий пароль неверный",
                         "The current password is wrong"),
    "signed_in_as": ("Сіз кірдіңіз: {name}, рөлі: {role}", "Вы вошли: {name}, роль: {role}",
                     "Signed in as {name}, role: {role}"),
    "your_centres": ("Сіздің орталықтарыңыз", "Ваши центры", "Your centres"),
    "all_centres": ("Барлық орталықтар", "Все центры", "All centres"),
    "api_docs": ("API құжаттамасы", "Документация API", "API documentation"),
    "staff_home": ("Қызметкер беті", "Страница сотрудника", "Staff home"),
    # Self check-in kiosk at a full centre: the ticket waits in the line outside
    "kiosk_outside_title": ("Орталық толы: сыртта күте тұрыңыз",
                            "Центр заполнен: подождите снаружи",
                            "The centre is full: please wait outside"),
    "kiosk_outside": ("Кезектегі нөміріңіз: {n}. Есік жанындағы экран сізді ішке шақырады.",
                      "Ваш номер в очереди: {n}. Экран у входа пригласит вас войти.",
                      "You are number {n} in line. The screen by the door will call you in."),
    "kiosk_outside_call": ("Есік жанындағы экран сізді ішке шақырады.",
                           "Экран у входа пригласит вас войти.",
                           "The screen by the door will call you in."),
}
for _extra in (FLOOR, CONSOLE, WAITLIST, IDENTITY, PRIVILEGE_UI, RELEASE, SEARCH_UI, MOVE,
               FEEDBACK, PRIVILEGE_PATH, KIOSK_UI):
    assert not set(UI) & set(_extra), "a string table repeats a key of the citizen pages"
    UI.update(_extra)

# Plural forms for counted words: kk and en need one/other, ru one/few/many.
PLURALS: dict[str, dict[str, tuple[str, ...]]] = {
    "working_days": {
        "kk": ("{n} жұмыс күні",),
        "ru": ("{n} рабочий день", "{n} рабочих дня", "{n} рабочих дней"),
        "en": ("{n} working day", "{n} working days"),
    },
}


def _index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else 1


def ui(key: str, lang: str, **params: Any) -> str:
    """The string for `key` in `lang`, with `{name}` parameters filled in."""
    text = UI[key][_index(lang)]
    return text.format(**params) if params else text


def plural(key: str, n: int, lang: str) -> str:
    forms = PLURALS[key].get(lang) or PLURALS[key]["en"]
    if lang == "ru":
        form = ru_plural(n, forms[0], forms[1], forms[2])
    elif len(forms) == 1:
        form = forms[0]
    else:
        form = forms[0] if n == 1 else forms[1]
    return form.format(n=n)
