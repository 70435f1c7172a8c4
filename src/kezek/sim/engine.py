"""The event loop of a centre's day, mirroring the floor's queue (kezek.core.floor).

Serving order, as the floor does it: a privilege window takes privileged people first
(others only when none waits, if the rules allow); people booked for now before
walk-ins, walk-ins before people early for a later slot; booked people by slot time,
then arrival; walk-ins by arrival. A booked person later than the grace is a walk-in.

Speed comes from the shape of the data, not from cleverness in the loop:
- services that the same windows serve share one queue ("group"), so a window looks at
  a few heaps, not at every service; each heap is keyed exactly like the floor's sort
  key (rank, slot or arrival, arrival, id), and a booked person who came early is
  re-keyed by one timed event when the slot comes due;
- idle windows are bits of an int, so "is any window free for this person" is one AND;
- entries are never removed from the middle of a heap: a stale entry (abandoned,
  re-keyed) is dropped when it reaches the top.
When every window serves every service and nothing distinguishes people (no bookings,
no privilege order, no occupancy limit, no patience), FCFS on identical windows is the
Kiefer-Wolfowitz recursion, and a ten-line loop gives the same waits much faster.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from heapq import heappop, heappush, heapreplace

import numpy as np

from kezek.core.network import CenterFormat
from kezek.sim.model import CenterModel
from kezek.sim.records import VISIT_DTYPE, Arrivals, Klass, Outcome, Visits

# At equal times: a slot comes due before a window calls, so the call sees the new rank.
_DUE, _END, _ABANDON = 0, 1, 2
_PENDING, _OUTSIDE, _QUEUED, _SERVING, _DONE, _GONE = range(6)
_NAN = math.nan


@dataclass(frozen=True, slots=True)
class _Plan:
    """The model compiled into masks and heap lists for the loop."""

    group_of: tuple[int, ...]  # service index -> group
    group_mask: tuple[int, ...]  # group -> windows that serve it (bits)
    tiers: tuple[tuple[tuple[int, ...], ...], ...]  # window -> tiers of heap ids, best first
    regular_mask: int
    privilege_mask: int
    others_may_use_privilege: bool


def compile_plan(model: CenterModel) -> _Plan:
    masks: list[int] = []
    for spec in model.services:
        masks.append(sum(1 << w for w, win in enumerate(model.windows)
                         if spec.code in win.services))
    distinct = sorted(set(masks))
    group_of = tuple(distinct.index(m) for m in masks)
    rules = model.rules
    tiers: list[tuple[tuple[int, ...], ...]] = []
    for w, win in enumerate(model.windows):
        mine = [g for g, m in enumerate(distinct) if m >> w & 1]
        priv = tuple(2 * g + 1 for g in mine)
        plain = tuple(2 * g for g in mine)
        if win.privilege and rules.privilege_first:
            tiers.append((priv, plain) if rules.privilege_serves_others else (priv,))
        else:
            tiers.append((plain + priv,))
    regular = sum(1 << w for w, win in enumerate(model.windows) if not win.privilege)
    privilege = sum(1 << w for w, win in enumerate(model.windows) if win.privilege)
    return _Plan(group_of, tuple(distinct), tuple(tiers), regular, privilege,
                 rules.privilege_serves_others or not rules.privilege_first)


def is_plain_fcfs(model: CenterModel, arrivals: Arrivals) -> bool:
    """True when the floor's rules reduce to first come, first served on identical windows."""
    every = frozenset(model.codes)
    rules = model.rules
    privilege_matters = rules.privilege_first and any(w.privilege for w in model.windows) \
        and (bool(arrivals.privileged.any()) or not rules.privilege_serves_others)
    return (all(w.services == every for w in model.windows) and model.occupancy_limit is None
            and not arrivals.booked.any() and not privilege_matters
            and not np.isfinite(arrivals.patience).any()
            and model.format is CenterFormat.MIXED)


