"""The fair-release pages' strings (a day's opening time, its ballot, the result), in
Kazakh, Russian and English; merged into `kezek.web.i18n_ui.UI`. Each entry is
(kk, ru, en). Refusals come from `kezek.i18n_release` through the domain errors.
"""

from __future__ import annotations

RELEASE: dict[str, tuple[str, str, str]] = {
    # The note on the booking page
    "rel_opens_title": ("{day}: жазылу {time} ашылады", "{day}: запись откроется в {time}",
                        "{day}: booking opens at {time}"),
    "rel_opens_body": (
        "Жаңа күнге жазылу күн сайын {time} ашылады (орталықтың жергілікті уақыты). "
        "Оған дейін бұл күнді таңдау мүмкін емес.",
        "Запись на новый день открывается каждый день в {time} (местное время центра). "
        "До этого выбрать этот день нельзя.",
        "Booking for a new day opens every day at {time} (the centre's local time). "
        "Until then the day cannot be chosen."),
    "rel_ballot_title": ("{day}: орындар жеребе арқылы беріледі",
                         "{day}: места распределяются жеребьёвкой",
                         "{day}: places are given by ballot"),
    "rel_ballot_body": (
        "{time} дейін 3 уақытқа дейін таңдап өтінім беріңіз. Содан кейін орындар кездейсоқ "
        "бөлінеді, ал қалғандарына жазылу ашылады.",
        "До {time} подайте заявку, выбрав до 3 времён. Затем места распределят случайным "
        "образом, а на оставшиеся откроется запись.",
        "Until {time}, send a request with up to 3 times. Then places are drawn at random, "
        "and booking opens for the rest."),
    "rel_ballot_link": ("Жеребеге өтінім беру", "Подать заявку на жеребьёвку",
                        "Enter the ballot"),
    # The ballot form
    "bal_title": ("Жеребеге өтінім", "Заявка на жеребьёвку", "Ballot request"),
    "bal_lead": (
        "{day}: орындар жеребе арқылы беріледі. Өзіңізге ыңғайлы 3 уақытқа дейін "
        "таңдаңыз, ең қолайлысынан бастап. Өтінімдер {time} дейін қабылданады, содан кейін "
        "әр өтінімге кездейсоқ ретпен ең жақсы бос уақыт беріледі. Бір адам – бір өтінім.",
        "{day}: места распределяются жеребьёвкой. Выберите до 3 удобных времён, начиная "
        "с самого удобного. Заявки принимаются до {time}, затем в случайном порядке каждой "
        "заявке достаётся лучшее из ещё свободных выбранных времён. Один человек – одна заявка.",
        "{day}: places are given by ballot. Choose up to 3 times that suit you, best "
        "first. Requests are taken until {time}; then, in a random order, each request gets "
        "the best of its times still free. One request per person."),
    "bal_choice_1": ("1-ші таңдау", "Первый выбор", "First choice"),
    "bal_choice_2": ("2-ші таңдау (міндетті емес)", "Второй выбор (необязательно)",
                     "Second choice (optional)"),
    "bal_choice_3": ("3-ші таңдау (міндетті емес)", "Третий выбор (необязательно)",
                     "Third choice (optional)"),
    "bal_none": ("— таңдалмаған —", "— не выбрано —", "— none —"),
    "bal_email_hint": ("Нәтижені осы мекенжайға жібереміз. Ол осы бетте де көрінеді.",
                       "Результат пришлём на этот адрес. Он также будет на этой странице.",
                       "We send the result to this address. It is also shown on this page."),
    "bal_button": ("Өтінім жіберу", "Отправить заявку", "Send the request"),
    "bal_choose_first": ("Бірінші уақытты таңдаңыз", "Выберите первое время",
                         "Choose a first time"),
    # The entry page
    "bal_entry_title": ("Жеребе өтінімі", "Заявка на жеребьёвку", "Ballot request"),
    "bal_row_code": ("Өтінім коды", "Код заявки", "Request code"),
    "bal_row_choices": ("Таңдаған уақыттар", "Выбранные времена", "Times chosen"),
    "bal_row_day": ("Күні", "День", "Day"),
    "bal_entered": ("Өтінім қабылданды. Жеребе {time} өтеді: нәтижені осы бетте көресіз.",
                    "Заявка принята. Жеребьёвка пройдёт в {time}: результат будет на этой "
                    "странице.",
                    "Your request is in. The draw is at {time}: the result will be on this "
                    "page."),
    "bal_won_title": ("Сізге орын берілді", "Вам досталось место", "You have a place"),
    "bal_won_body": ("Сіздің {n}-таңдауыңыз. Жазылу коды төменде.",
                     "Ваш выбор №{n}. Код записи ниже.", "Your choice number {n}. The booking "
                     "code is below."),
    "bal_lost_title": ("Бұл жолы орын бұйырмады", "В этот раз место не досталось",
                       "No place this time"),
    "bal_lost_body": ("Таңдаған уақыттарыңыздың бәрі басқаларға бұйырды. Қалған бос "
                      "уақыттарға қазір жазылуға болады.",
                      "Все выбранные вами времена достались другим. На оставшиеся свободные "
                      "времена теперь можно записаться.",
                      "All the times you chose went to others. The remaining free times are "
                      "now open to book."),
    "bal_book_rest": ("Бос уақытқа жазылу", "Записаться на свободное время",
                      "Book a free time"),
    "bal_lookup": ("Өтінімді көру үшін ЖСН-ді енгізіңіз.",
                   "Чтобы увидеть заявку, введите ИИН.", "Enter your IIN to see the request."),
    "bal_show": ("Көрсету", "Показать", "Show"),
}
