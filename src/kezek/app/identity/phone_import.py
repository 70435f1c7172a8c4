"""Numbers registered to IINs from a file: a network's own list (a former system's, a
registry extract) loaded into Kezek's table in one go.

The file is CSV with the header `iin,phone`. Every line is checked before anything is
written, and one bad line refuses the whole file (naming its line, with the IIN
masked), so that an import is either all there or not at all. Each number is
registered as a centre's would be (`source: import`), audited with the actor.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.actor import Actor, Channel
from kezek.app.identity import directory
from kezek.core import iin as iin_rules
from kezek.core.errors import ValidationFailed
from kezek.core.identity import normalize_phone

HEADER = ["iin", "phone"]
MAX_LINES = 1_000_000


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    iin: str
    phone: str


def parse(text: str) -> list[Line]:
    """The file's lines, or ValidationFailed naming the first bad one (IIN masked)."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != HEADER:
        raise ValidationFailed(detail="the first line must be the header iin,phone")
    lines: list[Line] = []
    for number, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != 2:
            raise ValidationFailed(detail=f"line {number}: expected 2 fields, got {len(fields)}")
        checked = iin_rules.check(fields[0])
        if not checked.valid:
            raise ValidationFailed(detail=f"line {number}: invalid IIN "
                                          f"{iin_rules.mask(fields[0].strip())}")
        phone = normalize_phone(fields[1])
        if phone is None:
            raise ValidationFailed(detail=f"line {number}: invalid phone number")
        lines.append(Line(number, checked.value, phone))
        if len(lines) > MAX_LINES:
            raise ValidationFailed(detail=f"more than {MAX_LINES} lines")
    return lines


async def load(session: AsyncSession, text: str, key: bytes, actor: Actor,
               channel: Channel) -> int:
    """Registers every line's number to its IIN; returns how many lines were read."""
    lines = parse(text)
    for line in lines:
        await directory.register(session, line.iin, line.phone, "import", key, actor, channel)
    return len(lines)
