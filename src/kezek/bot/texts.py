"""What the bot says, in Kazakh, Russian and English.

Errors the app layer raises are worded once, in `kezek.i18n`, and reused here through
`error_text`; this table holds only what a chat needs and a web page does not (prompts,
button labels). Each entry is a (kk, ru, en) tuple so that a missing language is a
visible gap in the table rather than a silent fallback.
"""

from __future__ import annotations

from typing import Any

from kezek.core.errors import KezekError
from kezek.i18n import LANGS, error_message

TEXTS: dict[str, tuple[str, str, str]] = {
    "choose_lang": (
        "Тілді таңдаңыз", "Выберите язык", "Choose a language"),
    "menu": (
        "Халыққа қызмет көрсету орталығына жазылу. Не істейміз?",
        "Запись в центр обслуживания населения. Что сделаем?",
        "Booking a visit to a public service centre. What would you like to do?"),
    "btn_book": ("Қабылдауға жазылу", "Записаться на приём", "Book a visit"),
    "btn_mine": ("Менің жазылуларым", "Мои записи", "My bookings"),
    "btn_lang": ("Тіл / Язык / Language", "Тіл / Язык / Language", "Тіл / Язык / Language"),
    "btn_menu": ("Мәзірге оралу", "В меню", "Back to the menu"),
    "ask_service": (
        "Қызметтің атауын бірнеше сөзбен жазыңыз (мысалы: жеке куәлік).",
        "Напишите название услуги несколькими словами (например: удостоверение личности).",
        "Type a few words of the service's name (for example: identity card)."),
    "btn_situations": ("📂 Өмірлік жағдай бойынша", "📂 По жизненной ситуации",
                       "📂 By life situation"),
    "situations_title": (
        "Не болды? Бөлімді таңдаңыз.", "Что у вас произошло? Выберите раздел.",
        "What happened? Choose a section."),
    "no_services": (
        "Ештеңе табылмады. Басқа сөздермен жазып көріңіз.",
        "Ничего не найдено. Попробуйте другие слова.",
        "Nothing found. Please try other words."),
    "found_services": (
        "Табылған қызметтер: {n}. Біреуін таңдаңыз:",
        "Найдено услуг: {n}. Выберите одну:",
        "Services found: {n}. Choose one:"),
    "too_many": (
        "Алғашқы {shown} қызмет көрсетілді; іздеуді нақтылаңыз.",
        "Показаны первые {shown}; уточните запрос.",
        "The first {shown} are shown; please add a word to narrow the search."),
    "online_only": (
        "«{service}» қызметі тек электрондық үкімет порталында көрсетіледі. Орталыққа "
        "барудың қажеті жоқ.",
        "Услуга «{service}» оказывается только на портале электронного правительства. "
        "Приходить в центр не нужно.",
        "“{service}” is provided only on the e-government portal. There is no need to "
        "visit a centre."),
    "portal_button": ("{host} порталына өту", "Перейти на портал {host}", "Go to {host}"),
    "eds_note": (
        "Сізге электрондық цифрлық қолтаңба (ЭЦҚ) қажет болады; оны да порталдан алуға болады.",
        "Понадобится электронная цифровая подпись (ЭЦП); её тоже можно получить на портале.",
        "You will need an electronic digital signature (EDS); you can get one on the portal "
        "too."),
    "ssp_title": (
        "Компьютеріңіз жоқ па? Өзіне-өзі қызмет көрсету орнына келіңіз: онда порталды тегін "
        "пайдалана аласыз.",
        "Нет компьютера? Приходите в точку самообслуживания: там можно бесплатно "
        "воспользоваться порталом.",
        "No computer? Visit a self-service point: you can use the portal there for free."),
    "ssp_none": (
        "Өзіне-өзі қызмет көрсету орындары әзірге жоқ.",
        "Точек самообслуживания пока нет.",
        "There are no self-service points yet."),
    "ssp_far": (
        "Жаныңызда өзіне-өзі қызмет көрсету орны жоқ: ең жақыны {km} км жерде. Порталмен "
        "көмекті 1414 телефоны немесе бейнебайланыс арқылы алуға болады.",
        "Рядом с вами точек самообслуживания нет: ближайшая в {km} км. С порталом помогут "
        "по телефону 1414 или по видеосвязи.",
        "There is no self-service point near you: the nearest is {km} km away. For help "
        "with the portal, call 1414 or use the video consultation."),
    "ssp_share": (
        "Ең жақын орындарды көру үшін геолокацияңызды жіберіңіз.",
        "Отправьте геолокацию, чтобы увидеть ближайшие точки.",
        "Share your location to see the nearest points."),
    "hours": ("Жұмыс уақыты", "Часы работы", "Opening hours"),
    "map": ("Картада", "На карте", "Map"),
    "km": ("{km} км", "{km} км", "{km} km"),
    "both_note": (
        "Бұл қызметті орталыққа келмей-ақ порталда онлайн алуға болады: {url}",
        "Эту услугу можно получить онлайн на портале, не приходя в центр: {url}",
        "You can also get this service online on the portal, without a visit: {url}"),
    "choose_city": (
        "Қаланы таңдаңыз немесе ең жақын орталықтарды табу үшін геолокацияңызды жіберіңіз.",
        "Выберите город или отправьте геолокацию, чтобы найти ближайшие центры.",
        "Choose a city, or share your location to find the nearest centres."),
    "location_hint": (
        "Немесе геолокацияңызды жіберіңіз: ең жақын орталықтарды көрсетемін.",
        "Или отправьте геолокацию: покажу ближайшие центры.",
        "Or share your location: I will show the nearest centres."),
    "no_times": (
        "Бұл күні бос уақыт қалмады. Басқа күнді таңдаңыз.",
        "На этот день свободного времени не осталось. Выберите другой день.",
        "No free times are left on that day. Please choose another day."),
    "btn_location": (
        "📍 Геолокацияны жіберу", "📍 Отправить геолокацию", "📍 Share my location"),
    "no_centres": (
        "Бұл қызметті көрсететін орталық табылмады.",
        "Центров, оказывающих эту услугу, не найдено.",
        "No centre offers this service."),
    "choose_centre": ("Орталықты таңдаңыз:", "Выберите центр:", "Choose a centre:"),
    "nearest_centres": (
        "Сізге ең жақын орталықтар:", "Ближайшие к вам центры:",
        "The centres nearest to you:"),
    "no_located_centres": (
        "Картада белгіленген орталық табылмады; қаланы таңдаңыз.",
        "Центров с известным местоположением не найдено; выберите город.",
        "No centre with a known location was found; please choose a city."),
    "ask_privilege": (
        "Бұл орталықта бұл қызмет тек жеңілдігі бар санаттарға көрсетіледі (зейнеткерлер, "
        "көпбалалы отбасылар, мүгедектігі бар адамдар). Сіз солардың бірісіз бе?",
        "В этом центре эту услугу оказывают только льготным категориям (пенсионеры, "
        "многодетные семьи, люди с инвалидностью). Вы относитесь к одной из них?",
        "At this centre the service is kept for privileged people (pensioners, large "
        "families, people with disabilities). Are you one of them?"),
    "priv_pensioner": ("Зейнеткер", "Пенсионер", "Pensioner"),
    "priv_large_family": ("Көпбалалы отбасы", "Многодетная семья", "Large family"),
    "priv_disability": ("Мүгедектігі бар адам", "Человек с инвалидностью",
                        "Person with a disability"),
    "priv_none": ("Ешқайсысы емес: қызметті онлайн аламын",
                  "Ни то, ни другое: получу услугу онлайн",
                  "None of these: I will do it online"),
    "choose_day": (
        "Күнді таңдаңыз (тек бос уақыты бар күндер көрсетілген):",
        "Выберите день (показаны только дни со свободным временем):",
        "Choose a day (only days with free times are shown):"),
    "no_slots": (
        "Бұл орталықта жақын күндерге бос уақыт жоқ. Басқа орталықты таңдаңыз.",
        "В этом центре нет свободного времени на ближайшие дни. Выберите другой центр.",
        "This centre has no free times in the coming days. Please choose another centre."),
    "choose_time": ("{day}: уақытты таңдаңыз", "{day}: выберите время",
                    "{day}: choose a time"),
    "other_times": ("Басқа бос уақыттар:", "Другое свободное время:", "Other free times:"),
    "ask_iin": (
        "Жеке сәйкестендіру нөміріңізді (ЖСН, 12 сан) жіберіңіз. Хабарламаны бірден өшіреміз.",
        "Отправьте свой ИИН (12 цифр). Сообщение с ним мы сразу удалим.",
        "Send your IIN (individual identification number, 12 digits). We delete that "
        "message at once."),
    "iin_received": ("ЖСН қабылданды: {masked}", "ИИН принят: {masked}",
                     "IIN received: {masked}"),
    "iin_again": ("ЖСН-ды қайта жіберіңіз.", "Отправьте ИИН ещё раз.",
                  "Please send the IIN again."),
    "ask_contact": (
        "Бұл сіз екеніңізді растаңыз: төмендегі батырманы басып, нөміріңізбен бөлісіңіз. "
        "Telegram нөмірді өзі растайды, біз оның осы ЖСН-ге тіркелгенін тексереміз.",
        "Подтвердите, что это вы: нажмите кнопку ниже и поделитесь своим номером. Telegram "
        "сам подтверждает номер, мы проверим, что он привязан к этому ИИН.",
        "Confirm it is you: press the button below to share your number. Telegram "
        "verifies the number; we check that it is registered to this IIN."),
    "btn_contact": ("📱 Нөмірімді жіберу", "📱 Отправить мой номер", "📱 Share my number"),
    "contact_not_own": (
        "Тек өз нөміріңізбен бөлісуге болады: төмендегі батырманы басыңыз.",
        "Можно поделиться только своим номером: нажмите кнопку ниже.",
        "Only your own number can be shared: press the button below."),
    "contact_ok": ("Расталды: {phone}", "Подтверждено: {phone}", "Confirmed: {phone}"),
    "summary": (
        "Қызмет: {service}\nОрталық: {centre}\nМекенжай: {address}\nУақыты: {when}",
        "Услуга: {service}\nЦентр: {centre}\nАдрес: {address}\nВремя: {when}",
        "Service: {service}\nCentre: {centre}\nAddress: {address}\nTime: {when}"),
    "confirm": (
        "Тексеріңіз және растаңыз:\n{summary}\nЖСН: {masked}",
        "Проверьте и подтвердите:\n{summary}\nИИН: {masked}",
        "Please check and confirm:\n{summary}\nIIN: {masked}"),
    "btn_confirm": ("✅ Растау", "✅ Подтвердить", "✅ Confirm"),
    "btn_other_time": ("Басқа уақыт", "Другое время", "Another time"),
    "booked": (
        "Сіз жазылдыңыз! Жазылу коды: {code}\n{summary}\nБелгіленген уақытта келіп, "
        "кіреберісте QR-кодты көрсетіңіз.",
        "Вы записаны! Код записи: {code}\n{summary}\nПриходите к назначенному времени и "
        "покажите QR-код у входа.",
        "You are booked! Booking code: {code}\n{summary}\nCome at the time booked and show "
        "the QR code at the door."),
    "bring": ("Өзіңізбен бірге алыңыз:", "Что взять с собой:", "What to bring:"),
    "qr_caption": ("Кіреберісте көрсетіңіз: {code}", "Покажите у входа: {code}",
                   "Show this at the door: {code}"),
    "mine_empty": ("Белсенді жазылуларыңыз жоқ.", "Активных записей нет.",
                   "You have no active bookings."),
    "mine_title": ("Сіздің белсенді жазылуларыңыз:", "Ваши активные записи:",
                   "Your active bookings:"),
    "mine_item": ("Код {code}\n{summary}", "Код {code}\n{summary}", "Code {code}\n{summary}"),
    "btn_cancel_booking": ("Жою {code}", "Отменить {code}", "Cancel {code}"),
    "btn_rebook": ("Ауыстыру {code}", "Перенести {code}", "Rebook {code}"),
    "ask_iin_list": (
        "Жазылуларыңызды көру үшін ЖСН-ды (12 сан) жіберіңіз. Хабарламаны бірден өшіреміз.",
        "Чтобы увидеть свои записи, отправьте ИИН (12 цифр). Сообщение мы сразу удалим.",
        "To see your bookings, send your IIN (12 digits). We delete that message at once."),
    "ask_iin_cancel": (
        "{code} жазылуын жою үшін ЖСН-ды жіберіңіз.",
        "Чтобы отменить запись {code}, отправьте ИИН.",
        "To cancel booking {code}, send your IIN."),
    "ask_iin_rebook": (
        "{code} жазылуын {when} уақытына ауыстыру үшін ЖСН-ды жіберіңіз.",
        "Чтобы перенести запись {code} на {when}, отправьте ИИН.",
        "To move booking {code} to {when}, send your IIN."),
    "cancelled": ("{code} жазылуы жойылды.", "Запись {code} отменена.",
                  "Booking {code} is cancelled."),
    "rebooked": (
        "Жазылу ауыстырылды. Жаңа код: {code}\n{summary}",
        "Запись перенесена. Новый код: {code}\n{summary}",
        "Booking moved. New code: {code}\n{summary}"),
    "unknown": (
        "Түсінбедім. Мәзірден таңдаңыз.", "Не понял. Выберите действие в меню.",
        "Sorry, I did not understand. Please choose from the menu."),
    "expired": (
        "Бұл батырма ескірген. Қайтадан бастаңыз.", "Эта кнопка устарела. Начните заново.",
        "This button has expired. Please start again."),
    "outdated": (
        "Бұл хабарлама ескірген: соңғы хабарламаны пайдаланыңыз.",
        "Это сообщение устарело: воспользуйтесь последним сообщением.",
        "This message is out of date: please use the latest one."),
    "location_ok": ("📍 Геолокация алынды.", "📍 Геолокация получена.",
                    "📍 Location received."),
    "day_full": ("{day} · бос емес", "{day} · мест нет", "{day} · full"),
    "choose_day_full": (
        "Күнді таңдаңыз. «Бос емес» деген күні бос уақыт қалмады: күту парағына тұруға "
        "болады.",
        "Выберите день. В дни с пометкой «мест нет» свободного времени не осталось: можно "
        "встать в лист ожидания.",
        "Choose a day. Days marked “full” have no free time left: you can join the "
        "waitlist for them."),
    "day_is_full": (
        "{day}: бос уақыт қалмады. Күту парағына тұрыңыз: біреу жазылудан бас тартса, "
        "орынды сізге ұсынып, осы чатқа жазамыз.",
        "{day}: свободного времени не осталось. Встаньте в лист ожидания: если кто-то "
        "откажется от записи, мы предложим место вам и напишем в этот чат.",
        "{day}: no free time is left. Join the waitlist: if someone gives up their "
        "booking, we offer the place to you and write to this chat."),
    "btn_waitlist": ("⏳ Күту парағына тұру", "⏳ Встать в лист ожидания",
                     "⏳ Join the waitlist"),
    "btn_other_day": ("Басқа күн", "Другой день", "Another day"),
    "ask_iin_waitlist": (
        "Күту парағына тұру үшін ЖСН-ды (12 сан) жіберіңіз. Хабарламаны бірден өшіреміз.",
        "Чтобы встать в лист ожидания, отправьте ИИН (12 цифр). Сообщение мы сразу удалим.",
        "To join the waitlist, send your IIN (12 digits). We delete that message at once."),
    "waitlisted": (
        "Сіз күту парағындасыз. Код: {code}\nКезектегі орныңыз: {position}\n{what}\n"
        "Орын босаса, осы чатқа жазамыз.",
        "Вы в листе ожидания. Код: {code}\nВаше место в очереди: {position}\n{what}\n"
        "Если место освободится, мы напишем в этот чат.",
        "You are on the waitlist. Code: {code}\nYour place in line: {position}\n{what}\n"
        "If a place frees up, we write to this chat."),
    "waitlist_what": (
        "Қызмет: {service}\nОрталық: {centre}\nКүні: {day}",
        "Услуга: {service}\nЦентр: {centre}\nДень: {day}",
        "Service: {service}\nCentre: {centre}\nDay: {day}"),
    # The ballot of a newly opened day (fair release, ADR 13)
    "ballot_note": (
        "🎲 {day}: орындар жеребе арқылы беріледі. {time} дейін 3 уақытқа дейін таңдап "
        "өтінім беріңіз; содан кейін орындар кездейсоқ бөлінеді, нәтижені осында жібереміз.",
        "🎲 {day}: места распределяются жеребьёвкой. До {time} подайте заявку, выбрав до 3 "
        "времён; затем места распределят случайным образом, результат пришлём сюда.",
        "🎲 {day}: places are given by ballot. Until {time}, send a request with up to 3 "
        "times; then places are drawn at random and the result is sent here."),
    "btn_ballot": ("🎲 Жеребеге өтінім: {day}", "🎲 Заявка на жеребьёвку: {day}",
                   "🎲 Enter the ballot: {day}"),
    "ballot_pick": (
        "{day}: 3 уақытқа дейін басыңыз, ең қолайлысынан бастап. Жеребе {time} өтеді; "
        "әр өтінімге кездейсоқ ретпен ең жақсы бос уақыты беріледі.",
        "{day}: нажмите до 3 времён, начиная с самого удобного. Жеребьёвка в {time}; в "
        "случайном порядке каждой заявке достанется лучшее из её свободных времён.",
        "{day}: tap up to 3 times, best first. The draw is at {time}; in a random order "
        "each request gets the best of its times still free."),
    "ballot_picked": ("Таңдалғаны: {times}", "Выбрано: {times}", "Chosen: {times}"),
    "ballot_pick_more": (
        "Тағы уақыт қоса аласыз немесе «Дайын» басыңыз. Таңдалған уақытты қайта басса, ол "
        "алынып тасталады.",
        "Можно добавить ещё время или нажать «Готово». Повторное нажатие убирает время.",
        "Add another time or press “Done”. Tapping a chosen time again removes it."),
    "btn_ballot_done": ("✅ Дайын ({n})", "✅ Готово ({n})", "✅ Done ({n})"),
    "btn_ballot_clear": ("Қайта таңдау", "Выбрать заново", "Start over"),
    "ask_iin_ballot": (
        "Өтінім беру үшін ЖСН-ды (12 сан) жіберіңіз. Хабарламаны бірден өшіреміз. Бір адам – "
        "бір өтінім.",
        "Чтобы подать заявку, отправьте ИИН (12 цифр). Сообщение мы сразу удалим. Один "
        "человек – одна заявка.",
        "To send the request, send your IIN (12 digits). We delete that message at once. "
        "One request per person."),
    "ballot_confirm": (
        "Жеребеге өтінімді тексеріңіз:\n{summary}\nЖСН: {masked}",
        "Проверьте заявку на жеребьёвку:\n{summary}\nИИН: {masked}",
        "Please check the ballot request:\n{summary}\nIIN: {masked}"),
    "btn_ballot_send": ("✅ Өтінім жіберу", "✅ Отправить заявку", "✅ Send the request"),
    "ballot_summary": (
        "Қызмет: {service}\nОрталық: {centre}\nКүні: {day}\nТаңдаған уақыттар: {times}\n"
        "Жеребе: {draw}",
        "Услуга: {service}\nЦентр: {centre}\nДень: {day}\nВыбранные времена: {times}\n"
        "Жеребьёвка: {draw}",
        "Service: {service}\nCentre: {centre}\nDay: {day}\nTimes chosen: {times}\n"
        "Draw: {draw}"),
    "ballot_entered": (
        "Өтінім қабылданды. Өтінім коды: {code}\n{summary}\nНәтижені жеребеден кейін осы "
        "чатқа жібереміз.",
        "Заявка принята. Код заявки: {code}\n{summary}\nРезультат пришлём в этот чат после "
        "жеребьёвки.",
        "Request received. Request code: {code}\n{summary}\nWe send the result to this chat "
        "after the draw."),
    "mine_ballots": ("Жеребе өтінімдеріңіз:", "Ваши заявки на жеребьёвку:",
                     "Your ballot requests:"),
    "ballot_item": ("🎲 {code} · {status}\n{summary}", "🎲 {code} · {status}\n{summary}",
                    "🎲 {code} · {status}\n{summary}"),
    "ballot_status_entered": ("қабылданды, жеребе күтілуде", "принята, ждёт жеребьёвки",
                              "entered, awaiting the draw"),
    "ballot_status_won": ("орын берілді: {when}", "место досталось: {when}",
                          "won a place: {when}"),
    "ballot_status_lost": ("бұл жолы орын бұйырмады", "в этот раз место не досталось",
                           "no place this time"),
}


def lang_or(lang: str | None, default: str = "ru") -> str:
    return lang if lang in LANGS else default


def t(key: str, lang: str, **params: Any) -> str:
    """The text for `key` in `lang` with its placeholders filled."""
    text = TEXTS[key][LANGS.index(lang_or(lang))]
    return text.format(**params) if params else text


def error_text(exc: KezekError, lang: str) -> str:
    """A domain error in the chat's language, worded as everywhere else in Kezek."""
    return error_message(exc.code, lang_or(lang), exc.params)
