"""The points where the bot waits for typed input rather than a button press."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Flow(StatesGroup):
    words = State()  # the words of a service name
    place = State()  # a city button or a shared location (centres or self-service points)
    iin = State()  # the IIN, for the action kept under "pending"
    contact = State()  # the person's own contact, shared to prove the IIN is theirs
