"""How to reach a booker (a Telegram chat, an e-mail, a proven number), kept with the
booking.

Writing a contact with a chat or an e-mail is what plans a booking's reminders: a booking
nobody can be reached about needs no job, so a plain web booking costs the queue nothing
(the booking rush stays a database race only). A contact with only a proven number plans
nothing either: SMS reminders cost money and are off unless the deployment turns them on,
and then the sweep sends them (ADR 0020). A moved booking takes its contact along, the
sealed number included (it is sealed to the person, not to the booking).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit
from kezek.app.identity import notice_phone
from kezek.store.models_channels import BookingContactRow


def add(session: AsyncSession, booking_id: int, *, lang: str,
        telegram_chat_id: int | None = None, email: str | None = None,
        phone_cipher: str | None = None) -> None:
    """Keeps the contact and, given a chat or an e-mail, plans the booking's reminders
    after the commit. `phone_cipher` is the number sealed by `notice_phone.seal_for`."""
    session.add(BookingContactRow(booking_id=booking_id, telegram_chat_id=telegram_chat_id,
                                  email=email, phone_cipher=phone_cipher, lang=lang))
    if telegram_chat_id is not None or email:
        after_commit.booking_made(session, booking_id)


def keep_number(session: AsyncSession, booking_id: int, person_id: int, phone: str,
                key: bytes, lang: str) -> None:
    """The contact of a booking made with a proven number and nothing else to reach the
    person by (a web or API booking): the number sealed, no reminders planned."""
    add(session, booking_id, lang=lang,
        phone_cipher=notice_phone.seal_for(phone, person_id, key))


async def carry(session: AsyncSession, old_id: int, new_id: int) -> None:
    """The moved booking's contact, for its new code and time (reminded anew)."""
    contact = await session.get(BookingContactRow, old_id)
    if contact is not None:
        add(session, new_id, lang=contact.lang, telegram_chat_id=contact.telegram_chat_id,
            email=contact.email, phone_cipher=contact.phone_cipher)


async def reach_by_chat(session: AsyncSession, booking_id: int, chat_id: int,
                        lang: str) -> None:
    """This chat is to be reminded about the booking, whatever contact it already has
    (a booking moved in the bot keeps its e-mail and gains the chat)."""
    await session.flush()  # a contact carried by the move is pending: get() must see it
    contact = await session.get(BookingContactRow, booking_id)
    if contact is None:
        add(session, booking_id, lang=lang, telegram_chat_id=chat_id)
    else:
        planned = contact.telegram_chat_id is not None or bool(contact.email)
        contact.telegram_chat_id, contact.lang = chat_id, lang
        if not planned:  # a contact with only a number planned no reminders
            after_commit.booking_made(session, booking_id)
