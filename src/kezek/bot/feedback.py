"""The one-tap answer to a feedback request (app/feedback_notice.py): the five buttons
under the question record the rating and the message says it was kept.

Only the chat the booking was made in may answer (the buttons carry a ticket id, and a
callback's data is the client's to send); a second tap, on the same message or another,
is refused with the rating already kept.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from kezek.app import feedback
from kezek.app.feedback_notice import CALLBACK
from kezek.bot.common import Deps
from kezek.core.errors import KezekError

TEXTS = {
    "thanks": {"kk": "Рахмет! Бағаңыз сақталды: {rating}.",
               "ru": "Спасибо! Ваша оценка сохранена: {rating}.",
               "en": "Thank you! Your rating is saved: {rating}."},
    "already": {"kk": "Бұл келуге баға берілген: {rating}. Жаңа жауап сақталмады.",
                "ru": "Этот визит уже оценён: {rating}. Новый ответ не сохранён.",
                "en": "This visit was already rated: {rating}. The new answer was not saved."},
    "refused": {"kk": "Бұл бағалау сұрауы бұл чатқа арналмаған.",
                "ru": "Этот запрос оценки адресован не этому чату.",
                "en": "This rating request is not for this chat."},
}


class FeedbackCb(CallbackData, prefix=CALLBACK):
    """fb:<ticket id>:<rating>, as app/feedback_notice.py writes it."""

    ticket: int
    rating: int


def _t(key: str, lang: str, **params: object) -> str:
    return TEXTS[key].get(lang, TEXTS[key]["ru"]).format(**params)


async def on_rating(cb: CallbackQuery, callback_data: FeedbackCb, deps: Deps, lang: str
                    ) -> None:
    msg = cb.message
    chat_id = msg.chat.id if msg is not None else cb.from_user.id
    try:
        async with deps.tx() as s:
            if not await feedback.chat_may_rate(s, callback_data.ticket, chat_id):
                await cb.answer(_t("refused", lang), show_alert=True)
                return
            done = await feedback.record(s, callback_data.ticket, str(callback_data.rating),
                                         None, feedback.TELEGRAM)
    except KezekError:
        await cb.answer(_t("refused", lang), show_alert=True)
        return
    said = _t("thanks" if done.fresh else "already", lang, rating=done.rating)
    await cb.answer(said)
    if isinstance(msg, Message) and msg.text:  # the question stays, the buttons go
        await msg.edit_text(f"{msg.text}\n\n{said}", reply_markup=None)


def router() -> Router:
    r = Router(name="feedback")
    r.callback_query.register(on_rating, FeedbackCb.filter())
    return r