def run(model: CenterModel, arrivals: Arrivals, centre: int = 0,
        fast: bool | None = None) -> Visits:
    """Simulates the day for these arrivals; one record per person, in arrival order.

    Deterministic: all randomness was drawn into `arrivals`. `fast=None` takes the FCFS
    shortcut whenever it gives the same waits; True insists on it, False refuses it.
    The shortcut gives the same start and end times; when several windows are free it may
    name a different (equally free) window than the full loop, which takes the lowest.
    """
    n = len(arrivals)
    if fast is None:
        fast = is_plain_fcfs(model, arrivals)
    elif fast and not is_plain_fcfs(model, arrivals):
        raise ValueError("the FCFS shortcut does not apply to this model and these arrivals")
    order = np.argsort(arrivals.time, kind="stable")
    visits = np.empty(n, dtype=VISIT_DTYPE)
    visits["centre"] = centre
    visits["service"] = arrivals.service[order]
    visits["booked"] = arrivals.booked[order]
    visits["privileged"] = arrivals.privileged[order]
    visits["slot"] = arrivals.slot[order]
    if fast:
        _fcfs(len(model.windows), arrivals, order, visits)
    else:
        _floor(model, arrivals, order, visits)
    return visits


def _fcfs(c: int, arrivals: Arrivals, order: np.ndarray, visits: Visits) -> None:
    """Kiefer-Wolfowitz: each arrival, in order, takes the window that frees first."""
    arr = arrivals.time[order]
    svc = arrivals.service_time[order]
    starts: list[float] = []
    wins: list[int] = []
    put_start, put_win = starts.append, wins.append
    free = [(-math.inf, w) for w in range(c)]
    for a, s in zip(arr.tolist(), svc.tolist(), strict=True):
        f, w = free[0]
        st = a if a > f else f
        heapreplace(free, (st + s, w))
        put_start(st)
        put_win(w)
    start = np.asarray(starts, dtype=np.float64)
    visits["klass"] = Klass.WALK_IN
    visits["arrival"] = arr
    visits["admitted"] = arr
    visits["start"] = start
    visits["end"] = start + svc
    visits["window"] = wins
    visits["outcome"] = Outcome.SERVED


