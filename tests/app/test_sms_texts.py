"""The SMS short forms: every kind in kk, ru and en keeps the code and the time and fits
about two segments, a long centre name cut rather than either."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kezek.app import sms_texts
from kezek.app.notices import Place

START = dt.datetime(2026, 12, 7, 10, 30, tzinfo=ZoneInfo("Asia/Almaty"))
LINK = "https://kezek.example.kz/waitlist/ABCD2345"
LONG = "Халыққа қызмет көрсету орталығы Алматы қаласы Бостандық ауданы бойынша №3 филиал"


@pytest.mark.parametrize("lang", ["kk", "ru", "en", "de"])
@pytest.mark.parametrize("centre", ["ЦОН №1", LONG])
def test_every_short_form_fits(lang: str, centre: str) -> None:
    place = Place("ABCD2345", "Service", centre, "Address 1", START)
    texts = [sms_texts.about(kind, place, lang)
             for kind in ("staff_cancel", "won", "day_before", "hour_before")]
    texts.append(sms_texts.offer(place, "WXYZ6789", START - dt.timedelta(minutes=15),
                                 LINK, lang))
    for text in texts:
        assert len(text) <= sms_texts.LIMIT, text
        assert "07.12 10:30" in text
        assert ("ABCD-2345" in text) or ("WXYZ-6789" in text and LINK in text)
        assert centre in text or (centre[:10] in text and "…" in text)  # cut, not dropped
    assert centre != LONG or any(centre not in text for text in texts)
    lost = sms_texts.lost("WXYZ6789", LINK, lang)
    assert "WXYZ-6789" in lost and LINK in lost and len(lost) <= sms_texts.LIMIT


def test_each_language_has_its_own_words() -> None:
    place = Place("ABCD2345", "Service", "ЦОН №1", "Address 1", START)
    kk, ru, en = (sms_texts.about("staff_cancel", place, lang) for lang in ("kk", "ru", "en"))
    assert "ХҚО қызметкері" in kk and "Сотрудник ЦОН" in ru and "Centre staff" in en
    assert sms_texts.about("staff_cancel", place, "de") == ru  # unknown: Russian
