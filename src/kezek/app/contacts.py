"""How to reach a booker (a Telegram chat, an e-mail), kept with the booking.

Writing a contact is what plans a booking's reminders: a booking nobody can be reached
about needs no job, so a plain web booking costs the queue nothing (the booking rush
stays a database race only). A moved booking takes its contact along.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit
from kezek.store.models_channels import BookingContactRow


def add(session: AsyncSession, booking_id: int, *, lang: str,
        telegram_chat_id: int | None = None, email: str | None = None) -> None:
    """Keeps the contact and plans the booking's reminders after the commit."""
    session.add(BookingContactRow(booking_id=booking_id, telegram_chat_id=telegram_chat_id,
                                  email=email, lang=lang))
    after_commit.booking_made(session, booking_id)


async def carry(session: AsyncSession, old_id: int, new_id: int) -> None:
    """The moved booking's contact, for its new code and time (reminded anew)."""
    contact = await session.get(BookingContactRow, old_id)
    if contact is not None:
        add(session, new_id, lang=contact.lang, telegram_chat_id=contact.telegram_chat_id,
            email=contact.email)


async def reach_by_chat(session: AsyncSession, booking_id: int, chat_id: int,
                        lang: str) -> None:
    """This chat is to be reminded about the booking, whatever contact it already has
    (a booking moved in the bot keeps its e-mail and gains the chat)."""
    await session.flush()  # a contact carried by the move is pending: get() must see it
    contact = await session.get(BookingContactRow, booking_id)
    if contact is None:
        add(session, booking_id, lang=lang, telegram_chat_id=chat_id)
    else:
        contact.telegram_chat_id, contact.lang = chat_id, lang
