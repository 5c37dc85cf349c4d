"""Continuous delivery after continuous integration, read off this repository's workflows.

Lesson: module 09, notebook 04. CI answers "is this commit good?"; a *delivery* job
answers "is it running where users are?". After CI passes, a delivery pipeline builds the
artefact once, scans it, pushes it to a registry under an immutable name, deploys that
exact artefact to staging, smoke-tests it there, and promotes it (to production, or by
moving an alias), with a way back. :data:`CD_STAGES` names each stage, how to recognise it
in a workflow step, and where this course does it today. :func:`delivery_coverage` reads
``.github/workflows/*.yml`` as data and reports which stages a workflow really runs, so
the lesson stays true when the workflows change.

ML systems deliver two artefacts on two clocks: the service's *image* (on a code change)
and the *model* (on new data). The model's delivery is already automated here: register's
gates and the ``champion`` alias are its scan and its promotion, and the service loads
the alias, so a model reaches production without a new image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from module09_monitoring.workflows import WORKFLOWS, load_workflow


@dataclass(frozen=True)
class Stage:
    """One stage of a delivery pipeline and how to spot it in a workflow step."""

    name: str
    does: str
    pattern: str  #: a regular expression matched against a step's ``uses`` and ``run``
    in_this_course: str  #: where the course does this today, outside the workflows


CD_STAGES = (
    Stage("build", "build the image once, from the lock, tagged with the commit SHA",
          r"docker (buildx )?build|podman build|docker/build-push-action|image-test\.sh",
          "`make image-test` builds docker/Dockerfile (multi-stage, non-root)"),
    Stage("scan", "lint the Dockerfile, scan the image and dependencies for known CVEs",
          r"hadolint|trivy|grype|pip-audit|docker scout|zizmor",
          "hadolint and zizmor run in the tests (`make test`); no CVE scan"),
    Stage("push", "push the image to a registry under an immutable name (digest)",
          r"docker push|podman push|push: true|docker/login-action",
          "nowhere: no registry is reachable from the course's machines"),
    Stage("deploy to staging", "run that exact image in an environment like production",
          r"kubectl|helm |environment:\s*staging|aws ecs|gcloud run|az containerapp",
          "deploy/k8s and deploy/ecs are validated offline, never applied"),
    Stage("smoke test", "call the deployed service: /health, /ready, one real prediction",
          r"curl .*/(health|ready|predict)|image-test\.sh|smoke",
          "`make image-test`: /health, /ready and a prediction against the built image"),
    Stage("promote", "send production traffic to it (or move an alias), with a rollback",
          r"environment:\s*production|set_registered_model_alias|promote",
          "models only: the register stage moves @champion; images are not promoted"),
)  # fmt: skip


def _step_texts(workflow: dict) -> list[tuple[str, str, str]]:
    """(job, step name, searchable text) for every step, with the job's environment."""
    rows = []
    for job_id, job in workflow.get("jobs", {}).items():
        env = job.get("environment")
        env_text = f"environment: {env.get('name') if isinstance(env, dict) else env}"
        for step in job.get("steps", []):
            inputs = " ".join(f"{k}: {str(v).lower()}" for k, v in step.get("with", {}).items())
            text = " ".join(str(step.get(k, "")) for k in ("uses", "run", "name")) + " " + inputs
            rows.append((job_id, step.get("name", step.get("uses", "")), f"{env_text} {text}"))
    return rows


def delivery_coverage(paths: list[Path] | None = None) -> pd.DataFrame:
    """For each delivery stage, the workflow steps that do it (empty: no workflow does).

    Args:
        paths: workflow files (default: every ``.github/workflows/*.yml``).

    Returns:
        One row per stage of :data:`CD_STAGES`: what it does, ``found_in``
        (``workflow/job: step`` entries), ``automated`` and where the course does it.
    """
    files = sorted(paths) if paths is not None else sorted(WORKFLOWS.glob("*.yml"))
    steps = [(f.stem, *row) for f in files for row in _step_texts(load_workflow(f))]
    rows = []
    for stage in CD_STAGES:
        found = [f"{wf}/{job}: {name}" for wf, job, name, text in steps
                 if re.search(stage.pattern, text, flags=re.IGNORECASE)]  # fmt: skip
        rows.append({"stage": stage.name, "does": stage.does, "found_in": found,
                     "automated": bool(found), "in_this_course": stage.in_this_course})  # fmt: skip
    return pd.DataFrame(rows).set_index("stage")


def first_gap(coverage: pd.DataFrame) -> str | None:
    """The first stage, in delivery order, that no workflow automates (None: all do).

    Why it matters: a delivery pipeline is a chain; automating a later stage before an
    earlier one (deploying an image nobody scanned) is where incidents come from.
    """
    missing = coverage.index[~coverage["automated"]]
    return str(missing[0]) if len(missing) else None
