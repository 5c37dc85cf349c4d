"""The pipeline contract (labs_common.contract) agrees with its other written forms.

Why it matters: the contract names each artifact, tag and switch once in Python, but
dvc.yaml, the Makefile and the Docker files must say the same thing in their own
languages. These tests read those files and fail on the first disagreement: an output
dvc.yaml declares that no constant names, a tag someone reads that register never writes,
an offline switch the Makefile forgets.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from labs_common import contract, paths
from labs_common.tooling import OFFLINE_ENV
from tests.source_files import course_files

ROOT = paths.ROOT


def _dvc_outputs() -> set[str]:
    """Every path dvc.yaml declares as a stage's outs, metrics or plots."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    found = set()
    for stage in stages.values():
        for key in ("outs", "metrics", "plots"):
            for entry in stage.get(key, []):
                found.add(next(iter(entry)) if isinstance(entry, dict) else entry)
    return found


def _contract_files() -> dict[str, str]:
    """The contract's path constants under the repository, as repo-relative strings."""
    return {
        name: value.relative_to(paths.ROOT).as_posix()
        for name, value in vars(contract).items()
        if name.isupper() and isinstance(value, Path) and value.is_relative_to(paths.ROOT)
    }


def test_every_dvc_output_is_a_named_constant() -> None:
    named = set(_contract_files().values())
    missing = sorted(_dvc_outputs() - named)
    assert not missing, f"dvc.yaml outputs without a constant in labs_common/contract.py: {missing}"


def test_every_file_the_contract_names_is_a_dvc_output() -> None:
    # PLOTS is the folder of the four plot tables, each of which dvc.yaml declares; a file
    # inside a declared folder (the monitoring summary) is that output's part.
    outputs = _dvc_outputs() | {"reports/plots"}
    extra = {
        k: v
        for k, v in _contract_files().items()
        if not any(v == out or v.startswith(f"{out}/") for out in outputs)
    }
    assert not extra, f"contract paths that no stage declares in dvc.yaml: {extra}"


def _tag_keys_read() -> dict[str, list[str]]:
    """String keys read from a ``tags`` mapping (``tags.get("k")``, ``x.tags["k"]``) in code."""
    reads: dict[str, list[str]] = {}
    for path in course_files(skip=("tests/",)):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=rel)):
            target, key = None, None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "get" and node.args:
                    target, key = node.func.value, node.args[0]
            elif isinstance(node, ast.Subscript):
                target, key = node.value, node.slice
            name = getattr(target, "attr", getattr(target, "id", None))
            if name == "tags" and isinstance(key, ast.Constant) and isinstance(key.value, str):
                reads.setdefault(key.value, []).append(f"{rel}:{node.lineno}")
    return reads


def test_tags_read_are_tags_register_writes() -> None:
    from module08_deployment.register import HASH_TAG, TAG_KEYS

    written = {*TAG_KEYS, HASH_TAG}
    assert written == set(contract.REGISTRY_TAGS)
    reads = _tag_keys_read()
    assert reads, "the scan found no tag read at all: is it still looking at the right code?"
    unknown = {key: where for key, where in reads.items() if key not in written}
    assert not unknown, f"tags read that register never writes: {unknown}"


def test_every_tag_register_writes_is_read_somewhere() -> None:
    reads = set(_tag_keys_read())
    constants = {v: k for k, v in vars(contract).items() if k.endswith("_TAG")}
    code = "\n".join(
        p.read_text()
        for folder in ("module06_lifecycle", "module07_experiments", "module08_deployment")
        for p in (ROOT / folder).rglob("*.py")
        if "tests" not in p.parts and p.name != "register.py"
    )
    unread = [
        tag for tag in contract.REGISTRY_TAGS if tag not in reads and constants[tag] not in code
    ]
    assert not unread, f"register writes tags no one reads: {unread}"


def test_the_run_carries_the_lineage_tags_register_copies(tmp_path: Path) -> None:
    from module07_experiments.tracking import lineage_tags

    data = tmp_path / "train.parquet"
    data.write_bytes(b"rows")
    tags = lineage_tags({"train": data})
    assert {contract.TRAIN_MD5_TAG, contract.GIT_COMMIT_TAG} <= set(tags)


def _makefile_exports() -> dict[str, str]:
    text = (ROOT / "Makefile").read_text()
    return dict(re.findall(r"^export (\w+) := (.*)$", text, flags=re.M))


def test_the_makefile_exports_every_offline_switch_with_the_same_value() -> None:
    exports = _makefile_exports()
    differ = {k: (exports.get(k), v) for k, v in OFFLINE_ENV.items() if exports.get(k) != v}
    assert not differ, f"Makefile vs labs_common/tooling.py OFFLINE_ENV (make, python): {differ}"
    assert exports["PREFECT_HOME"] == "$(CURDIR)/.prefect"
    assert paths.PREFECT_HOME == paths.ROOT / ".prefect"


def _service_default_port() -> int:
    source = (ROOT / "module08_deployment" / "service" / "__main__.py").read_text()
    for node in ast.walk(ast.parse(source)):
        is_call = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument"
        if is_call and node.args and getattr(node.args[0], "value", None) == "--port":
            return next(k.value.value for k in node.keywords if k.arg == "default")
    raise AssertionError("module08_deployment/service/__main__.py has no --port argument")


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("Makefile", r"--port \$\$\{PORT:-(\d+)\}"),
        ("docker/Dockerfile", r"EXPOSE (\d+)"),
        ("docker/Dockerfile", r'"--port", "(\d+)"'),
        ("docker/compose.yaml", r'\$\{API_PORT:-\d+\}:(\d+)"'),
        ("docker/prometheus/prometheus.yml", r'"api:(\d+)"'),
    ],
)
def test_the_service_port_is_the_contract_port(path: str, pattern: str) -> None:
    found = re.findall(pattern, (ROOT / path).read_text())
    assert found, f"{path} no longer matches {pattern}: update this test with it"
    assert {int(p) for p in found} == {contract.SERVICE_PORT}
    assert _service_default_port() == contract.SERVICE_PORT


def test_score_columns_are_what_train_writes_and_evaluate_reads() -> None:
    from module05_business.evaluate import COLUMNS
    from module07_experiments.train import SCORE_COLUMNS

    assert tuple(SCORE_COLUMNS) == tuple(COLUMNS) == contract.SCORE_COLUMNS
