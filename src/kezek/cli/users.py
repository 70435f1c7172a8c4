"""`kezek users`: create and list staff accounts, and govern them.

Each command names the user by username; an unknown user or a weak password exits 1
with one line. Changes are audited with the actor `cli:<operating-system user>`.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer
from rich.table import Table

from kezek.cli.common import fail, out, run, whoami

users_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
T = TypeVar("T")


def _actor() -> Any:
    from kezek.app.actor import Actor

    return Actor("cli:" + whoami())


def _on_user(username: str, action: Callable[[Any, Any], Awaitable[T]]) -> T:
    """Runs `action(session, user)` in one transaction for the named user."""
    from sqlalchemy import select

    from kezek.app.accounts import normal_username
    from kezek.store.models import UserRow

    async def work(session: Any) -> tuple[bool, T | None]:
        user = await session.scalar(select(UserRow).where(
            UserRow.username == normal_username(username)))
        if user is None:
            return False, None
        return True, await action(session, user)

    found, result = run(work)
    if not found:
        fail(f"no such user: {username}")
    return result  # type: ignore[return-value]


@users_app.command("create")
def users_create(username: str, role: str = typer.Option(..., help="admin, manager, operator, "
                                                          "door, call_centre or analyst"),
                 password: str = typer.Option(..., prompt=True, hide_input=True,
                                              confirmation_prompt=True,
                                              envvar="KEZEK_NEW_PASSWORD"),
                 center: list[int] = typer.Option([], help="centre id (repeatable)"),
                 full_name: str = "") -> None:
    """Creates a staff account (12+ characters, not a common or guessable password)."""
    from kezek.app import accounts
    from kezek.app.actor import Channel

    actor = _actor()
    user = run(lambda s: accounts.create_user(s, username, password, role, list(center),
                                               full_name, actor, Channel.CLI))
    out.print(f"created {user.role} {user.username} (id {user.id})")


@users_app.command("list")
def users_list() -> None:
    from kezek.app import accounts
    from kezek.core.credentials import is_locked

    table = Table("id", "username", "role", "centres", "active", "locked", "totp")
    for u in run(accounts.list_users):
        table.add_row(str(u.id), u.username, u.role, ",".join(map(str, u.centers)),
                      str(u.active), str(is_locked(u.failed_logins)), str(bool(u.totp_secret)))
    out.print(table)


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disables the account and signs it out everywhere (tokens and page sessions)."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    actor = _actor()
    _on_user(username, lambda s, u: staff_accounts.disable(s, u.id, actor, Channel.CLI))
    out.print(f"disabled {username}; its tokens and page sessions are ended")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enables a disabled account (it signs in again with its password)."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    actor = _actor()
    _on_user(username, lambda s, u: staff_accounts.enable(s, u.id, actor, Channel.CLI))
    out.print(f"enabled {username}")


def _read_password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        if not line.strip():
            fail("no password on standard input")
        return line.rstrip("\r\n")
    first: str = typer.prompt("New password", hide_input=True)
    if typer.prompt("Repeat it", hide_input=True) != first:
        fail("the two passwords differ")
    return first


@users_app.command("passwd")
def users_passwd(username: str,
                 password_stdin: bool = typer.Option(
                     False, "--password-stdin", help="read the password from the first "
                     "line of standard input instead of asking twice"),
                 must_change: bool = typer.Option(
                     True, "--must-change/--no-must-change",
                     help="whether the user must choose their own at the next sign-in")
                 ) -> None:
    """Sets a user's password; ends every token and page session of theirs."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    password = _read_password(password_stdin)
    actor = _actor()
    _on_user(username, lambda s, u: staff_accounts.reset_password(
        s, u.id, password, actor, Channel.CLI, must_change))
    then = "; it must be changed at the next sign-in" if must_change else ""
    out.print(f"password of {username} set{then}")


@users_app.command("revoke")
def users_revoke(username: str) -> None:
    """Signs the user out everywhere: every bearer token and every page session."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    actor = _actor()
    count = _on_user(username, lambda s, u: staff_accounts.revoke_all(s, u.id, actor,
                                                                       Channel.CLI))
    out.print(f"signed {username} out everywhere ({count} tokens revoked)")


@users_app.command("unlock")
def users_unlock(username: str) -> None:
    """Lifts a lockout (or a delay) after failed sign-ins."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    actor = _actor()
    _on_user(username, lambda s, u: staff_accounts.unlock(s, u.id, actor, Channel.CLI))
    out.print(f"unlocked {username}")


@users_app.command("totp")
def users_totp(username: str,
               enable: bool = typer.Option(..., "--enable/--disable",
                                           help="enrol a new second factor, or remove it")
               ) -> None:
    """Enrols (prints the otpauth:// URI once, for the authenticator app) or removes
    the user's TOTP second factor."""
    from kezek.app import staff_accounts
    from kezek.app.actor import Channel

    actor = _actor()
    if enable:
        from kezek.settings import get_settings

        key = get_settings().iin_key.encode()
        uri = _on_user(username, lambda s, u: staff_accounts.enable_totp(s, u.id, key, actor,
                                                                          Channel.CLI))
        out.print(f"second factor enrolled for {username}; add this to the authenticator "
                  "app now, it is not shown again:")
        out.print(uri, highlight=False, markup=False)
    else:
        _on_user(username, lambda s, u: staff_accounts.disable_totp(s, u.id, actor,
                                                                     Channel.CLI))
        out.print(f"second factor removed for {username}")
