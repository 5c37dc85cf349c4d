"""Mutation score of the code that makes decisions: do the fast tests fail when it is wrong?

Run with ``make mutate``. mutmut (configured in ``[tool.mutmut]`` of pyproject.toml) copies
the packages into ``mutants/`` and injects one small bug at a time (``>`` for ``>=``, a
constant nudged, a string emptied, an argument dropped); each mutant runs against the fast
tests that cover its function. A mutant the tests catch is *killed*; one they miss
*survived*. Every survivor must be explained in ``SURVIVORS`` below (an equivalent mutant,
one that cannot change behaviour, is a fine reason), or the run fails.

The targets are the functions where a small bug changes a decision: the label rule, the
data contract, cost and threshold, drift statistics and rules, the register gates, the
predictor and the prediction-log writer. Code that only the slow tier reaches (MLflow
loading, the register stage's I/O) is left out and named in ``LEFT_OUT``.

The machine is shared, so the modules run one after another, each in one worker with a
time bound (``--max-children 1``, ``LIMIT_SECONDS``). Results: benchmarks/results/mutation.*
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import save_results
from labs_common import paths

RESULTS = paths.ROOT / "benchmarks" / "results"
MUTANTS = paths.ROOT / "mutants"
LIMIT_SECONDS = 3600
GOAL = 0.90

#: module -> mutant-name patterns (mutmut names ``pkg.mod.x_func__mutmut_N`` and, for a
#: method, ``pkg.mod.xǁClassǁmethod__mutmut_N``).
TARGETS: dict[str, list[str]] = {
    "labs_common.label": ["*"],
    "module04_ml_fundamentals.features": ["x_add_label__mutmut_*"],
    "module01_intro.contract": ["*"],
    "module05_business.cost": ["*"],
    "module05_business.threshold": ["*"],
    "module05_business.slices": [
        "x_max_slice_gap__*",
        "x_slice_report__*",
        "x_metrics_for_group__*",
        "x_slice_metrics__*",
    ],
    "module09_monitoring.drift": ["*"],
    "module09_monitoring.rules": ["*"],
    "module09_monitoring.monitor": ["x_drift_stats__*", "x_label_stats__*"],
    "module08_deployment.register": ["x_decide__*"],
    "module06_lifecycle.predictor": [
        "xǁPredictorǁ*",
        "xǁModelInfoǁ*",
        "x__tag_threshold__*",
        "x__report_threshold__*",
    ],
    "module08_deployment.service.log_writer": ["*"],
}

LEFT_OUT = {
    "module04_ml_fundamentals.features": "only add_label, which applies the label rule of "
    "labs_common.label; the feature transformer has its own equality tests (frame path, "
    "small-input path, fast scorer)",
    "module05_business.slices": "rates_by_group and the plots' helpers: reported, not gated",
    "module09_monitoring.monitor": "monitor_month and the report writers need a fitted "
    "world (slow tier); drift_stats and label_stats are the decisions",
    "module08_deployment.register": "register/champion_auc_on/main call MLflow (slow tier)",
    "module06_lifecycle.predictor": "load_predictor/load_from_registry/load_from_dir "
    "load MLflow models (slow tier)",
}

#: Survivors kept on purpose, each with the reason no test should (or can) kill it.
_DTYPE = (
    "equivalent: the inputs are already numeric arrays, so np.asarray without dtype=float "
    "gives the same numbers (dtype=float only matters for strings, which no caller passes)"
)
SURVIVORS: dict[str, str] = {
    **{
        f"module01_intro.contract.x__summarise__mutmut_{n}": "equivalent: pandera gives the "
        "'check' column as Python strings already (object dtype), so skipping the astype(str) "
        "into it changes nothing"
        for n in (52, 53)
    },
    **{
        f"module01_intro.contract.x_check_table__mutmut_{n}": "equivalent: drop=False keeps "
        "the caller's old index as an extra column, which the contract (not strict about "
        "extra columns) ignores; the positions reported are the same"
        for n in (6, 7)
    },
    "module01_intro.contract.x_check_table__mutmut_16": "equivalent for the report: "
    "ignoring every warning instead of only pandera's SchemaWarning changes what reaches the "
    "console, not what is reported (warning rules are collected apart)",
    "module01_intro.contract.x__warning_failures__mutmut_25": "equivalent: an empty table "
    "of warnings is dropped before the report is assembled, whatever its columns",
    "module01_intro.contract.x__summarise__mutmut_95": "equivalent: groupby(sort=None) "
    "does not sort either (None is false), so the rules keep the schema's order",
    "labs_common.label.x_late_label__mutmut_15": "equivalent: astype(None) is astype(float64) "
    "in NumPy, the type the label already has",
    **{f"module05_business.cost.x_count_outcomes__mutmut_{n}": _DTYPE for n in (8, 10, 14, 16)},
    **{f"module05_business.cost.x_trivial_costs__mutmut_{n}": _DTYPE for n in (7, 9)},
    **{f"module05_business.threshold.x_grid_threshold__mutmut_{n}": _DTYPE for n in (3, 5)},
    **{f"module05_business.threshold.x_implied_source_prior__mutmut_{n}": _DTYPE for n in (4, 6)},
    **{f"module05_business.threshold.x__log_odds__mutmut_{n}": _DTYPE for n in (9, 11)},
    **{f"module05_business.threshold.x_estimate_prior_em__mutmut_{n}": _DTYPE for n in (5, 7)},
    **{f"module09_monitoring.monitor.x_label_stats__mutmut_{n}": _DTYPE for n in (38, 40, 42)},
    **{
        f"module05_business.cost.x_count_outcomes__mutmut_{n}": "equivalent: side='left' is "
        "np.searchsorted's default, so dropping the argument changes nothing"
        for n in (28, 38)
    },
    "module05_business.threshold.x_implied_source_prior__mutmut_1": "equivalent in practice: "
    "Newton's method converges in a handful of iterations, so a budget of 51 instead of 50 "
    "is never reached",
    "module05_business.threshold.x_implied_source_prior__mutmut_10": "equivalent: the "
    "log-likelihood is concave in the shift, so Newton's method reaches the same single root "
    "from a start of 1.0 as from 0.0",
    **{
        f"module05_business.threshold.x_implied_source_prior__mutmut_{n}": "equivalent in "
        "practice: a wrong positive denominator scales Newton's step but keeps its sign, so "
        "the iteration still converges to the same root within the 50 iterations (slower)"
        for n in (30, 31, 32)
    },
    "module05_business.threshold.x_implied_source_prior__mutmut_36": "equivalent: < or <= "
    "against a 1e-10 step tolerance differ only when the step is exactly 1e-10",
    "module05_business.threshold.x_estimate_prior_em__mutmut_2": "equivalent in practice: "
    "the default max_iter only matters when EM has not converged after 1,000 iterations",
    **{
        f"module05_business.threshold.x_estimate_prior_em__mutmut_{n}": "equivalent: the new "
        "guess is a mean of probabilities, never above 1, so raising the upper clamp above "
        "1 - 1e-6 can only matter for a mean within 1e-6 of 1"
        for n in (40, 41)
    },
    "module05_business.threshold.x_estimate_prior_em__mutmut_45": "equivalent: < or <= "
    "against the tolerance differ only when a step is exactly tol",
    "module05_business.slices.x_max_slice_gap__mutmut_17": "equivalent in practice: the "
    "rounding only removes float noise (1e-16); 12 or 13 digits differ far below any gap "
    "bound a person would set",
    **{
        f"module05_business.slices.x_slice_metrics__mutmut_{n}": "equivalent: the groups are "
        "keyed by a str column (astype(str)), not a categorical, so `observed` has no effect"
        for n in (6, 9, 12)
    },
    "module05_business.slices.x_slice_metrics__mutmut_10": "equivalent: sort=True is "
    "DataFrame.groupby's default",
    **{
        f"module08_deployment.service.log_writer.xǁPredictionLogWriterǁ__init____mutmut_{n}": (
            "equivalent for the service: a default it never uses (the app passes "
            "LABS_LOG_BATCH_ROWS and LABS_LOG_FLUSH_SECONDS)"
        )
        for n in (1, 2)
    },
    "module08_deployment.service.log_writer.xǁPredictionLogWriterǁ__init____mutmut_8": (
        "equivalent: the default callback's return value is never read"
    ),
    **{
        f"module08_deployment.service.log_writer.xǁPredictionLogWriterǁ{m}__mutmut_1": (
            "equivalent in practice: a 30 s or 31 s default timeout differ only for a store "
            "stuck longer than 30 s"
        )
        for m in ("start", "stop")
    },
    "module08_deployment.service.log_writer.xǁPredictionLogWriterǁ_write__mutmut_18": (
        "kept: the back-off grows from 0.2/0.4/0.6 s to 0.4/0.6/0.8 s; telling them apart "
        "needs a timing assertion tighter than a shared machine allows"
    ),
    **{
        f"module09_monitoring.drift.{f}": "equivalent on the course's categories: Evidently's "
        "numerical PSI of a string column gives the categorical value (0.8789 both ways on the "
        "docstring's 50/50 -> 90/10 example, and the same on every fast test)"
        for f in ("x_psi__mutmut_9", "x_drift_scores__mutmut_7")
    },
    "module09_monitoring.drift.x_psi__mutmut_7": "equivalent: float('NAN') is NaN too",
    "module09_monitoring.drift.x__finite__mutmut_2": "equivalent: infinities replaced by None "
    "are dropped by dropna() just like NaN",
    **{
        f"module09_monitoring.drift.x_drift_scores__mutmut_{n}": "equivalent: every PSI is a "
        "float, so the Series is float with or without dtype=float"
        for n in (2, 4)
    },
    "module09_monitoring.drift.x_drift_table__mutmut_19": "equivalent: the DataFrame built "
    "from these Series aligns them on the feature index, reindexed or not",
    **{
        f"module09_monitoring.drift.x_drift_table__mutmut_{n}": "equivalent: the limits are "
        "floats, or missing and filled with 0.05; the comparison is the same"
        for n in (52, 54)
    },
    "module09_monitoring.drift.x_calibrate_limits__mutmut_17": "equivalent in practice: "
    "rounding a limit to 6 or 7 decimals changes it by less than 1e-6 of a PSI",
    "module09_monitoring.drift.x_missing_shares__mutmut_6": "equivalent: the mean of a boolean "
    "frame is already float; astype(None) keeps it",
    "module09_monitoring.drift.x_drift_table__mutmut_21": "equivalent: the thresholds are "
    "floats already",
    "module09_monitoring.drift.x_drift_table__mutmut_23": "equivalent: the thresholds are "
    "floats already",
    "module09_monitoring.monitor.x_label_stats__mutmut_3": "equivalent: labelled_part(None) "
    "marks no row as labelled, exactly like the zeros it replaces",
    **{
        f"module09_monitoring.monitor.x_label_stats__mutmut_{n}": "equivalent: a mask of zeros "
        "counts no labelled row whatever its dtype; it is only summed"
        for n in (7, 9)
    },
    "module08_deployment.service.log_writer.xǁPredictionLogWriterǁ_run__mutmut_2": "equivalent: "
    "`while not stopping` treats None like False",
    "module09_monitoring.monitor.x_drift_stats__mutmut_10": "equivalent: psi() only tests "
    "`categorical` for truth, and None is false like False",
}

KILLED = {"killed", "caught by type check", "timeout", "segfault"}
#: A survivor nobody explained by hand is classified from its diff, and called what it is.
TEST_GAP = "test gap (not equivalent; no fast test checks it yet): "


#: Functions that only run while their module is imported (they build the pandera schemas).
#: mutmut 3 forks each test run from a process that has already imported the code, so a
#: mutant there is never active when anything calls it: no test can kill it.
IMPORT_TIME = ("module01_intro.contract.x__clock__", "module01_intro.contract.x__col__",
               "module01_intro.contract.x__warn__")  # fmt: skip
_IMPORT_TIME_REASON = (
    "out of mutmut's reach: the function runs only at import, building the contract's "
    "schemas, before mutmut activates a mutant (it forks its test runs from a process that "
    "already imported the module); the rules it builds are tested directly, each broken on "
    "purpose (module01_intro/tests/test_contract_rules.py)"
)


def reason_for(name: str, diff: str) -> str:
    """The hand-written reason for a survivor, else an honest label read from its diff."""
    if name in SURVIVORS:
        return SURVIVORS[name]
    if name.startswith(IMPORT_TIME):
        return _IMPORT_TIME_REASON
    changed = [ln for ln in diff.splitlines() if ln.startswith("+")]
    if any("log." in ln for ln in changed):
        return TEST_GAP + "the text or arguments of a log message"
    if any("rename_axis" in ln for ln in changed):
        return TEST_GAP + "the name of the table's index"
    if any("XX" in ln or ln[1:].strip().isupper() for ln in changed):
        return TEST_GAP + "the text of a key or message"
    return "UNEXPLAINED"


def _run_module(module: str, patterns: list[str], only: list[str] | None = None) -> float:
    """Run mutmut on ``module``'s mutants (or only the names in ``only``); return seconds."""
    names = only or [f"{module}.{p}" for p in patterns]
    start = time.perf_counter()
    subprocess.run(
        [
            "timeout",
            str(LIMIT_SECONDS),
            sys.executable,
            "-m",
            "mutmut",
            "run",
            "--max-children",
            "1",
            *names,
        ],
        cwd=paths.ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        env=os.environ | {"CI": "1"},
    )
    return round(time.perf_counter() - start, 1)


