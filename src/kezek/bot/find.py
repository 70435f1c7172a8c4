"""Finding the service and the place: words, then online or a centre (by city or nearby).

An online service is not booked: the person gets the portal link and the self-service
points, nearest first when they share a location. A service offered at centres is
booked at a centre chosen from a city's list or from the ones nearest the person.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import network, registry
from kezek.bot import keyboards as kb
from kezek.bot.bound import Where
from kezek.bot.common import Deps, offer_reply_keyboard, reply_keyboard_gone, show
from kezek.bot.offers import Offer, offering
from kezek.bot.pick import show_days
from kezek.bot.situations import SituationCb
from kezek.bot.start import forget_iin
from kezek.bot.states import Flow
from kezek.bot.texts import t
from kezek.bot.views import name_in, place_text
from kezek.core.collation import sorted_by_name
from kezek.core.errors import NotFound
from kezek.core.geo import nearest
from kezek.core.registry import Delivery, Service
from kezek.store.models import SelfServicePointRow

MAX_RESULTS = 8
MAX_PLACES = 5
# A self-service point farther than this from the person is not offered as near.
NEAR_KM = 50.0


async def on_words(message: Message, deps: Deps, lang: str) -> None:
    words = (message.text or "").strip()[:200]
    found = []
    if await forget_iin(message):
        words = ""  # an IIN is not a service name, and is not searched for
    if words:
        async with deps.tx() as s:
            found = await registry.search(s, words, limit=MAX_RESULTS + 1)
    if not found:
        await message.answer(t("no_services", lang), reply_markup=kb.rows([
            kb.button(t("btn_situations", lang), SituationCb(code="")),
            kb.button(t("btn_menu", lang), kb.MenuCb(action="menu"))], 1))
        return
    shown = found[:MAX_RESULTS]
    text = t("found_services", lang, n=len(shown))
    if len(found) > MAX_RESULTS:
        text += "\n" + t("too_many", lang, shown=MAX_RESULTS)
    await message.answer(text, reply_markup=kb.services(
        [(x.code, x.names.get(lang)) for x in shown], lang))


async def on_service(cb: CallbackQuery, callback_data: kb.ServiceCb, state: FSMContext,
                     deps: Deps, lang: str) -> None:
    try:
        async with deps.tx() as s:
            service = await registry.get(s, callback_data.code)
            online = service.delivery is Delivery.ONLINE or not service.active
            offers = [] if online else await offering(s, service)
    except NotFound:
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    await state.update_data(service=service.code, centre=None, privilege=None)
    if online:
        await show_online(cb, state, deps, lang, service)
        return
    if not offers:
        await show(cb, t("no_centres", lang), kb.menu(lang))
        return
    cities = _cities(offers, lang)
    await state.update_data(place="centres")
    await state.set_state(Flow.place)
    text = f"{service.names.get(lang)}\n\n{t('choose_city', lang)}"
    if service.delivery is Delivery.BOTH:
        text += "\n\n" + t("both_note", lang, url=deps.settings.portal_url)
    await show(cb, text, kb.cities([name for _, name in cities], service.code, lang))
    assert cb.bot is not None
    await offer_reply_keyboard(cb.bot, cb.from_user.id, state, t("location_hint", lang),
                               kb.share_location(lang))


def _cities(offers: list[Offer], lang: str) -> list[tuple[str, str]]:
    """The cities of the offers as (slug, name), by name: a city button's index is into
    this list, computed again from the button's service when it is pressed."""
    cities: list[tuple[str, str]] = []
    for offer in offers:
        if offer.city.slug not in [slug for slug, _ in cities]:
            cities.append((offer.city.slug, name_in(offer.city, lang)))
    return sorted_by_name(cities, lambda c: c[1], lang)


async def show_online(event: Message | CallbackQuery, state: FSMContext, deps: Deps,
                      lang: str, service: Service,
                      near: tuple[float, float] | None = None) -> None:
    """The portal link and the self-service points (nearest first when located)."""
    async with deps.tx() as s:
        points = await network.self_service_points(s)
    far = False
    if near is not None:
        ranked = nearest(points, _where, near[0], near[1], MAX_PLACES)
        close = [(p, km) for p, km in ranked if km <= NEAR_KM]
        # Nothing near: the nearest point is named with its distance, not as "nearest"
        # (from Almaty that was Kokshetau, 1,246 km away), and remote help is offered.
        far = bool(ranked) and not close
        listed: list[tuple[SelfServicePointRow, float | None]] = list(close or ranked[:1]) or [
            (p, None) for p in points[:MAX_PLACES]]
    else:
        listed = [(p, None) for p in points[:MAX_PLACES]]
    title = t("ssp_none", lang) if not points else (
        t("ssp_far", lang, km=f"{listed[0][1]:,.0f}".replace(",", " ")) if far
        else t("ssp_title", lang))
    parts = [t("online_only", lang, service=service.names.get(lang)), deps.settings.portal_url,
             t("eds_note", lang), title]
    parts += [place_text(p, lang, km, hours=p.hours or {}) for p, km in listed]
    await state.update_data(place="points")
    await state.set_state(Flow.place)
    await show(event, "\n\n".join(parts), kb.portal(deps.settings.portal_url, lang))
    if points and near is None:
        assert event.bot is not None
        chat = event.chat.id if isinstance(event, Message) else event.from_user.id
        await offer_reply_keyboard(event.bot, chat, state, t("ssp_share", lang),
                                   kb.share_location(lang))


