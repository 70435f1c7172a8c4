"""The shipped demo network as core objects, for the simulator's tests and benchmarks.

The reader lives in kezek.planning.demo (what-if runs and planning use it too); this
module keeps the names the simulator's tests import.
"""

from __future__ import annotations

from kezek.planning.demo import demo_centres, demo_services

__all__ = ["demo_centres", "demo_services"]
