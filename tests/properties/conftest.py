"""Hypothesis profiles: a few examples per property in `make test`, many in `make fuzz`.

`TUTOR_FUZZ_EXAMPLES` (set by `make fuzz`) raises the count. No deadline: the machine is
shared, and speed is measured in bench/, not asserted in tests. No example database in
the project folder.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "tutor",
    max_examples=int(os.environ.get("TUTOR_FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("tutor")
