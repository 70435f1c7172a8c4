"""Messages of the operations endpoints (/readyz, /metrics) in the three languages.

Kept apart from `kezek.i18n` so that the probes need nothing of the domain's tables.
"""

from __future__ import annotations

OPS_MESSAGES: dict[str, dict[str, str]] = {
    "not_ready": {
        "kk": "Қызмет әзір емес: жауап бермейді: {parts}.",
        "ru": "Сервис не готов: не отвечает: {parts}.",
        "en": "The service is not ready: not answering: {parts}."},
    "metrics_forbidden": {
        "kk": "Метрикалар тек рұқсаты барларға қолжетімді.",
        "ru": "Метрики доступны только тем, у кого есть доступ.",
        "en": "Metrics are served only to those allowed to read them."},
}


def ops_message(code: str, lang: str, **params: str) -> str:
    table = OPS_MESSAGES[code]
    return table.get(lang, table["en"]).format(**params)
