"""Error messages of the operator console's safety steps (undo of a no-show, end of a
shift), in the three languages; merged into `kezek.i18n.MESSAGES`."""

from __future__ import annotations

CONSOLE_MESSAGES: dict[str, dict[str, str]] = {
    "undo_expired": {
        "kk": "Келмеді белгісін енді қайтару мүмкін емес: {minutes} минуттан астам уақыт "
              "өтті.",
        "ru": "Неявку уже нельзя отменить: прошло больше {minutes} мин.",
        "en": "The no-show can no longer be undone: more than {minutes} min have passed."},
    "state.undo_other_window": {
        "kk": "келмеді белгісін тек оны қойған терезе қайтара алады",
        "ru": "отменить неявку может только окно, которое её отметило",
        "en": "only the window that marked the no-show can undo it"},
    "state.shift_ended": {
        "kk": "бұл терезеде бүгінгі ауысым аяқталды: шақыру үшін терезені қайта ашыңыз",
        "ru": "смена у этого окна на сегодня завершена: чтобы вызывать, откройте окно снова",
        "en": "the shift at this window has ended for today: open the window to call again"},
}
