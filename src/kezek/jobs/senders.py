"""Telegram (aiogram's Bot, against the configured Bot API server), e-mail (SMTP) and SMS
(the same gateway adapter as the identity codes, `SmsGateway`, in the notice's short form).

aiogram is imported inside `send_telegram`, not here: every process that imports the job
definitions (every web worker) would otherwise pay its seconds of import (ADR 0016).

A sender either delivers or raises. `Undelivered` marks a failure that proves nothing
left this host (the server refused the connection), so the claim can be given back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from kezek.app.identity.senders import GatewayUnreachable, SmsGateway
from kezek.app.notify import EMAIL, SMS, TELEGRAM, Outgoing
from kezek.settings import Settings


class Undelivered(Exception):
    """Nothing was sent: safe to try again later."""


def channels(settings: Settings) -> set[str]:
    """The channels this deployment can send on: a token for Telegram, a host for SMTP,
    a gateway for SMS."""
    out = set()
    if settings.telegram_token:
        out.add(TELEGRAM)
    if settings.smtp_host:
        out.add(EMAIL)
    if settings.sms_url:
        out.add(SMS)
    return out


def reminder_channels(settings: Settings) -> set[str]:
    """The channels reminders go on: SMS only where `KEZEK_SMS_REMINDERS` says so (each
    reminder by SMS costs money, and a person who booked has the code already)."""
    out = channels(settings)
    if not settings.sms_reminders:
        out.discard(SMS)
    return out


async def send(settings: Settings, message: Outgoing, now: dt.datetime) -> None:
    """Sends one claimed message; `now` is the job's moment (the e-mail's Date)."""
    if message.channel == TELEGRAM:
        await send_telegram(settings, int(message.address), message.notice.text,
                            message.notice.buttons)
    elif message.channel == EMAIL:
        await asyncio.to_thread(send_email, settings, message.address,
                                message.notice.subject, message.notice.text,
                                f"{message.kind}.{message.claim_id}", now)
    elif message.channel == SMS:
        await send_sms(settings, message.address, message.notice.short or message.notice.text)
    else:
        raise ValueError(f"unknown channel {message.channel}")


async def send_telegram(settings: Settings, chat_id: int, text: str,
                        buttons: tuple[tuple[str, str], ...] = ()) -> None:
    # aiogram (and aiohttp under it) costs seconds to import: loaded with the first
    # Telegram notice, never by the web workers that only queue notices (ADR 0016).
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramNetworkError
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
    from aiohttp import ClientConnectorError

    assert settings.telegram_token, "no Telegram token"
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    try:
        async with Bot(settings.telegram_token, session=session) as bot:
            markup = InlineKeyboardMarkup(inline_keyboard=[[
                InlineKeyboardButton(text=label, callback_data=data)
                for label, data in buttons]]) if buttons else None
            await bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramNetworkError as exc:
        if isinstance(exc.__cause__, ClientConnectorError):  # no connection: nothing sent
            raise Undelivered("Telegram API not reachable") from exc
        raise


async def send_sms(settings: Settings, phone: str, text: str) -> None:
    assert settings.sms_url, "no SMS gateway"
    gateway = SmsGateway(settings.sms_url, settings.sms_token, settings.sms_from)
    try:
        await gateway.send(phone, text)
    except GatewayUnreachable as exc:
        raise Undelivered("SMS gateway not reachable") from exc


def _domain(sender: str) -> str:
    """The sender's domain, for Message-IDs under a name the network owns."""
    _, address = parseaddr(sender)
    domain = address.rpartition("@")[2].strip()
    return domain or "kezek.localhost"


def send_email(settings: Settings, to: str, subject: str, text: str, ref: str,
               now: dt.datetime) -> None:
    """One plain-text message with the headers mail systems judge a sender by: a Date
    (RFC 5322 requires one), a unique Message-ID that names the claim it went out under
    (`ref`: a support question about a message can be traced to it), and Auto-Submitted
    (RFC 3834), so that out-of-office robots do not answer a reminder."""
    assert settings.smtp_host, "no SMTP host"
    msg = EmailMessage()
    msg["From"] = settings.smtp_sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    msg["Message-ID"] = make_msgid(idstring=ref, domain=_domain(settings.smtp_sender))
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    except (ConnectionRefusedError, smtplib.SMTPConnectError) as exc:
        raise Undelivered("SMTP server refused the connection") from exc
    with smtp:
        smtp.send_message(msg)
