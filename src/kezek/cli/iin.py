"""`kezek iin`: IIN tools that need neither the database nor a key."""

from __future__ import annotations

import typer

from kezek.cli.common import fail, out
from kezek.core import iin as iin_rules
from kezek.i18n import message

iin_app = typer.Typer(help="IIN tools.", no_args_is_help=True)


@iin_app.command("check")
def iin_check(value: str) -> None:
    """Checks an IIN: exit 0 if valid, exit 1 with the reason if not."""
    checked = iin_rules.check(value)
    if not checked.valid:
        assert checked.problem is not None
        fail(f"invalid IIN: {message('iin.' + checked.problem.value, 'en')}")
    h = iin_rules.hint(checked.value)
    born = h.birth_date.isoformat() if h.birth_date else "unknown"
    out.print(f"valid IIN {iin_rules.mask(checked.value)} (born {born}?, sex {h.sex or '?'}; "
              "a hint only)")
