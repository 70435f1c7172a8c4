"""Proof by a shared Telegram contact: Telegram has verified the number, Kezek checks that
the number belongs to the IIN.

When a person shares their own contact with the bot (the "share my number" button,
which Telegram fills in from the account, never from what is typed), Telegram vouches
that the chat's owner holds that number: the same assurance as a code that came back.
The directory then decides, exactly as for a code: a registered number proves the IIN;
an IIN with no number may bind this one on first use where the network allows it
(the same cap of IINs per number); any other number proves nothing.
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.actor import Actor, Channel
from kezek.app.identity import chats
from kezek.app.identity.codes import register_hashed, valid_iin
from kezek.app.identity.directory import iins_on_phone
from kezek.app.identity.notice_phone import seal_in_proof
from kezek.app.identity.ports import Directory
from kezek.app.identity.proof import Proof
from kezek.core.errors import ContactNotRegistered, InvalidPhone, NoPhone, PhoneTaken
from kezek.core.identity import IdentityPolicy, normalize_phone, phone_digest
from kezek.core.privacy import iin_digest

METHOD = "telegram"


async def prove(session: AsyncSession, raw_iin: str, raw_phone: str, chat_id: int,
                directory: Directory, policy: IdentityPolicy, key: bytes, actor: Actor,
                channel: Channel) -> Proof:
    """The proof for `raw_iin` that a Telegram-verified `raw_phone` gives, or the domain
    error that says why it gives none (nothing is bound then). The chat is linked to the
    pair, so that later codes for it (on the website) come to the chat."""
    iin = valid_iin(raw_iin)
    phone = normalize_phone(raw_phone)
    if phone is None:
        raise InvalidPhone()
    listing = await directory.lookup(session, iin)
    if listing.phones:
        if phone not in listing.phones:
            raise ContactNotRegistered()
    elif not (policy.first_use_binding and listing.bindable):
        raise NoPhone()
    elif await iins_on_phone(session, phone, key) >= policy.max_iins_per_phone:
        raise PhoneTaken()
    else:
        await register_hashed(session, iin_digest(iin, key), phone, key, actor, channel)
    iin_hash, phone_hash = iin_digest(iin, key), phone_digest(phone, key)
    await chats.link(session, iin_hash, phone_hash, chat_id)
    return Proof(iin_hash, phone_hash, METHOD, time.time() + policy.proof_minutes * 60,
                 seal_in_proof(phone, phone_hash, key))
