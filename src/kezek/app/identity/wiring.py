"""Which directory and which sender run, from the settings.

`KEZEK_IDENTITY_REGISTRY_URL` set: the state registry answers; unset: Kezek's own table.
`KEZEK_SMS_URL` set: codes go by SMS; unset: the development sender, which
`Settings` refuses in production.
"""

from __future__ import annotations

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
    if settings.sms_url:
        return SmsGateway(settings.sms_url, settings.sms_token, settings.sms_from)
    return DevSender()