def _meta(module: str) -> Path:
    return MUTANTS / (module.replace(".", "/") + ".py.meta")


def _statuses(module: str, patterns: list[str]) -> dict[str, str]:
    """Each selected mutant's status, read from mutmut's ``.meta`` file of the module."""
    from fnmatch import fnmatch

    from mutmut.stats import status_by_exit_code

    meta = _meta(module)
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {
        name: status_by_exit_code[code]
        for name, code in sorted(codes.items())
        if any(fnmatch(name, f"{module}.{p}") for p in patterns)
    }


def _diff(name: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [
        ln for ln in out.stdout.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]
    return "\n".join(lines)


def summarise(statuses: dict[str, dict[str, str]], seconds: dict[str, float]) -> dict:
    """Counts per module and overall, and every survivor with its reason.

    Mutants a time-bounded run did not reach ("not checked") are counted apart in
    ``not_run`` and left out of the score, which is killed / (killed + survived).
    """
    modules, survivors = {}, []
    for module, by_name in statuses.items():
        checked = {n: s for n, s in by_name.items() if s != "not checked"}
        counts = {s: sum(1 for v in by_name.values() if v == s) for s in set(by_name.values())}
        killed = sum(1 for s in checked.values() if s in KILLED)
        alive = [n for n, s in checked.items() if s not in KILLED]
        modules[module] = {
            "mutants": len(checked),
            "killed": killed,
            "survived": len(alive),
            "not_run": len(by_name) - len(checked),
            "score": round(killed / len(checked), 4) if checked else None,
            "statuses": counts,
            "seconds": seconds.get(module),
        }
        for name in alive:
            diff = _diff(name)
            survivors.append(
                {
                    "mutant": name,
                    "status": checked[name],
                    "diff": diff,
                    "reason": reason_for(name, diff),
                }
            )
    return _with_totals(modules, survivors, seconds)


def _with_totals(modules: dict, survivors: list[dict], seconds: dict[str, float]) -> dict:
    total = sum(m["mutants"] for m in modules.values())
    killed = sum(m["killed"] for m in modules.values())
    return {
        "tool": "mutmut " + _version(),
        "test_command": "the fast tests of [tool.mutmut] pytest_add_cli_args_test_selection "
        "(-m 'not slow'), only those covering each mutant's function, stopping at the first "
        "failure (-x)",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other work "
        "(times are under load)",
        "modules": modules,
        "left_out": LEFT_OUT,
        "mutants": total,
        "killed": killed,
        "survived": total - killed,
        "not_run": sum(m["not_run"] for m in modules.values()),
        "score": round(killed / total, 4) if total else None,
        "goal": GOAL,
        "goal_met": bool(total) and killed / total >= GOAL,
        "test_gaps": sum(1 for s in survivors if s["reason"].startswith(TEST_GAP)),
        "seconds": round(sum(v for v in seconds.values() if v), 1),
        "survivors": survivors,
    }


def _version() -> str:
    from importlib.metadata import version

    return version("mutmut")


def markdown(result: dict) -> str:
    rows = "\n".join(
        f"| `{m}` | {r['mutants']} | {r['killed']} | {r['survived']} | {r['not_run']} | "
        f"{'-' if r['score'] is None else format(r['score'], '.1%')} | "
        f"{r['seconds'] if r['seconds'] is not None else '-'} |"
        for m, r in result["modules"].items()
    )
    survivors = "\n".join(
        f"- `{s['mutant']}` ({s['status']}): {s['reason']}" for s in result["survivors"]
    )
    left_out = "\n".join(f"- `{m}`: {why}" for m, why in result["left_out"].items())
    return (
        f"# Mutation score ({result['tool']})\n\n"
        f"{result['killed']} of {result['mutants']} mutants killed: **{result['score']:.1%}** "
        f"(goal {result['goal']:.0%}: {'met' if result['goal_met'] else 'NOT met'}); "
        f"{result['test_gaps']} survivors are test gaps; "
        f"{result['not_run']} not reached in the time bound. "
        f"{result['seconds']} s of mutation runs, one module at a time, one worker, on "
        f"{result['machine']}.\n\n"
        "| module | mutants run | killed | survived | not run | score | seconds |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n"
        f"{rows}\n\n## Survivors and why they are kept\n\n{survivors or 'None.'}\n\n"
        f"## Not mutated (only the slow tier reaches it)\n\n{left_out}\n"
    )


def main(
    modules: list[str] | None = None, survivors_only: bool = False, report_only: bool = False
) -> dict:
    """Run the chosen modules (all by default), then report on every target module.

    ``survivors_only`` re-runs only the mutants that survived the last run (after adding
    tests to kill them); the other results and the full runs' timings are kept.
    ``report_only`` runs nothing and writes the results of the runs already made.
    """
    seconds: dict[str, float] = {}
    previous = RESULTS / "mutation.json"
    if previous.exists():  # keep the timings of modules not re-run this time
        old = json.loads(previous.read_text())["modules"]
        seconds = {m: r.get("seconds") for m, r in old.items()}
    if report_only:  # write the results of the runs already made (mutants/*.meta)
        pass
    elif survivors_only:  # one mutmut run for all of them: its start-up costs minutes
        alive = [
            name
            for module in modules or TARGETS
            for name, status in _statuses(module, TARGETS[module]).items()
            if status not in KILLED
        ]
        if alive:
            _run_module("survivors", [], only=alive)
    else:
        for module in modules or TARGETS:
            seconds[module] = _run_module(module, TARGETS[module])
    # A module mutmut never ran in this checkout (no .meta) keeps its last results, so one
    # module can be run alone (``python -m benchmarks.mutation module01_intro.contract``).
    # (mutmut writes a .meta for every file it mutates; a module counts as run when at
    # least one of its mutants was checked.)
    found = {m: _statuses(m, p) for m, p in TARGETS.items() if _meta(m).exists()}
    ran = {m: s for m, s in found.items() if any(v != "not checked" for v in s.values())}
    result = summarise(ran, seconds)
    if previous.exists() and len(ran) < len(TARGETS):
        old = json.loads(previous.read_text())
        kept = [m for m in TARGETS if m not in ran and m in old["modules"]]
        modules = {m: result["modules"].get(m) or old["modules"][m] for m in TARGETS
                   if m in ran or m in kept}  # fmt: skip
        survivors = result["survivors"] + [
            s for s in old["survivors"] if s["mutant"].rsplit(".", 1)[0] in kept
        ]
        result = _with_totals(modules, survivors, seconds)
    save_results(result, markdown(result), RESULTS / "mutation")
    unexplained = [s["mutant"] for s in result["survivors"] if s["reason"] == "UNEXPLAINED"]
    if unexplained:
        raise SystemExit(f"{len(unexplained)} survivor(s) without a reason: {unexplained}")
    return result


if __name__ == "__main__":
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith("--")] or None
    main(names, "--survivors" in args, "--report" in args)
