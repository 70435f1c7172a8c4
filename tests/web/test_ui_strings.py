"""The UI string table: every key the templates use exists, in all three languages."""

from __future__ import annotations

import re
from pathlib import Path

from kezek.core.booking import BookingStatus
from kezek.core.policy import Privilege
from kezek.web import i18n_ui
from kezek.web.i18n_ui import UI, plural, ui

TEMPLATES = Path(i18n_ui.__file__).parent / "templates"
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def test_every_key_used_by_a_template_exists() -> None:
    used: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_]+)'\s*[,)]", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    assert used - set(UI) == set()
    # Keys built from values: privileges and booking statuses.
    assert {f"priv_{p}" for p in ["none", *Privilege]} <= set(UI)
    assert {f"status_{s}" for s in BookingStatus} <= set(UI)


def test_every_string_is_translated() -> None:
    for key, texts in UI.items():
        kk, ru, en = texts
        assert kk.strip() and ru.strip() and en.strip(), key
    # Kazakh is written in Kazakh, not copied from Russian.
    differing = [k for k, (kk, ru, _) in UI.items() if kk != ru]
    assert len(differing) > 0.9 * len(UI)
    with_letters = [k for k, (kk, _, _) in UI.items() if KAZAKH_LETTERS.search(kk)]
    assert len(with_letters) > 0.6 * len(UI)


def test_parameters_and_plurals() -> None:
    assert ui("cancelled_body", "ru", code="ABCD-2345") == "Запись с кодом ABCD-2345 отменена."
    assert ui("results_count", "unknown", n=2) == "Найдено: 2"
    assert [plural("working_days", n, "ru") for n in (1, 2, 5, 11, 21, 22)] == [
        "1 рабочий день", "2 рабочих дня", "5 рабочих дней", "11 рабочих дней",
        "21 рабочий день", "22 рабочих дня"]
    assert plural("working_days", 1, "en") == "1 working day"
    assert plural("working_days", 3, "en") == "3 working days"
    assert plural("working_days", 3, "kk") == "3 жұмыс күні"
