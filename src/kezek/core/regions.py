"""Kazakhstan's 17 regions and 3 cities of republican significance (ISO 3166-2:KZ)."""

from __future__ import annotations

from kezek.core.network import Region
from kezek.core.registry import Names


def _region(code: str, kk: str, ru: str, en: str, seat: str) -> Region:
    return Region(code=code, names=Names(kk=kk, ru=ru, en=en), seat=seat)


REGIONS: tuple[Region, ...] = (
    _region("KZ-10", "Абай облысы", "Абайская область", "Abai Region", "Semey"),
    _region("KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region", "Kokshetau"),
    _region("KZ-15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Aktobe"),
    _region("KZ-19", "Алматы облысы", "Алматинская область", "Almaty Region", "Konaev"),
    _region("KZ-23", "Атырау облысы", "Атырауская область", "Atyrau Region", "Atyrau"),
    _region(
        "KZ-27", "Батыс Қазақстан облысы", "Западно-Казахстанская область",
        "West Kazakhstan Region", "Oral",
    ),
    _region("KZ-31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", "Taraz"),
    _region("KZ-33", "Жетісу облысы", "Жетысуская область", "Zhetisu Region", "Taldykorgan"),
    _region("KZ-35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "Karaganda"),
    _region("KZ-39", "Қостанай облысы", "Костанайская область", "Kostanay Region", "Kostanay"),
    _region("KZ-43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "Kyzylorda"),
    _region("KZ-47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Aktau"),
    _region("KZ-55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "Pavlodar"),
    _region(
        "KZ-59", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область",
        "North Kazakhstan Region", "Petropavl",
    ),
    _region("KZ-61", "Түркістан облысы", "Туркестанская область", "Turkistan Region", "Turkistan"),
    _region("KZ-62", "Ұлытау облысы", "Улытауская область", "Ulytau Region", "Zhezkazgan"),
    _region(
        "KZ-63", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
        "East Kazakhstan Region", "Oskemen",
    ),
    _region("KZ-71", "Астана", "Астана", "Astana", "Astana"),
    _region("KZ-75", "Алматы", "Алматы", "Almaty", "Almaty"),
    _region("KZ-79", "Шымкент", "Шымкент", "Shymkent", "Shymkent"),
)

REGION_BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}
