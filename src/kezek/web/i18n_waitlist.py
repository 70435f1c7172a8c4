"""The waitlist pages' strings, in Kazakh, Russian and English (merged into
`kezek.web.i18n_ui.UI`; kept apart so that neither table outgrows a screenful of files).

Each entry is (kk, ru, en). The refusals (already waiting, free times that day, no held
place) are domain errors and come from `kezek.i18n.error_message`, as in the API.
"""

from __future__ import annotations

WAITLIST: dict[str, tuple[str, str, str]] = {
    # The day list of the booking page
    "day_full": ("бос уақыт жоқ", "нет свободного времени", "fully booked"),
    "full_day_title": ("{day}: бос уақыт жоқ", "{day}: свободного времени нет",
                       "No free times on {day}"),
    "full_day_body": (
        "Бұл күннің барлық уақыты бос емес. Күту тізіміне жазылыңыз: біреу жазылудан бас "
        "тартса, уақыт кезектегі бірінші адамға сақталады және біз оған хабарлаймыз.",
        "Всё время в этот день занято. Встаньте в лист ожидания: если кто-то отменит запись, "
        "время придержат для первого в очереди и сообщат ему.",
        "Every time on this day is booked. Join the waitlist: if someone cancels, the time "
        "is held for the first person in line and they are told."),
    "wl_join_link": ("Осы күнге күту тізіміне жазылу", "Встать в лист ожидания на этот день",
                     "Join the waitlist for this day"),
    "wl_other_day": ("Немесе жоғарыдан басқа күнді таңдаңыз.",
                     "Или выберите другой день выше.", "Or choose another day above."),
    # Joining
    "wl_join_title": ("Күту тізіміне жазылу", "Лист ожидания", "Join the waitlist"),
    "wl_join_lead": (
        "Бұл күні уақыт босаса, ол кезектегі бірінші адамға {minutes} минутқа сақталады. "
        "Осы уақыт ішінде оны қабылдамаса, уақыт келесі адамға өтеді.",
        "Если в этот день освободится время, его придержат для первого в очереди на "
        "{minutes} мин. Если за это время его не принять, оно перейдёт следующему.",
        "When a time on this day frees up, it is held for the first person in line for "
        "{minutes} minutes. If they do not accept it in time, it goes to the next person."),
    "wl_row_day": ("Күні", "День", "Day"),
    "wl_email_label": ("Электрондық пошта (міндетті емес)", "Электронная почта (необязательно)",
                       "E-mail address (optional)"),
    "wl_email_hint": (
        "Уақыт сізге сақталғанда, осы мекенжайға сілтеме жібереміз. Поштасыз кезектегі "
        "орныңызды күту тізімінің коды бойынша өзіңіз тексеріңіз.",
        "Когда время придержат для вас, мы пришлём ссылку на этот адрес. Без почты "
        "проверяйте своё место в очереди сами, по коду листа ожидания.",
        "When a time is held for you, we send a link to this address. Without one, check "
        "your place yourself with your waitlist code."),
    "wl_email_bad": ("Электрондық поштаны name@example.kz түрінде енгізіңіз",
                     "Введите адрес почты в виде name@example.kz",
                     "Enter an e-mail address like name@example.kz"),
    "wl_join_button": ("Күту тізіміне жазылу", "Встать в лист ожидания", "Join the waitlist"),
    "wl_see_times": ("Бос уақытты көру", "Посмотреть свободное время", "See the free times"),
    # Joined
    "wl_joined_title": ("Сіз күту тізіміндесіз", "Вы в листе ожидания",
                        "You are on the waitlist"),
    "wl_code_label": ("Күту тізімінің коды", "Код листа ожидания", "Your waitlist code"),
    "wl_code_note": (
        "Оны жазып алыңыз. Кезектегі орныңызды көру үшін осы код пен ЖСН қажет.",
        "Запишите его. По этому коду и ИИН можно посмотреть своё место в очереди.",
        "Write it down. With it and your IIN you can see your place in line."),
    "row_place": ("Кезектегі орны", "Место в очереди", "Place in line"),
    "wl_next_title": ("Бұдан әрі не болады", "Что будет дальше", "What happens next"),
    "wl_next_freed": (
        "Біреу жазылудан бас тартса, уақыт кезек ретімен ұсынылады.",
        "Если кто-то отменит запись, время предложат по очереди.",
        "If someone cancels, the time is offered in the order of the line."),
    "wl_next_mail": (
        "Уақыт сізге сақталғанда, {email} мекенжайына сілтеме келеді.",
        "Когда время придержат для вас, на {email} придёт письмо со ссылкой.",
        "When a time is held for you, an e-mail with a link goes to {email}."),
    "wl_next_check": (
        "Сіз поштаны көрсетпедіңіз: бұл бетті анда-санда ашып тұрыңыз: {url}",
        "Вы не указали почту: время от времени открывайте эту страницу: {url}",
        "You gave no e-mail address: open this page from time to time: {url}"),
    "wl_next_hold": (
        "Уақыт сізге {minutes} минутқа сақталады. Оны сілтеме бойынша қабылдаңыз, әйтпесе "
        "ол келесі адамға өтеді.",
        "Время придержат для вас на {minutes} мин. Примите его по ссылке, иначе оно "
        "перейдёт следующему в очереди.",
        "The time is held for you for {minutes} minutes. Accept it from the link, or it goes "
        "to the next person in line."),
    "wl_next_night": (
        "Түнде ({start}-{end}) хабар жіберілмейді және сақтау уақыты жүрмейді: түнде "
        "босаған уақыт туралы хабар {end}-де келеді.",
        "Ночью ({start}-{end}) мы не пишем и время придержания не идёт: о времени, "
        "освободившемся ночью, сообщим в {end}.",
        "At night ({start}-{end}) we send nothing and the hold does not run: a time freed at "
        "night is offered at {end}."),
    "wl_next_end": (
        "Күн соңына дейін уақыт босамаса, жазба жабылады.",
        "Если до конца дня время не освободится, запись в листе закроется.",
        "If no time frees up by the end of the day, your entry closes."),
    "wl_check_link": ("Күту тізіміндегі орнымды көру", "Посмотреть своё место в очереди",
                      "See my place on the waitlist"),
    "wl_unknown": (
        "Бұл бет тек күту тізіміне жазылғаннан кейін бірден көрсетіледі. Жазбаңызды код "
        "пен ЖСН арқылы ашыңыз.",
        "Эта страница показывается только сразу после записи в лист ожидания. Откройте "
        "свою запись по коду и ИИН.",
        "This page is shown only right after joining the waitlist. Open your entry with its "
        "code and your IIN."),
    # One entry: /waitlist/{code}
    "wl_entry_title": ("Күту тізіміндегі жазба", "Запись в листе ожидания",
                       "Your waitlist entry"),
    "wl_ask_lead": (
        "Бұл жазбаны көру үшін ЖСН-іңізді енгізіңіз.",
        "Введите ИИН, чтобы увидеть эту запись в листе ожидания.",
        "Enter your IIN to see this waitlist entry."),
    "wl_show_button": ("Көрсету", "Показать", "Show"),
    "row_wl_code": ("Күту тізімінің коды", "Код листа ожидания", "Waitlist code"),
    "wl_status_waiting": ("Кезекте", "В очереди", "Waiting"),
    "wl_status_offered": ("Уақыт сақталды", "Время придержано", "A time is held"),
    "wl_status_accepted": ("Қабылданды", "Принято", "Accepted"),
    "wl_status_expired": ("Аяқталды", "Завершена", "Ended"),
    "wl_status_cancelled": ("Сіз шықтыңыз", "Вы вышли", "You left"),
    "wl_waiting_body": (
        "Әзірге ешкім бас тартқан жоқ. Уақыт босағанда, кезек ретімен ұсынылады.",
        "Пока никто не отменил запись. Когда время освободится, его предложат по очереди.",
        "Nobody has cancelled yet. When a time frees up, it is offered in order of the line."),
    "wl_offer_title": ("Сізге уақыт сақталды", "Для вас придержано время",
                       "A time is held for you"),
    "row_held_until": ("Сақталады", "Придержано до", "Held until"),
    "wl_offer_body": (
        "Уақыт {until} дейін сізге сақталады. Содан кейін ол кезектегі келесі адамға өтеді.",
        "Время придержано для вас до {until}. Потом оно перейдёт следующему в очереди.",
        "The time is held for you until {until}. After that it goes to the next person in "
        "line."),
    "wl_accept_button": ("Осы уақытты қабылдау", "Принять это время", "Accept this time"),
    "wl_leave_button": ("Күту тізімінен шығу", "Выйти из листа ожидания",
                        "Leave the waitlist"),
    "wl_leave_warning": (
        "Кезектегі орныңыз келесі адамға өтеді. Мұны қайтару мүмкін емес.",
        "Ваше место в очереди перейдёт следующему. Это действие нельзя отменить.",
        "Your place in line goes to the next person. This cannot be undone."),
    "wl_lapsed_title": ("Ұсыныстың мерзімі өтті", "Предложение истекло",
                        "The offer has ended"),
    "wl_lapsed_body": (
        "Уақыт сізге {until} дейін сақталған еді, енді ол кезектегі келесі адамға өтті. "
        "Күту тізіміне қайта жазыла аласыз.",
        "Время было придержано для вас до {until} и перешло следующему в очереди. Вы "
        "можете снова встать в лист ожидания.",
        "The time was held for you until {until} and has passed to the next person in line. "
        "You can join the waitlist again."),
    "wl_day_over_body": (
        "Бұл күн өтті, ал сізге уақыт босамады.",
        "Этот день прошёл, а время для вас не освободилось.",
        "This day is over and no time freed up for you."),
    "wl_again_link": ("Күнді қайта таңдау", "Выбрать день снова", "Choose a day again"),
    "wl_accepted_body": (
        "Сіз уақытты қабылдадыңыз. Жазылу коды: {code}.",
        "Вы приняли время. Код записи: {code}.",
        "You accepted the time. Your booking code: {code}."),
    "wl_cancelled_body": ("Сіз бұл күту тізімінен шықтыңыз.", "Вы вышли из этого листа "
                          "ожидания.", "You left this waitlist."),
    "wl_left_title": ("Сіз күту тізімінен шықтыңыз", "Вы вышли из листа ожидания",
                      "You have left the waitlist"),
    "wl_left_body": (
        "{code} жазбасы жабылды. Сізге сақталған уақыт болса, ол келесі адамға өтті.",
        "Запись {code} закрыта. Если для вас было придержано время, оно перешло следующему.",
        "Entry {code} is closed. If a time was held for you, it has gone to the next person."),
    "wl_iin_again": ("ЖСН-іңізді қайта енгізіңіз", "Введите ИИН ещё раз",
                     "Enter your IIN again"),
}
