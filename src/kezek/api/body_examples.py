"""Examples for the request bodies that stay free-form objects in the API.

These bodies are the same JSON shapes as the registry and network export (a service, a
centre, a window) or a partial policy, checked by the rules that own them (ADR 0017), so
they are `dict` in the handlers; the OpenAPI document still shows what to send. Each
example is a body the operation accepts (tests/api/test_body_examples.py sends them).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body

SERVICE: dict[str, Any] = {
    "code": "01010099",
    "names": {"kk": "Жеке куәліктің телнұсқасын беру",
              "ru": "Выдача дубликата удостоверения личности",
              "en": "Issue of a duplicate identity card"},
    "sector": "identity", "delivery": "paper", "specialised_only": False,
    "standard": {"slot_minutes": 15, "max_wait_minutes": 30, "max_service_minutes": 30,
                 "fee_mci": 0.2, "term_days": 15},
    "active": True,
}
CENTER: dict[str, Any] = {
    "slug": "kokshetau-3", "city": "kokshetau", "kind": "general", "format": "mixed",
    "name_kk": "Көкшетау қаласының №3 ХҚКО", "name_ru": "ЦОН №3 г. Кокшетау",
    "name_en": "Kokshetau PSC No. 3", "address_ru": "ул. Ауэзова, 189",
    "lat": 53.2906, "lon": 69.3925, "slot_minutes": 15, "horizon_days": 10,
    "schedule": {"mon": ["09:00", "18:00"], "tue": ["09:00", "18:00"],
                 "wed": ["09:00", "18:00"], "thu": ["09:00", "18:00"],
                 "fri": ["09:00", "18:00"], "sat": ["10:00", "14:00"], "sun": None},
}

ServiceBody = Annotated[dict[str, Any], Body(examples=[SERVICE])]
RegistryBody = Annotated[dict[str, Any], Body(examples=[{"services": [SERVICE]}])]
CenterBody = Annotated[dict[str, Any], Body(examples=[CENTER])]
CenterChange = Annotated[dict[str, Any], Body(examples=[
    {"occupancy_limit": 40, "latest_booking": "17:00", "policy": {"max_bookings": 2}}])]
WindowBody = Annotated[dict[str, Any], Body(examples=[
    {"number": 9, "privilege": False, "scope": {"sectors": ["identity"]}, "seats": 1}])]
WindowChange = Annotated[dict[str, Any], Body(examples=[{"privilege": True, "seats": 2}])]
BookingPolicyBody = Annotated[dict[str, Any], Body(examples=[
    {"max_bookings": 1, "per_days": 10, "max_services_per_day": 2, "min_lead_minutes": 30,
     "release_time": "08:00", "rerelease_min_minutes": 2, "rerelease_max_minutes": 10}])]
IdentityPolicyBody = Annotated[dict[str, Any], Body(examples=[
    {"mode": "otp", "first_use_binding": True, "max_iins_per_phone": 3,
     "code_ttl_seconds": 300, "code_attempts": 5, "proof_minutes": 30}])]
