"""Lab 06 (module 06, lifecycle): batch scoring with the same predictor as the online path.

The student writes ``myflights/predictor.py`` with ``load_predictor()`` returning an object
whose ``predict(flights)`` takes raw schedule rows and returns ``score`` and ``alert`` per
row, and a command ``python -m myflights.batch --input IN --output OUT`` that uses it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import raw_flights, roc_auc, run_pipeline
from capstone.project.checks.lab05 import BLOCKED as BLOCKED_05
from capstone.project.checks.lab05 import random_costs, read_metrics
from capstone.project.checks.sandbox import CheckFailed, Sandbox

BLOCKED = (*BLOCKED_05, *(f"module06_lifecycle.{m}" for m in
           ("batch", "predictor", "inference", "stream")))  # fmt: skip
#: The schedule columns a request carries; the check sends nothing measured on the day.
SCHEDULE = ["year", "month", "day", "sched_dep_time", "sched_arr_time", "carrier", "flight",
            "tailnum", "origin", "dest", "distance", "hour", "minute", "time_hour"]  # fmt: skip
REQUIRED = ["month", "day", "sched_dep_time", "carrier", "origin", "dest", "distance"]

#: Scores rows one at a time with the student's predictor (the online path).
ONLINE = """
import json, sys, pandas as pd
from myflights.predictor import load_predictor
predictor = load_predictor()
flights = pd.read_parquet(sys.argv[1])
rows = [int(i) for i in sys.argv[2].split(",")]
scores = [float(predictor.predict(flights.iloc[[i]])["score"].iloc[0]) for i in rows]
try:
    predictor.predict(flights.drop(columns=[sys.argv[3]]))
    error = None
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
print(json.dumps({"scores": scores, "error": error}))
"""


def incoming(box: Sandbox) -> pd.DataFrame:
    """A random sample of one random month's schedule, shuffled: new flights to score."""
    if "incoming" not in box.notes:
        flights = raw_flights()
        month = box.rng.randint(1, 12)
        rows = flights[flights["month"] == month].sample(
            box.rng.randint(400, 800), random_state=box.rng.randint(0, 10**6)
        )
        box.notes["incoming"] = rows.reset_index(drop=True)  # fmt: skip
        box.notes["incoming"][SCHEDULE].to_parquet(box.root.parent / "incoming.parquet")
    return box.notes["incoming"]


def batch_scores(box: Sandbox) -> str:
    run_pipeline(box, "evaluate", extra=random_costs(box))
    flights = incoming(box)
    out = box.root.parent / "scored.parquet"
    result = box.run("python", "-m", "myflights.batch", "--input",
                     str(box.root.parent / "incoming.parquet"), "--output", str(out))  # fmt: skip
    if result.returncode != 0 or not out.is_file():
        raise CheckFailed(f"`python -m myflights.batch --input IN --output OUT` failed:\n"
                          f"{result.stderr[-1500:]}")  # fmt: skip
    scored = pd.read_parquet(out)
    if len(scored) != len(flights) or not {"score", "alert"} <= set(scored.columns):
        raise CheckFailed(f"the output has {len(scored)} rows and columns {list(scored.columns)}; "
                          f"expected {len(flights)} rows with 'score' and 'alert'")  # fmt: skip
    score, threshold = scored["score"].to_numpy(float), read_metrics(box)["threshold"]
    if np.ptp(score) == 0 or not ((score >= 0) & (score <= 1)).all():
        raise CheckFailed("scores must be probabilities in [0, 1] that differ between flights")
    if (scored["alert"].astype(bool).to_numpy() != (score >= threshold)).any():
        raise CheckFailed(f"'alert' must be score >= the threshold in your metrics ({threshold})")
    arrived = flights["arr_delay"].notna().to_numpy()
    late = (flights["arr_delay"] > box.notes["params"]["features.late_minutes"]).to_numpy()
    auc = roc_auc(late[arrived], score[arrived])
    if auc < 0.55:
        raise CheckFailed(f"the batch scores rank late flights no better than chance (ROC AUC "
                          f"{auc:.3f}): are the rows scored in their input order?")  # fmt: skip
    box.notes["batch"] = score
    month = int(flights["month"].iloc[0])
    return f"{len(scored)} flights of month {month} scored, ROC AUC {auc:.3f}"


def same_interface(box: Sandbox) -> str:
    rows = box.rng.sample(range(len(incoming(box))), 5)
    missing = box.rng.choice(REQUIRED)
    online = box.python_json(ONLINE, str(box.root.parent / "incoming.parquet"),
                             ",".join(map(str, rows)), missing)  # fmt: skip
    batch = box.notes["batch"][rows]
    if not np.allclose(online["scores"], batch, atol=1e-9):
        raise CheckFailed(f"one flight at a time, load_predictor().predict gives "
                          f"{np.round(online['scores'], 4).tolist()}; the batch job gave "
                          f"{np.round(batch, 4).tolist()} for the same flights")  # fmt: skip
    box.notes["missing"], box.notes["error"] = missing, online["error"]
    return "single flights score the same online as in the batch"


def bad_input(box: Sandbox) -> str:
    missing, error = box.notes["missing"], box.notes["error"]
    if error is None or missing not in error:
        raise CheckFailed(f"predict() on flights without the column {missing!r} should raise an "
                          f"error naming it; got: {error or 'no error'}")  # fmt: skip
    return f"a request without {missing!r} is refused: {error[:80]}"


LAB = Lab(
    number=6,
    title="batch scoring with the online predictor's interface",
    blocked=BLOCKED,
    steps=(
        Step(
            "batch command",
            batch_scores,
            "write myflights/batch.py: read --input (schedule columns only), score every row "
            "with load_predictor().predict, write --output with 'score' and 'alert'",
        ),
        Step(
            "same interface",
            same_interface,
            "batch and online must call the same predict(); the features must come from the "
            "flight's own row (no statistics of the batch)",
        ),
        Step(
            "bad input",
            bad_input,
            "check the schedule columns in predict() and raise ValueError naming the missing ones",
        ),
    ),
)
