"""The reference for the booking rush: the same conditional SQL, and nothing else.

One endpoint, served by uvicorn like Kezek, that books by running only the two statements
that make a Kezek booking race-free, through asyncpg directly: the person upsert
(`INSERT ... ON CONFLICT DO UPDATE ... RETURNING id`) and the seat insert
(`INSERT ... ON CONFLICT DO NOTHING RETURNING id`) into a table with the same partial
unique index on (window_id, start_utc, seat).  No validation of the schedule, no quotas,
no ORM, no audit row: it is the floor that the stack (uvicorn, FastAPI, asyncpg,
PostgreSQL) allows on this machine, which Kezek is measured against.

Run by bench.booking_rush with BENCH_REF_DSN set to the bench database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import random
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

KEY = os.environ.get("BENCH_REF_KEY", "bench-reference-key").encode()
POOL_SIZE = int(os.environ.get("BENCH_REF_POOL", "10"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS ref_persons (
    id serial PRIMARY KEY,
    iin_hash varchar(64) NOT NULL UNIQUE,
    iin_masked varchar(12) NOT NULL,
    bookings_made integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ref_bookings (
    id serial PRIMARY KEY,
    code varchar(12) NOT NULL UNIQUE,
    person_id integer NOT NULL REFERENCES ref_persons (id),
    service_code varchar(8) NOT NULL,
    center_id integer NOT NULL,
    window_id integer NOT NULL,
    seat integer NOT NULL DEFAULT 0,
    start_utc timestamptz NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_ref_bookings_seat ON ref_bookings
    (window_id, start_utc, seat) WHERE status IN ('active', 'checked_in');
"""

UPSERT_PERSON = """
INSERT INTO ref_persons (iin_hash, iin_masked, bookings_made) VALUES ($1, $2, 0)
ON CONFLICT (iin_hash) DO UPDATE SET bookings_made = ref_persons.bookings_made + 1
RETURNING id
"""
TAKE_SEAT = """
INSERT INTO ref_bookings (code, person_id, service_code, center_id, window_id, seat,
                          start_utc, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')
ON CONFLICT DO NOTHING
RETURNING id
"""
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iin: str
    service: str
    center: int
    start: dt.datetime
    channel: str = "web"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool = await asyncpg.create_pool(os.environ["BENCH_REF_DSN"], min_size=POOL_SIZE,
                                     max_size=2 * POOL_SIZE)
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT id, center_id, seats FROM windows WHERE active "
                                "ORDER BY center_id, number")
    seats: dict[int, list[tuple[int, int]]] = {}
    for r in rows:
        seats.setdefault(r["center_id"], []).extend((r["id"], s) for s in range(r["seats"]))
    app.state.pool, app.state.seats = pool, seats
    try:
        yield
    finally:
        await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/bookings")
async def book(body: BookingIn) -> JSONResponse:
    seats = app.state.seats.get(body.center)
    if not seats:
        return JSONResponse({"error": {"code": "not_found", "message": "no such centre"}}, 404)
    digest = hmac.new(KEY, body.iin.encode(), hashlib.sha256).hexdigest()
    masked = body.iin[:2] + "*" * 8 + body.iin[10:]
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    first = random.randrange(len(seats))  # start anywhere: fewer conflicts than Kezek's order
    async with app.state.pool.acquire() as conn, conn.transaction():
        person = await conn.fetchval(UPSERT_PERSON, digest, masked)
        for window_id, seat in seats[first:] + seats[:first]:
            new_id = await conn.fetchval(TAKE_SEAT, code, person, body.service, body.center,
                                         window_id, seat, body.start)
            if new_id is not None:
                return JSONResponse({"code": code, "window": window_id, "seat": seat}, 201)
    return JSONResponse({"error": {"code": "slot_full", "message": "slot full"}}, 409)
