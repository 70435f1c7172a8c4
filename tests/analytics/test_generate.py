from __future__ import annotations

import itertools

import numpy as np

from kezek.analytics.generate import Generated, generate
from kezek.analytics.schema import CHANNELS, KINDS, Column
from kezek.core.registry import Delivery, Sector
from tests.analytics.conftest import START, demo_inputs, small

SERVED, NO_SHOW, LEFT = 0, 1, 2


def _served(g: Generated) -> np.ndarray:
    return g.columns[Column.OUTCOME] == SERVED


def test_six_months_at_full_scale_reproduce_the_articles_figures():
    """The issue's calibration: 3.5 M in Almaty + Astana, 1.5 M vehicle, 24 % in Almaty."""
    centres, services, holidays = demo_inputs()
    g = generate(centres, services, months=6, seed=11, start=START, holidays=holidays)
    served = _served(g)
    city = np.array([c.city for c in centres])[g.columns[Column.CENTER]]
    vehicle = np.array([s.sector is Sector.VEHICLE for s in services])[g.columns[Column.SERVICE]]
    big = served & np.isin(city, ["almaty", "astana"])
    assert abs(big.sum() / 3_500_000 - 1) < 0.01
    assert abs((served & vehicle).sum() / 1_500_000 - 1) < 0.01
    share = (served & vehicle & (city == "almaty")).sum() / (served & vehicle).sum()
    assert abs(share - 0.24) < 0.0024
    assert abs(served.sum() / 17_500_000 - 1) < 0.01


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(generated):
    again = small()
    for name, column in generated.columns.items():
        np.testing.assert_array_equal(column, again.columns[name], err_msg=str(name))
    other = small(seed=4)
    assert not np.array_equal(other.columns[Column.SERVICE][:1000],
                              generated.columns[Column.SERVICE][:1000])


def test_golden_values_of_a_seeded_run(generated):
    c = generated.columns
    assert len(c[Column.VISIT]) == 24_690
    assert int(_served(generated).sum()) == 23_333
    assert int((c[Column.OUTCOME] == NO_SHOW).sum()) == 1_110
    assert int(c[Column.SERVICE][:8].sum()) == 186


def test_times_are_in_order_and_outcomes_consistent(generated):
    c = generated.columns
    served = _served(generated)
    assert (c[Column.ARRIVED_AT][served] <= c[Column.CALLED_AT][served]).all()
    assert (c[Column.CALLED_AT][served] <= c[Column.STARTED_AT][served]).all()
    assert (c[Column.STARTED_AT][served] < c[Column.FINISHED_AT][served]).all()
    no_show = c[Column.OUTCOME] == NO_SHOW
    assert np.isnat(c[Column.ARRIVED_AT][no_show]).all()
    assert (c[Column.KIND][no_show] == KINDS.index("booked")).all()
    left = c[Column.OUTCOME] == LEFT
    assert (c[Column.KIND][left] == KINDS.index("walk_in")).all()
    assert np.isnat(c[Column.STARTED_AT][left]).all()
    assert not np.isnat(c[Column.LEFT_AT][left]).any()
    walk = c[Column.KIND] == KINDS.index("walk_in")
    assert (c[Column.CHANNEL][walk] == CHANNELS.index("walk_in")).all()
    assert (c[Column.LEAD_DAYS][walk] == -1).all() and (c[Column.LEAD_DAYS][~walk] >= 0).all()
    # Everyone is served on a day the centre works.
    days = c[Column.DAY].astype("datetime64[D]").view("int64")
    assert not ((days + 3) % 7 == 6).any()  # no Sundays


def test_formats_and_kinds_shape_who_comes(generated):
    c = generated.columns
    centres, services = generated.centres, generated.services
    booking_only = np.array([x.booking_only for x in centres])[c[Column.CENTER]]
    specialised = np.array([x.specialised for x in centres])[c[Column.CENTER]]
    vehicle = np.array([s.sector is Sector.VEHICLE for s in services])[c[Column.SERVICE]]
    online = np.array([s.delivery is not Delivery.PAPER for s in services])[c[Column.SERVICE]]
    # Booking-only centres take no walk-ins, and online services only for privileged people.
    assert (c[Column.KIND][booking_only] == KINDS.index("booked")).all()
    assert c[Column.PRIVILEGED][booking_only & online].all()
    # Vehicle services happen at vehicle centres only, and only vehicle services there.
    assert (vehicle == specialised).all()


def test_in_person_demand_for_online_services_falls_month_by_month():
    g = small(months=4, scale=0.01)
    c = g.columns
    online = np.array([s.delivery is not Delivery.PAPER for s in g.services])[c[Column.SERVICE]]
    general = ~np.array([x.specialised for x in g.centres])[c[Column.CENTER]]
    month = c[Column.DAY].astype("datetime64[M]")
    shares = [online[general & (month == m)].mean() for m in np.unique(month)]
    assert all(a > b for a, b in itertools.pairwise(shares)), shares
