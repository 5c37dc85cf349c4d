"""Delivery coverage: which CD stages a workflow really runs, read from the YAML."""

from __future__ import annotations

from pathlib import Path

from module09_monitoring import delivery

DELIVERY = """
name: deliver
on: {workflow_run: {workflows: [ci], types: [completed]}}
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t app:${{ github.sha }} .
      - run: trivy image app:${{ github.sha }}
      - uses: docker/build-push-action@0000000000000000000000000000000000000000 # v6
        with: {push: true}
  staging:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: kubectl apply -f deploy/k8s/
      - name: smoke
        run: curl --fail https://staging.example.org/health
"""


def test_delivery_coverage_finds_each_stage_a_workflow_runs(tmp_path: Path) -> None:
    path = tmp_path / "deliver.yml"
    path.write_text(DELIVERY)
    coverage = delivery.delivery_coverage([path])
    assert coverage["automated"].to_dict() == {
        "build": True, "scan": True, "push": True, "deploy to staging": True,
        "smoke test": True, "promote": False,
    }  # fmt: skip
    assert coverage.loc["smoke test", "found_in"] == ["deliver/staging: smoke"]
    assert delivery.first_gap(coverage) == "promote"


def test_delivery_coverage_of_this_repository_names_every_stage() -> None:
    coverage = delivery.delivery_coverage()
    assert list(coverage.index) == [s.name for s in delivery.CD_STAGES]
    assert coverage["in_this_course"].str.len().gt(0).all()
    gap = delivery.first_gap(coverage)
    assert gap is None or not coverage.loc[gap, "automated"]


def test_a_ci_only_workflow_delivers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ci.yml"
    path.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: make test\n")
    coverage = delivery.delivery_coverage([path])
    assert not coverage["automated"].any()
    assert delivery.first_gap(coverage) == "build"
