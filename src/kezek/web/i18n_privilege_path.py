"""The service page's path to a privilege window for an online-only service, in kk, ru
and en (merged into `kezek.web.i18n_ui.UI`; each entry is (kk, ru, en)).

A portal-only service is still done at a centre's privilege window for a pensioner, a
person with a disability or a large family (`core.policy.eligible_windows`): the page
says so and lists those centres, so nobody is left with the portal alone.
"""

from __future__ import annotations

PRIVILEGE_PATH: dict[str, tuple[str, str, str]] = {
    "priv_path_link": (
        "Зейнеткермін / мүгедектігім бар / көпбалалы отбасымыз: жеңілдік терезесіне жазылу",
        "Я пенсионер / у меня инвалидность / многодетная семья: записаться в льготное окно",
        "I am a pensioner / have a disability / large family: book a privilege window"),
    "priv_path_title": ("Жеңілдік терезесіне жазылу", "Запись в льготное окно",
                        "Book a privilege window"),
    "priv_path_body": (
        "Зейнеткерлер, мүгедектігі бар адамдар және көпбалалы отбасылар бұл қызметті "
        "ХҚО-ның жеңілдік терезесінде ала алады. Орталықты таңдаңыз: келесі бетте "
        "жеңілдігіңізді көрсетесіз.",
        "Пенсионеры, люди с инвалидностью и многодетные семьи могут получить эту услугу в "
        "льготном окне ЦОН. Выберите центр: на следующей странице укажите свою льготу.",
        "Pensioners, people with a disability and large families can get this service at a "
        "centre's privilege window. Choose a centre: on the next page you say which "
        "privilege you have."),
    "priv_path_door": (
        "Жеңілдік кіре берісте құжат бойынша тексеріледі: оны ала келіңіз.",
        "Льготу проверят у входа по документу: возьмите его с собой.",
        "The privilege is checked at the door against a document: bring it with you."),
    "priv_path_none": (
        "Жеңілдік терезесі бар орталық әзірге жоқ.",
        "Центров с льготным окном для этой услуги пока нет.",
        "No centre has a privilege window for this service yet."),
}
