"""The strings of the feedback page after a visit (kk, ru, en); merged into `i18n_ui`."""

from __future__ import annotations

FEEDBACK: dict[str, tuple[str, str, str]] = {
    "fb_title": ("Қызмет көрсетуді бағалаңыз", "Оцените обслуживание", "Rate your visit"),
    "fb_lead": ("Келгеніңізге рахмет. Жауабыңыз орталыққа жұмысын жақсартуға көмектеседі.",
                "Спасибо за визит. Ваш ответ поможет центру работать лучше.",
                "Thank you for your visit. Your answer helps the centre do better."),
    "fb_visit": ("{centre} · талон {label} · {day}", "{centre} · талон {label} · {day}",
                 "{centre} · ticket {label} · {day}"),
    "fb_legend": ("Сізге қалай қызмет көрсетілді?", "Как вас обслужили?",
                  "How were you served?"),
    "fb_hint": ("5 - өте жақсы, 1 - өте нашар.", "5 - отлично, 1 - очень плохо.",
                "5 is excellent, 1 is very poor."),
    "fb_1": ("1 - өте нашар", "1 - очень плохо", "1 - very poor"),
    "fb_2": ("2 - нашар", "2 - плохо", "2 - poor"),
    "fb_3": ("3 - орташа", "3 - удовлетворительно", "3 - fair"),
    "fb_4": ("4 - жақсы", "4 - хорошо", "4 - good"),
    "fb_5": ("5 - өте жақсы", "5 - отлично", "5 - excellent"),
    "fb_comment": ("Пікір (міндетті емес)", "Комментарий (необязательно)",
                   "Comment (optional)"),
    "fb_comment_hint": ("500 таңбаға дейін. Жеке сәйкестендіру нөміріңізді не телефоныңызды "
                        "жазбаңыз.",
                        "До 500 знаков. Не указывайте ИИН и номер телефона.",
                        "Up to 500 characters. Please do not write your IIN or phone "
                        "number."),
    "fb_submit": ("Бағаны жіберу", "Отправить оценку", "Send rating"),
    "fb_pick": ("1-ден 5-ке дейінгі бағаны таңдаңыз", "Выберите оценку от 1 до 5",
                "Choose a rating from 1 to 5"),
    "fb_too_long": ("Пікір 500 таңбадан аспауы керек", "Комментарий - не более 500 знаков",
                    "The comment must be at most 500 characters"),
    "fb_thanks_title": ("Рахмет!", "Спасибо!", "Thank you!"),
    "fb_thanks": ("Бағаңыз сақталды: {rating}.", "Ваша оценка сохранена: {rating}.",
                  "Your rating is saved: {rating}."),
    "fb_already_title": ("Бұл келу бағаланған", "Этот визит уже оценён",
                         "This visit is already rated"),
    "fb_already": ("Бұл келуге баға берілген: {rating}. Бір келуге бір рет қана баға беруге "
                   "болады, сондықтан жаңа жауап сақталмады.",
                   "Этот визит уже оценён: {rating}. Оценить визит можно только один раз, "
                   "поэтому новый ответ не сохранён.",
                   "This visit was already rated: {rating}. A visit can be rated only once, "
                   "so the new answer was not saved."),
    "fb_unknown": ("Бағалау сілтемесі жарамсыз. Хабарламадағы сілтемені толық көшіріңіз.",
                   "Ссылка для оценки недействительна. Скопируйте ссылку из сообщения "
                   "целиком.",
                   "This rating link is not valid. Please copy the whole link from the "
                   "message."),
}