def _where(row: SelfServicePointRow | Offer) -> tuple[float | None, float | None]:
    if isinstance(row, Offer):
        return row.centre.lat, row.centre.lon
    return row.lat, row.lon


async def on_location(message: Message, state: FSMContext, deps: Deps, lang: str) -> None:
    assert message.location is not None
    here = (message.location.latitude, message.location.longitude)
    data = await state.get_data()
    # The reply keyboard has done its work: it goes with this short answer.
    await message.answer(t("location_ok", lang), reply_markup=ReplyKeyboardRemove())
    await reply_keyboard_gone(state)
    try:
        async with deps.tx() as s:
            service = await registry.get(s, str(data.get("service")))
            offers = await offering(s, service) if data.get("place") == "centres" else []
    except NotFound:
        await message.answer(t("expired", lang), reply_markup=kb.menu(lang))
        return
    if data.get("place") != "centres":
        await show_online(message, state, deps, lang, service, near=here)
        return
    ranked = nearest(offers, _where, here[0], here[1], MAX_PLACES)
    if not ranked:
        await message.answer(t("no_located_centres", lang), reply_markup=kb.cities(
            [name for _, name in _cities(offers, lang)], service.code, lang))
        return
    text = "\n\n".join([t("nearest_centres", lang)] + [
        place_text(o.centre, lang, km) for o, km in ranked])
    await message.answer(text, reply_markup=kb.centres(
        [(o.centre.id, name_in(o.centre, lang)) for o, _ in ranked], service.code, lang,
        suffixes=[f"{km:.1f}" for _, km in ranked]))


async def _service_of(s: AsyncSession, code: str) -> Service | None:
    try:
        return await registry.get(s, code)
    except NotFound:
        return None


async def on_city(cb: CallbackQuery, callback_data: kb.CityCb, state: FSMContext, deps: Deps,
                  lang: str) -> None:
    """The centres of a city, for the service the pressed button was made for."""
    code = callback_data.s or str(await state.get_value("service") or "")
    async with deps.tx() as s:
        service = await _service_of(s, code) if code else None
        offers = await offering(s, service) if service is not None else []
    cities = _cities(offers, lang)
    if service is None or not 0 <= callback_data.index < len(cities):
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    offers = [o for o in offers if o.city.slug == cities[callback_data.index][0]]
    await state.update_data(service=service.code)
    text = "\n\n".join([t("choose_centre", lang)] + [place_text(o.centre, lang) for o in offers])
    await show(cb, text, kb.centres([(o.centre.id, name_in(o.centre, lang)) for o in offers],
                                    service.code, lang))


async def on_centre(cb: CallbackQuery, callback_data: kb.CentreCb, state: FSMContext,
                    deps: Deps, lang: str) -> None:
    """The days at the centre, for the service the pressed button was made for."""
    code = callback_data.s or str(await state.get_value("service") or "")
    async with deps.tx() as s:
        service = await _service_of(s, code) if code else None
        offer = next((o for o in await offering(s, service)
                      if o.centre.id == callback_data.id), None) if service else None
    if service is None:
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    if offer is None:
        await show(cb, t("no_centres", lang), kb.menu(lang))
        return
    await state.set_state(None)
    await state.update_data(service=service.code, centre=offer.centre.id, privilege=None,
                            mode="book", target=None)
    if offer.privilege_only:
        await show(cb, t("ask_privilege", lang),
                   kb.privileges(Where(offer.centre.id, service.code), lang))
        return
    await show_days(cb, state, deps, lang)


async def on_privilege(cb: CallbackQuery, callback_data: kb.PrivilegeCb, state: FSMContext,
                       deps: Deps, lang: str) -> None:
    """The privilege asked at a privilege-only centre, for that button's centre."""
    data = await state.get_data()
    centre = callback_data.c or int(str(data.get("centre") or 0))
    code = callback_data.s or str(data.get("service") or "")
    async with deps.tx() as s:
        service = await _service_of(s, code) if centre and code else None
    if service is None:
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    await state.set_state(None)
    await state.update_data(service=service.code, centre=centre, mode="book", target=None)
    if callback_data.value == "none":
        await show_online(cb, state, deps, lang, service)
        return
    await state.update_data(privilege=callback_data.value)
    await show_days(cb, state, deps, lang)


def router() -> Router:
    r = Router(name="find")
    r.message.register(on_words, Flow.words, F.text)
    r.callback_query.register(on_service, kb.ServiceCb.filter())
    r.message.register(on_location, Flow.place, F.location)
    r.callback_query.register(on_city, kb.CityCb.filter())
    r.callback_query.register(on_centre, kb.CentreCb.filter())
    r.callback_query.register(on_privilege, kb.PrivilegeCb.filter())
    return r