def _floor(model: CenterModel, arrivals: Arrivals, order: np.ndarray, visits: Visits) -> None:
    """The full rules: groups, classes, privilege tiers, occupancy, patience, no-shows."""
    plan = compile_plan(model)
    rules = model.rules
    n = len(order)
    t_arr: list[float] = arrivals.time[order].tolist()
    groups = plan.group_of
    group: list[int] = [groups[s] for s in arrivals.service[order].tolist()]
    priv: list[bool] = arrivals.privileged[order].tolist()
    booked: list[bool] = arrivals.booked[order].tolist()
    slot: list[float] = arrivals.slot[order].tolist()
    dur: list[float] = arrivals.service_time[order].tolist()
    patience: list[float] = arrivals.patience[order].tolist()
    no_show: list[bool] = arrivals.no_show[order].tolist()

    klass = [int(Klass.WALK_IN)] * n
    outcome = [int(Outcome.SERVED)] * n
    admitted = [_NAN] * n
    start = [_NAN] * n
    end = [_NAN] * n
    window = [-1] * n
    status = [_PENDING] * n
    qrank = [-1] * n  # the rank of the person's live heap entry; -1 when not queued
    heaps: list[list[tuple[int, float, float, int]]] = [[] for _ in range(2 * len(plan.group_mask))]
    events: list[tuple[float, int, int, int]] = []
    serving = [-1] * len(model.windows)
    outside: deque[int] = deque()
    seq = 0
    inside = 0
    limit = model.occupancy_limit if model.occupancy_limit is not None else n + 1
    idle = (1 << len(model.windows)) - 1
    gmask, tiers = plan.group_mask, plan.tiers
    regular, privileged_w = plan.regular_mask, plan.privilege_mask
    allowed_plain = regular | (privileged_w if plan.others_may_use_privilege else 0)
    lead, grace = rules.early_lead_minutes, rules.grace_minutes
    booking_only = model.format is CenterFormat.BOOKING_ONLY
    plain_services = np.unique(arrivals.service[~arrivals.privileged & ~arrivals.no_show])
    stuck = [model.services[s].code for s in plain_services.tolist()
             if not gmask[groups[s]] & allowed_plain]
    if stuck:
        raise ValueError(f"centre {model.name!r}: {stuck} are served only at privilege windows "
                         "that take no one else, so non-privileged people for them never would be")

    def begin(v: int, w: int, t: float) -> None:
        nonlocal idle, seq
        status[v] = _SERVING
        qrank[v] = -1
        start[v] = t
        window[v] = w
        serving[w] = v
        idle &= ~(1 << w)
        e = t + dur[v]
        end[v] = e
        seq += 1
        heappush(events, (e, _END, seq, w))

    def admit(v: int, t: float) -> None:
        nonlocal inside, seq
        inside += 1
        admitted[v] = t
        g = group[v]
        m = idle & gmask[g]
        if priv[v]:
            if m & privileged_w:
                m &= privileged_w
        else:
            m &= allowed_plain
            if m & regular:
                m &= regular
        if m:
            begin(v, (m & -m).bit_length() - 1, t)
            return
        status[v] = _QUEUED
        if klass[v] == Klass.BOOKED:
            due = slot[v] - lead
            rank = 0 if t >= due else 2
            if rank == 2:
                seq += 1
                heappush(events, (due, _DUE, seq, v))
            key = slot[v]
        else:
            rank, key = 1, t_arr[v]
        qrank[v] = rank
        heappush(heaps[2 * g + priv[v]], (rank, key, t_arr[v], v))

    def let_in(t: float) -> None:
        while outside and inside < limit:
            v = outside.popleft()
            if status[v] == _OUTSIDE:
                admit(v, t)

    def call_next(w: int, t: float) -> None:
        nonlocal idle
        for tier in tiers[w]:
            best = -1
            best_key: tuple[int, float, float, int] | None = None
            for h in tier:
                hp = heaps[h]
                while hp and qrank[hp[0][3]] != hp[0][0]:
                    heappop(hp)
                if hp and (best_key is None or hp[0] < best_key):
                    best, best_key = h, hp[0]
            if best_key is not None:
                heappop(heaps[best])
                begin(best_key[3], w, t)
                return
        idle |= 1 << w

    i = 0
    while True:
        if events and (i >= n or events[0][0] <= t_arr[i]):
            t, kind, _, x = heappop(events)
            if kind == _END:
                v = serving[x]
                status[v] = _DONE
                serving[x] = -1
                inside -= 1
                call_next(x, t)
                let_in(t)
            elif kind == _DUE:
                if qrank[x] == 2:
                    qrank[x] = 0
                    heappush(heaps[2 * group[x] + priv[x]], (0, slot[x], t_arr[x], x))
            elif status[x] in (_OUTSIDE, _QUEUED):
                was_inside = status[x] == _QUEUED
                status[x] = _GONE
                qrank[x] = -1
                outcome[x] = Outcome.ABANDONED
                end[x] = t
                if was_inside:
                    inside -= 1
                    let_in(t)
            continue
        if i >= n:
            break
        v, t = i, t_arr[i]
        i += 1
        if booked[v]:
            klass[v] = Klass.BOOKED
            if no_show[v]:
                status[v], outcome[v] = _GONE, Outcome.NO_SHOW
                t_arr[v] = _NAN
                continue
            if t > slot[v] + grace:
                klass[v] = Klass.WALK_IN
        if booking_only and klass[v] == Klass.WALK_IN:
            status[v], outcome[v] = _GONE, Outcome.TURNED_AWAY
            continue
        if patience[v] != math.inf:
            seq += 1
            heappush(events, (t + patience[v], _ABANDON, seq, v))
        if inside < limit and not outside:
            admit(v, t)
        else:
            status[v] = _OUTSIDE
            outside.append(v)

    visits["klass"] = klass
    visits["arrival"] = t_arr
    visits["admitted"] = admitted
    visits["start"] = start
    visits["end"] = end
    visits["window"] = window
    visits["outcome"] = outcome
