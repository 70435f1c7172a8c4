"""Which directory and which sender run, from the settings.

`KEZEK_IDENTITY_REGISTRY_URL` set: the state registry answers; unset: Kezek's own table.
`KEZEK_SMS_URL` set: codes go by SMS; unset: the development sender, which
`Settings` refuses in production. `KEZEK_TELEGRAM_TOKEN` set: a person whose bot chat
proved their number gets codes in that chat.
"""

from __future__ import annotations

from kezek.app.identity.chats import TelegramFirst
from kezek.app.identity.directory import LocalDirectory, RegistryDirectory
from kezek.app.identity.ports import CodeSender, Directory
from kezek.app.identity.senders import DevSender, SmsGateway
from kezek.settings import Settings


def directory_for(settings: Settings) -> Directory:
    if settings.identity_registry_url:
        return RegistryDirectory(settings.identity_registry_url,
                                 settings.identity_registry_token)
    return LocalDirectory(settings.iin_key.encode())


def sender_for(settings: Settings) -> CodeSender:
    """The SMS gateway (or the development sender); with a bot configured, a person
    whose Telegram chat proved their number gets the code there instead."""
    base: CodeSender = (SmsGateway(settings.sms_url, settings.sms_token, settings.sms_from)
                        if settings.sms_url else DevSender())
    if settings.telegram_token:
        return TelegramFirst(settings.telegram_token, settings.telegram_api_base, base)
    return base
