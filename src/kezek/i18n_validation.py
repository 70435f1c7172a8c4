"""A request that fails its schema, said in the requester's language.

pydantic writes its errors in English with the field's name as the code spells it
("iin: String should have at least 1 character"), and that text went out inside the kk
and ru messages, on the door's and kiosk's screens too (issue 13). Here each common
kind of error has a sentence in kk, ru and en, and the fields people meet a name; an
error of a kind or a field not listed falls back to pydantic's words and the field's
path, which stays truthful if plainer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# The fields a person or a staff member fills in, by the name the schemas give them.
FIELDS: dict[str, dict[str, str]] = {
    "iin": {"kk": "ЖСН", "ru": "ИИН", "en": "IIN"},
    "phone": {"kk": "телефон нөмірі", "ru": "номер телефона", "en": "phone number"},
    "service": {"kk": "қызмет", "ru": "услуга", "en": "service"},
    "center": {"kk": "орталық", "ru": "центр", "en": "centre"},
    "start": {"kk": "уақыты", "ru": "время", "en": "time"},
    "date": {"kk": "күні", "ru": "дата", "en": "date"},
    "day": {"kk": "күні", "ru": "день", "en": "day"},
    "code": {"kk": "код", "ru": "код", "en": "code"},
    "booking_code": {"kk": "жазылу коды", "ru": "код записи", "en": "booking code"},
    "count": {"kk": "саны", "ru": "количество", "en": "count"},
    "username": {"kk": "пайдаланушы аты", "ru": "имя пользователя", "en": "username"},
    "password": {"kk": "құпиясөз", "ru": "пароль", "en": "password"},
    "email": {"kk": "электрондық пошта", "ru": "электронная почта", "en": "e-mail"},
    "full_name": {"kk": "аты-жөні", "ru": "ФИО", "en": "full name"},
    "note": {"kk": "ескертпе", "ru": "примечание", "en": "note"},
    "reason": {"kk": "себебі", "ru": "причина", "en": "reason"},
    "opens": {"kk": "ашылу уақыты", "ru": "время открытия", "en": "opening time"},
    "closes": {"kk": "жабылу уақыты", "ru": "время закрытия", "en": "closing time"},
    "window": {"kk": "терезе", "ru": "окно", "en": "window"},
    "number": {"kk": "нөмірі", "ru": "номер", "en": "number"},
    "lang": {"kk": "тіл", "ru": "язык", "en": "language"},
    "channel": {"kk": "арна", "ru": "канал", "en": "channel"},
    "privilege": {"kk": "жеңілдік", "ru": "льгота", "en": "privilege"},
    "choices": {"kk": "таңдаулар", "ru": "варианты", "en": "choices"},
    "from": {"kk": "басталу күні", "ru": "начальная дата", "en": "start date"},
    "to": {"kk": "аяқталу күні", "ru": "конечная дата", "en": "end date"},
    "body": {"kk": "сұрау", "ru": "запрос", "en": "request"},
}

# pydantic's error types, with its context's keys ({min_length}, {ge}, ...).
KINDS: dict[str, dict[str, str]] = {
    "missing": {"kk": "толтырылмаған", "ru": "не заполнено", "en": "is required"},
    "string_too_short": {"kk": "тым қысқа (кемінде {min_length} таңба)",
                         "ru": "слишком коротко (минимум знаков: {min_length})",
                         "en": "is too short (minimum length {min_length})"},
    "string_too_long": {"kk": "тым ұзын (ең көбі {max_length} таңба)",
                        "ru": "слишком длинно (максимум знаков: {max_length})",
                        "en": "is too long (maximum length {max_length})"},
    "string_pattern_mismatch": {"kk": "пішімі дұрыс емес", "ru": "неверный формат",
                                "en": "has the wrong format"},
    "string_type": {"kk": "мәтін болуы керек", "ru": "должно быть текстом",
                    "en": "must be text"},
    "int_parsing": {"kk": "бүтін сан болуы керек", "ru": "должно быть целым числом",
                    "en": "must be a whole number"},
    "int_type": {"kk": "бүтін сан болуы керек", "ru": "должно быть целым числом",
                 "en": "must be a whole number"},
    "int_from_float": {"kk": "бүтін сан болуы керек", "ru": "должно быть целым числом",
                       "en": "must be a whole number"},
    "float_parsing": {"kk": "сан болуы керек", "ru": "должно быть числом",
                      "en": "must be a number"},
    "bool_parsing": {"kk": "иә немесе жоқ болуы керек", "ru": "должно быть да или нет",
                     "en": "must be true or false"},
    "bool_type": {"kk": "иә немесе жоқ болуы керек", "ru": "должно быть да или нет",
                  "en": "must be true or false"},
    "greater_than_equal": {"kk": "кемінде {ge} болуы керек", "ru": "должно быть не меньше {ge}",
                           "en": "must be at least {ge}"},
    "greater_than": {"kk": "{gt} көп болуы керек", "ru": "должно быть больше {gt}",
                     "en": "must be more than {gt}"},
    "less_than_equal": {"kk": "ең көбі {le} болуы керек", "ru": "должно быть не больше {le}",
                        "en": "must be at most {le}"},
    "less_than": {"kk": "{lt} аз болуы керек", "ru": "должно быть меньше {lt}",
                  "en": "must be less than {lt}"},
    "date_parsing": {"kk": "күн дұрыс емес (ЖЖЖЖ-АА-КК)",
                     "ru": "неверная дата (ГГГГ-ММ-ДД)", "en": "is not a date (YYYY-MM-DD)"},
    "date_from_datetime_parsing": {"kk": "күн дұрыс емес (ЖЖЖЖ-АА-КК)",
                                   "ru": "неверная дата (ГГГГ-ММ-ДД)",
                                   "en": "is not a date (YYYY-MM-DD)"},
    "date_type": {"kk": "күн дұрыс емес (ЖЖЖЖ-АА-КК)", "ru": "неверная дата (ГГГГ-ММ-ДД)",
                  "en": "is not a date (YYYY-MM-DD)"},
    "datetime_parsing": {"kk": "күні мен уақыты дұрыс емес",
                         "ru": "неверные дата и время", "en": "is not a date and time"},
    "datetime_from_date_parsing": {"kk": "күні мен уақыты дұрыс емес",
                                   "ru": "неверные дата и время",
                                   "en": "is not a date and time"},
    "datetime_type": {"kk": "күні мен уақыты дұрыс емес", "ru": "неверные дата и время",
                      "en": "is not a date and time"},
    "time_parsing": {"kk": "уақыт дұрыс емес (СС:ММ)", "ru": "неверное время (ЧЧ:ММ)",
                     "en": "is not a time (HH:MM)"},
    "time_type": {"kk": "уақыт дұрыс емес (СС:ММ)", "ru": "неверное время (ЧЧ:ММ)",
                  "en": "is not a time (HH:MM)"},
    "literal_error": {"kk": "рұқсат етілген мән емес ({expected})",
                      "ru": "недопустимое значение (можно: {expected})",
                      "en": "is not allowed (expected {expected})"},
    "enum": {"kk": "рұқсат етілген мән емес ({expected})",
             "ru": "недопустимое значение (можно: {expected})",
             "en": "is not allowed (expected {expected})"},
    "extra_forbidden": {"kk": "белгісіз өріс", "ru": "неизвестное поле",
                        "en": "is not a known field"},
    "list_type": {"kk": "тізім болуы керек", "ru": "должно быть списком", "en": "must be a list"},
    "dict_type": {"kk": "нысан болуы керек", "ru": "должно быть объектом",
                  "en": "must be an object"},
    "model_type": {"kk": "нысан болуы керек", "ru": "должно быть объектом",
                   "en": "must be an object"},
    "model_attributes_type": {"kk": "нысан болуы керек", "ru": "должно быть объектом",
                              "en": "must be an object"},
    "too_short": {"kk": "тым аз (кемінде {min_length})", "ru": "слишком мало (минимум: "
                  "{min_length})", "en": "has too few items (minimum {min_length})"},
    "too_long": {"kk": "тым көп (ең көбі {max_length})", "ru": "слишком много (максимум: "
                 "{max_length})", "en": "has too many items (maximum {max_length})"},
    "json_invalid": {"kk": "JSON дұрыс емес", "ru": "неверный JSON", "en": "is not valid JSON"},
}
_SKIP = frozenset({"body", "query", "path", "header", "cookie"})


def field_label(loc: Sequence[object], lang: str) -> str:
    """The field's name for a person (the last named part), or its path when unnamed."""
    parts = [str(p) for p in loc if str(p) not in _SKIP]
    if not parts:
        return FIELDS["body"][lang]
    names = [p for p in parts if not p.isdigit()]
    last = names[-1] if names else parts[-1]
    if last in FIELDS:
        label = FIELDS[last][lang]
        return label if len(parts) == 1 else f"{label} ({'.'.join(parts)})"
    return ".".join(parts)


def error_text(error: Mapping[str, Any], lang: str) -> str:
    """One error as "field: what is wrong" in `lang` (pydantic's words when unknown)."""
    label = field_label(error.get("loc", ()), lang)
    kind_name = str(error.get("type", ""))
    if kind_name == "string_too_short" and (error.get("ctx") or {}).get("min_length") == 1:
        kind_name = "missing"  # an empty field is a field left blank
    kind = KINDS.get(kind_name)
    if kind is None:
        what = str(error.get("msg", "invalid"))
        what = what.removeprefix("Value error, ")
    else:
        ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
        try:
            what = kind[lang].format(**ctx)
        except (KeyError, IndexError, ValueError):
            what = kind[lang].split(" (")[0]
    return f"{label}: {what}"
