"""What a button was made for: the centre, service, privilege and booking it belongs to.

A chat keeps its old messages, and a person may press a button on any of them. The
conversation's FSM data only says what the newest message is about, so a button that
read its centre or service from there booked what the chat was doing now, not what the
pressed message showed (issue 13). Every button of the booking path therefore carries
its own context (`Where`, packed into the callback data, well within Telegram's 64
bytes) and its handler `bind`s the conversation to it: a booking button adopts the
context it carries, and a button whose context cannot be taken up again (moving a
booking, a ballot request, a confirmation) is answered as out of date, changing
nothing. ADR 32.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from kezek.bot.texts import t

# Privileges in one letter: the callback data is short.
_SHORT = {"pensioner": "p", "large_family": "f", "disability": "d"}
_LONG = {v: k for k, v in _SHORT.items()}


@dataclass(frozen=True, slots=True)
class Where:
    centre: int
    service: str
    privilege: str | None = None  # a Privilege value
    target: str | None = None  # the booking being moved, if any

    @classmethod
    def of(cls, data: dict[str, Any]) -> Where:
        """The context the conversation is in now."""
        mode_target = str(data.get("target") or "") if data.get("mode") == "rebook" else ""
        return cls(int(str(data.get("centre") or 0)), str(data.get("service") or ""),
                   str(data.get("privilege") or "") or None, mode_target or None)

    @classmethod
    def unpack(cls, cb: Any) -> Where:
        """From a callback data's short fields c, s, p, r."""
        return cls(int(cb.c), str(cb.s), _LONG.get(str(cb.p)), str(cb.r) or None)

    def fields(self) -> dict[str, Any]:
        """The short fields to put into a callback data."""
        return {"c": self.centre, "s": self.service,
                "p": _SHORT.get(self.privilege or "", ""), "r": self.target or ""}

    @property
    def complete(self) -> bool:
        return bool(self.centre and self.service)


async def bind(cb: CallbackQuery, where: Where, state: FSMContext, lang: str,
               adopt: bool = True) -> bool:
    """Whether the press may go on in `where`, the context its button carries.

    The conversation already in it goes on. Otherwise a new booking's button (`adopt`,
    no booking being moved) takes the conversation over to its own centre, service and
    privilege, so it books what its message showed; anything else is told it is out of
    date, in a notice that leaves the chat as it is."""
    data = await state.get_data()
    if where.complete and Where.of(data) == where:
        return True
    if adopt and where.complete and where.target is None:
        await state.set_state(None)
        await state.update_data(centre=where.centre, service=where.service,
                                privilege=where.privilege, mode="book", target=None)
        return True
    await cb.answer(t("outdated", lang), show_alert=True)
    return False
