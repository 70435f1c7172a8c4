"""Strings of the staff sign-in pages, (kk, ru, en), merged into the UI table."""

from __future__ import annotations

STAFF_UI: dict[str, tuple[str, str, str]] = {
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
    "signed_in_as": ("Сіз кірдіңіз: {name}, рөлі: {role}", "Вы вошли: {name}, роль: {role}",
                     "Signed in as {name}, role: {role}"),
    "your_centres": ("Сіздің орталықтарыңыз", "Ваши центры", "Your centres"),
    "all_centres": ("Барлық орталықтар", "Все центры", "All centres"),
    "api_docs": ("API құжаттамасы", "Документация API", "API documentation"),
    "staff_home": ("Қызметкер беті", "Страница сотрудника", "Staff home"),
}
