"""The monitor's rules: how drift limits are learned, and when to retrain (the ``monitor`` section).

Why it matters: "is this drift?" and "should we retrain?" are decisions, and a decision a
team cannot read or change is a superstition. Every rule the monitors apply lives here
(the fixed limits, and the floor and margin the per-feature PSI limits are learned with),
with a default and a range, so it can move to ``params.yaml`` (section ``monitor:``) and be
versioned, diffed and tuned like any other parameter.
"""

from __future__ import annotations

from labs_common.config import MonitorAlert, MonitorParams

# The section's model lives with the other sections of params.yaml (one place per fact).
Alert = MonitorAlert

__all__ = ["Alert", "MonitorParams", "monitor_params"]


def monitor_params() -> MonitorParams:
    """Return ``params.yaml``'s ``monitor`` section if the course has one, else the defaults.

    Why it matters: the rules are data. Reading them from the one parameters file makes a
    change of rule a reviewed, versioned change that DVC can re-run.
    """
    from labs_common.config import load_params

    return load_params().monitor
