"""Network planning: where new centres should open, solved to proven optimality.

A capacitated p-median (facility location) model: demand points with visits per sector,
existing centres that stay open, candidate sites with capacities; choose k candidates and
assign the visits so that the visit-weighted travel is least. `model` holds the inputs,
`solve` the MILP (HiGHS through scipy), `report` travel and waits before and after, `io` the
JSON form and `example` the Almaty vehicle-centre case.
"""
