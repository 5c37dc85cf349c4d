"""Every command the README and the guides show works as written, in a plain shell.

Why it matters: a new student types what the page says, in a terminal where nothing was
activated. A command that needs an activated ``.venv``, a leftover file or a free port
5000 fails for them, and a DVC command that fails half-way can delete outputs or rewrite
``params.yaml``. So this test reads every command out of the pages (shell blocks and
inline code that starts like a command), insists that each one is classified in
:data:`COMMANDS` (walked, or skipped for a stated reason: a new command in a guide fails
the fast test until someone decides), then walks them in order, under ``env -i`` with
only HOME, PATH (without ``.venv/bin``) and LANG, in a fresh copy of the repository,
checking each one's exit code and that ``git status`` shows only what the command is
meant to change. Where the real command would take minutes (a full retrain, the
monitoring replay), the walk types a cheap command of the same shape, and says why.
The walk took 300 s for 44 commands on the 2-core machine with other jobs running (the MLflow
and Prefect servers are most of it); it needs `dvc repro register` to have run here.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from labs_common import paths
from tests.guide_sandbox import dirty_files, make_clone, make_home, plain_env, run

ROOT = paths.ROOT
GUIDES = [
    ROOT / "README.md",
    *(ROOT / "docs" / f"{n}.md" for n in ("student", "instructor", "troubleshooting")),
]
FENCE = re.compile(r"^[ \t]*```(\w*)\n(.*?)^[ \t]*```", re.M | re.S)
SPAN = re.compile(r"`([^`]+)`")
#: Inline code that starts like this is a command a reader may type; other code is a name.
COMMAND_START = re.compile(
    r"^(\.venv/bin/|\.ci/|make |git |rm |du |ss |kill |sudo |brew |pyenv |wsl |"
    r"xcode-select |conda |export |for |[A-Z_]+=\S+ )"
)
#: Programs that exist only in .venv/bin: typed bare, a plain shell answers "not found".
VENV_ONLY = re.compile(r"^(labs|mlflow|prefect|jupyter|pytest|ruff|uvicorn) ")


def shell_blocks(text: str) -> Iterator[str]:
    """Each command line of the ``bash``/``sh`` blocks (comments dropped, ``\\`` joined)."""
    for lang, body in FENCE.findall(text):
        if lang in ("bash", "sh", "console"):
            for line in body.replace("\\\n", " ").splitlines():
                line = re.sub(r"\s+#\s.*$", "", line).strip()
                if line and not line.startswith("#"):
                    yield " ".join(line.split())


def inline_spans(text: str) -> Iterator[str]:
    """Inline code outside blocks and headings, whitespace collapsed, table escapes undone."""
    prose = re.sub(r"^#+ .*$", "", FENCE.sub("", text), flags=re.M)
    for span in SPAN.findall(prose):
        yield " ".join(span.replace("\\|", "|").split())


def extract_commands(text: str) -> list[str]:
    """The commands a page shows, in order, each once."""
    found = [*shell_blocks(text), *(s for s in inline_spans(text) if COMMAND_START.match(s))]
    return list(dict.fromkeys(found))


def footer_commands() -> list[str]:
    """The commands of ``labs demo``'s closing "Where to look" footer."""
    from capstone.summary import WHERE_TO_LOOK

    found = re.findall(r"(\.venv/bin/\S+(?: \S+)*|make \w+)", WHERE_TO_LOOK)
    return [c.split("  ")[0].split(" (")[0].strip() for c in found]


@dataclass(frozen=True)
class Walk:
    """Type this command in the copy and check it.

    ``run`` is what is really typed when it differs from the page (``{port}`` is a free
    port), with ``why`` saying why it has the same shape. ``codes`` are the exit codes the
    page promises; ``expect`` must be in the output and nothing of ``absent`` may be.
    ``leaves`` are the tracked files the command is meant to change (a
    later command puts them back). ``server``: the command is a server; the walk waits
    until this path answers on ``{port}``, runs ``then`` against it, and stops it.
    """

    run: str | None = None
    why: str = ""
    stdin: str = ""
    codes: tuple[int, ...] = (0,)
    expect: str = ""
    absent: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    server: str | None = None
    then: str | None = None


@dataclass(frozen=True)
class Skip:
    """Not typed by the test, for the reason given."""

    why: str


@dataclass(frozen=True)
class Inside:
    """Typed as part of the walk of another command (a server's client, say)."""

    parent: str


NAME = Skip("a program's name in the prose, not a command")
INSTALLER = Skip("installs system software or changes the machine's settings")
PLACEHOLDER = Skip("a placeholder the reader fills in (a path, a pid, a repository)")
SERVE = Walk(run="PORT={port} make serve", server="/ready", why="a free port, not 8000")
MLFLOW = Walk(run=".venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db "
              "--port {port}", server="/health", why="a free port",
              then="curl -sf 'http://127.0.0.1:{port}/ajax-api/2.0/mlflow/experiments/"
                   "search?max_results=50'")  # fmt: skip
EXPERIMENT = ".venv/bin/dvc exp run evaluate -S cost.false_alert=2"
BACK = "git checkout -- params.yaml dvc.lock && .venv/bin/dvc checkout evaluate"
STEP_DEMO = "\n\nq\n"  # Enter (pipeline), Enter (serving), q before the monitoring replay

#: Every command the pages show, in the order the walk types them.
COMMANDS: dict[str, Walk | Skip | Inside] = {
    "make setup": Walk(why="the copy's .venv is fresh, so setup has nothing to do"),
    "make help": Walk(expect="make reset"),
    ".venv/bin/labs doctor": Walk(expect="ready"),
    ".venv/bin/dvc repro": Walk(
        run=".venv/bin/dvc repro -f -s split && .venv/bin/dvc status --with-deps register",
        why="re-runs one real stage (`python -m ...` in a plain shell) without the "
        "minutes of a full retrain and replay", expect="up to date"),
    "make pipeline": Skip("its recipe is `.venv/bin/dvc repro`, walked above; as typed it "
                          "would run the monitoring replay (minutes)"),
    ".venv/bin/dvc status": Walk(),
    ".venv/bin/dvc dag": Walk(expect="register"),
    ".venv/bin/dvc metrics diff --all --no-path --targets reports/metrics.json": Walk(
        expect="test_roc_auc"),
    ".venv/bin/dvc params diff": Walk(),
    ".venv/bin/dvc plots show": Walk(expect="dvc_plots/index.html"),
    ".venv/bin/labs model": Walk(expect="champion"),
    ".venv/bin/labs validate some.csv": Walk(
        run=".venv/bin/python -c \"import pandas as p; p.read_parquet('data/raw/flights."
            "parquet').head(300).to_csv('some.csv', index=False)\" && "
            ".venv/bin/labs validate some.csv; code=$?; rm -f some.csv; exit $code",
        why="some.csv made from 300 real flights first", expect="meet the contract"),
    ".venv/bin/labs check 1": Walk(codes=(1,), expect="exercises pass",
                                   why="exit 1 until every exercise passes, as documented"),
    ".venv/bin/labs check 4": Walk(codes=(1,), expect="exercises pass"),
    ".venv/bin/labs check NN": PLACEHOLDER,
    ".venv/bin/labs check 4 --solutions": Walk(expect="exercises pass"),
    ".venv/bin/pytest module04_ml_fundamentals": Walk(
        run=".venv/bin/pytest -q -p no:cacheprovider module06_lifecycle/tests/test_schemas.py",
        why="one test file of a package: the same pytest, rootdir and configuration"),
    "make format": Walk(why="the copy is formatted: ruff must change nothing"),
    ".venv/bin/dvc exp run evaluate -S train.model=logreg": Walk(
        run=EXPERIMENT, leaves=("params.yaml", "dvc.lock"),
        why="a parameter of `evaluate` instead of `train`: seconds, not a retrain"),
    ".venv/bin/dvc exp show --drop '.*' --keep 'Experiment|train.model|test_roc_auc$|"
    "test_pr_auc$'": Walk(expect="test_roc_auc", leaves=("params.yaml", "dvc.lock")),
    "git checkout -- params.yaml dvc.lock && .venv/bin/dvc checkout": Walk(
        run=f"{BACK} && .venv/bin/dvc status --with-deps register",
        expect="up to date",
        why="the copy never ran the monitoring replay, so there is no replay output for a "
        "plain `dvc checkout` to restore (it would exit 1 and say so)"),
    ".venv/bin/dvc checkout": Walk(run=".venv/bin/dvc checkout evaluate", why="the copy "
                                   "has no monitoring replay for a plain checkout to restore"),
    ".venv/bin/dvc exp apply <name>": Walk(
        run='err=$(mktemp); .venv/bin/dvc exp apply "$(.venv/bin/dvc exp list --name-only '
            '| tail -1)" 2>"$err" || grep -qx reports/monitor.json "$err"; ok=$?; rm "$err"; '
            f"[ $ok = 0 ] && grep -q 'false_alert: 2' params.yaml && {BACK}",
        why="the experiment's name from `dvc exp list`, then back again; in the copy, "
        "which never ran the replay, apply ends by saying it cannot restore the replay's "
        "output (reports/monitor.json): that one failure is accepted"),
    "make demo": Walk(run="make demo DEMO_ARGS=--step", stdin=STEP_DEMO,
                      expect="Where to look",
                      why="pipeline and service check, stopped before the minutes-long "
                      "monitoring replay"),
    ".venv/bin/labs demo --step": Walk(stdin="q\n", expect="stopped before this step"),
    "make notebooks": Walk(server="/api", why="Jupyter chooses a free port and prints it"),
    "make serve": SERVE,
    "PORT=8001 make serve": SERVE,
    ".venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db": MLFLOW,
    ".venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db --port 5000": MLFLOW,
    ".venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db --port 5001": MLFLOW,
    ".venv/bin/prefect server start --host 127.0.0.1": Walk(
        run=".venv/bin/prefect server start --host 127.0.0.1 --port {port}",
        server="/api/health", why="a free port, not 4200",
        then="PREFECT_API_URL=http://127.0.0.1:{port}/api .venv/bin/python -m "
             "capstone.flows batch-score --months 11"),
    "PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/python -m capstone.flows "
    "batch-score --months 11": Inside(".venv/bin/prefect server start --host 127.0.0.1"),
    ".venv/bin/dvc remote add -d s3 s3://my-bucket/flights": Walk(leaves=(".dvc/config",)),
    ".venv/bin/dvc remote modify s3 endpointurl http://127.0.0.1:9000": Walk(
        leaves=(".dvc/config",)),
    ".venv/bin/dvc remote modify --local s3 access_key_id ...": Walk(leaves=(".dvc/config",)),
    ".venv/bin/dvc remote modify --local s3 secret_access_key ...": Walk(
        run=".venv/bin/dvc remote modify --local s3 secret_access_key ... && "
            "git checkout -- .dvc/config && rm .dvc/config.local",
        why="then the test puts the course's remote back"),
    'for d in .venv data .dvc/cache .mlflow "$(.venv/bin/uv cache dir)"; do du -sh "$d"; '
    "done": Walk(),
    ".venv/bin/dvc gc --workspace": Walk(stdin="y\n", why="answers DVC's question with y"),
    'git config --global user.name "Your Name"': Walk(why="HOME is the test's own"),
    "git config --global user.email you@example.org": Walk(why="HOME is the test's own"),
    ".venv/bin/labs monitor --table": Walk(
        codes=(0, 1), expect="monitor", why="exit 1 with its fix (`dvc repro monitor`) when "
        "the copy has no replay to show"),
    # The instructor's demo: a parameter only `register` reads re-runs only `register` (and
    # the walk checks that exp show finds the experiment's metrics in the DVC cache).
    ".venv/bin/dvc exp run register -S register.tolerance=0.003": Walk(
        expect="Running stage 'register'", absent=("Running stage 'train'",),
        leaves=("params.yaml", "dvc.lock")),
    ".venv/bin/dvc exp show --drop '.*' --keep 'Experiment|register.tolerance|"
    "test_roc_auc$'": Walk(expect="0.003", leaves=("params.yaml", "dvc.lock")),
    "make reset": Walk(why="after the class experiment above; then the copy is checked"),
    "make clean": Walk(),
    "git status": Walk(),
    # Not typed by the walk.
    "LABS_CHECK_SEED=<seed> .venv/bin/labs check 4": PLACEHOLDER,
    ".venv/bin/labs check 4 > out.txt": Skip(
        "the same check redirected; tests/test_exercises.py checks the table goes to stdout"
    ),
    ".venv/bin/labs project new ~/my-flights": Skip(
        "creates a project outside the course; capstone/tests/test_project.py runs it"
    ),
    ".venv/bin/labs check N --project ~/my-flights": PLACEHOLDER,
    ".venv/bin/labs project solve DIR --upto N": PLACEHOLDER,
    ".venv/bin/labs grade ~/my-flights": Skip(
        "grades a project outside the course (minutes); capstone/tests/test_project.py "
        "grades the template and the solved project"),
    ".venv/bin/labs grade DIR": PLACEHOLDER,
    "LABS_CHECK_SEED=<seed> .venv/bin/labs grade DIR": PLACEHOLDER,
    'mkdir -p grades && for dir in ~/grading/*/; do .venv/bin/labs grade "$dir" --json '
    '"grades/$(basename "$dir").json" > "grades/$(basename "$dir").txt"; done': Skip(
        "grades a class's clones (minutes each); capstone/tests/test_project.py runs the "
        "same command's parts on the template and the solved project"),
    "git add": NAME,
    "make test": Skip("the whole suite, which contains this test; CI runs it (.ci/run)"),
    "make test-fast": Skip("the fast suite (minutes); CI runs every one of its tests"),
    "make bench": Skip("benchmarks take many minutes; their results are checked by tests"),
    "make bench-grading": Skip("solves and grades a project (minutes); its results are "
                               "checked by tests/test_figures.py"),
    "make lock": Skip("needs the package index (network)"),
    ".ci/run": Skip("runs `make test` and the image build: CI's own entry point"),
    ".ci/check-python": NAME,
    ".venv/bin/uv cache clean": Skip("empties the machine's shared download cache"),
    ".venv/bin/uv pip install --python .venv/bin/python dvc-s3": Skip(
        "needs the package index and changes the shared .venv"),
    "rm -rf .venv && make setup": Skip("rebuilds .venv from the index (network, minutes)"),
    "git clone <this repository> && cd <it>": Skip(
        "the walk starts from such a copy (tests/guide_sandbox.py)"),
    "make test PYTHON=/path/to/python3.11": PLACEHOLDER,
    "make setup PYTHON=/path/to/python3.11": PLACEHOLDER,
    "kill <pid>": PLACEHOLDER,
    "ss -ltnp | grep ':8000'": Skip("a diagnostic: exits 1 when the port is free"),
    "conda env create -f environment.yml && conda activate mlops-flights": Skip(
        "conda is not part of the course's test environment (tests/test_environment.py "
        "checks environment.yml against the lock)"),
    "make ...": NAME,
    ".venv/bin/python: No such file or directory": Skip("an error message, quoted"),
    "du -sh .venv ~/.cache/uv": Skip("quoted as the recipe that misleads (hard links)"),
    "git pull": Skip("the copy has no upstream to pull from"),
    ".venv/bin/dvc": NAME,
    ".venv/bin/labs": NAME,
    "du -sh": NAME,
    "wsl --install": INSTALLER,
    "brew install python@3.11": INSTALLER,
    "xcode-select --install": INSTALLER,
    "brew install podman && podman machine init && podman machine start": INSTALLER,
    "sudo apt install python3.11 python3.11-venv": INSTALLER,
    "sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt install python3.11 "
    "python3.11-venv": INSTALLER,
    "pyenv install 3.11": INSTALLER,
    "pyenv local $(pyenv latest 3.11)": INSTALLER,
    "sudo cp corp-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates": (
        INSTALLER),
    "export SSL_CERT_FILE=/path/to/corp-bundle.pem": PLACEHOLDER,
    "export PIP_CERT=/path/to/corp-bundle.pem": PLACEHOLDER,
    "conda config --set ssl_verify /path/to/corp-bundle.pem": INSTALLER,
    "wsl --install -d Ubuntu": INSTALLER,
    "sudo apt install make git python3.11 python3.11-venv": INSTALLER,
}  # fmt: skip


def guide_commands() -> dict[str, list[str]]:
    """Command -> the pages that show it (the footer of ``labs demo`` counts as a page)."""
    where: dict[str, list[str]] = {}
    pages = {p.name: extract_commands(p.read_text()) for p in GUIDES}
    pages["labs demo footer"] = footer_commands()
    for page, commands in pages.items():
        for command in commands:
            where.setdefault(command, []).append(page)
    return where


# ---------------------------------------------------------------------------- fast checks


def test_extract_commands_reads_blocks_tables_and_prose() -> None:
    page = (
        "Run `make demo`, then `.venv/bin/dvc exp show --keep 'a\\|b'`; see `params.yaml`.\n"
        "```bash\n.venv/bin/labs check 1   # a comment\nmake a \\\n  b\n```\n"
        "```\ningest -> train\n```\n"
    )
    assert extract_commands(page) == [
        ".venv/bin/labs check 1", "make a b", "make demo", ".venv/bin/dvc exp show --keep 'a|b'",
    ]  # fmt: skip


def test_every_command_in_the_guides_is_classified() -> None:
    shown = guide_commands()
    new = {c: pages for c, pages in shown.items() if c not in COMMANDS}
    assert not new, f"classify these in tests/test_guides.py COMMANDS (walk or skip): {new}"
    stale = sorted(set(COMMANDS) - set(shown))
    assert not stale, f"COMMANDS lists commands no page shows any more: {stale}"


@pytest.mark.parametrize("page", GUIDES, ids=lambda p: p.name)
def test_no_page_shows_a_course_program_without_its_path(page: Path) -> None:
    bare = sorted({s for s in inline_spans(page.read_text()) if VENV_ONLY.match(s)}
                  | {c for c in shell_blocks(page.read_text()) if VENV_ONLY.match(c)})  # fmt: skip
    assert not bare, f"{page.name}: in a plain shell these are 'command not found': {bare}"


def test_the_demo_footer_fits_80_columns() -> None:
    from capstone.summary import WHERE_TO_LOOK

    wide = [line for line in WHERE_TO_LOOK.replace("[bold]", "").replace("[/]", "").splitlines()
            if len(line) > 80]  # fmt: skip
    assert not wide, wide


def test_replay_table_has_one_row_per_month() -> None:
    from capstone.cli import replay_table

    entries = [{"period": "2013-09", "alerts": ["calibration"], "retrained": True,
                "promoted": False}, {"period": "2013-10", "alerts": []}]  # fmt: skip
    table = replay_table(entries)
    assert table.row_count == 2
    assert [c._cells for c in table.columns][1] == ["calibration", "-"]


def test_offline_plots_template_loads_nothing_from_the_network() -> None:
    template = (ROOT / ".dvc" / "plots_offline.html").read_text()
    assert "{plot_divs}" in template and "{scripts}" not in template
    assert not re.search(r"<script[^>]+src=", template), "scripts must be inline"
    assert "html_template = plots_offline.html" in (ROOT / ".dvc" / "config").read_text()


# ------------------------------------------------------------------------------- the walk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Clone:
    root: Path
    home: Path


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Clone:
    """A fresh copy with the pipeline's outputs up to ``register`` (skip if there are none)."""
    if not (ROOT / "models" / "model" / "MLmodel").exists():
        pytest.skip("no pipeline outputs to copy; run `.venv/bin/dvc repro register` first")
    base = tmp_path_factory.mktemp("guides")
    home = make_home(base / "home")
    root = make_clone(base / "repo")
    status = run(".venv/bin/dvc status --with-deps register", root, home)
    if "up to date" not in status.stdout:
        pytest.skip(f"the pipeline is not up to date here; run `dvc repro register`:\n"
                    f"{status.stdout[-800:]}")  # fmt: skip
    return Clone(root, home)


STRAYS = ("mlflow.db", "mlruns", "mlartifacts", "some.csv")


def start_server(command: str, clone: Clone, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(["bash", "-c", command], cwd=clone.root,
                                env=plain_env(clone.home), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited {proc.returncode}:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not answer in {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, as Ctrl-C would; then make sure none is left."""
    import os
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(30)
    time.sleep(2)  # workers (uvicorn, Jupyter kernels) leave after their parent
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def walk_server(command: str, step: Walk, clone: Clone, tmp_path: Path) -> str:
    """Start the server, wait for it, run the client step, stop it; return its log."""
    port = free_port()
    log = tmp_path / "server.log"
    proc = start_server((step.run or command).format(port=port), clone, log)
    try:
        if "{port}" not in (step.run or command):  # Jupyter picks its port and prints it
            deadline = time.monotonic() + 240
            while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text())):
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(1)
            port = int(found[1])
        base = f"http://127.0.0.1:{port}"
        wait_for(base + (step.server or "/"), proc, log)
        if "prefect" in command:  # the server's own settings: telemetry off
            settings = httpx.get(f"{base}/api/admin/settings", timeout=10).json()
            assert settings["server"]["analytics_enabled"] is False, settings["server"]
        if step.then:
            result = run(step.then.format(port=port), clone.root, clone.home, timeout=600)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            if "mlflow" in command:
                names = [e["name"] for e in json.loads(result.stdout)["experiments"]]
                assert "flight-delay" in names, f"the UI shows another store: {names}"
    finally:
        stop(proc)
    return log.read_text()


def walks() -> list[tuple[str, Walk]]:
    """The commands to type, once each: pages that show the same command with another port
    (``mlflow ui ... --port 5001``) are walked by one run of the same ``Walk``."""
    seen: set[str] = set()
    out = []
    for command, step in COMMANDS.items():
        if isinstance(step, Walk) and (step.run or command) not in seen:
            seen.add(step.run or command)
            out.append((command, step))
    return out


WALKED = walks()


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize(("command", "step"), WALKED, ids=[c[:60] for c, _ in WALKED])
def test_guide_command_works_as_written(
    command: str, step: Walk, clone: Clone, tmp_path: Path
) -> None:
    if step.server:
        output = walk_server(command, step, clone, tmp_path)
    else:
        result = run(step.run or command, clone.root, clone.home, stdin=step.stdin, timeout=900)
        output = result.stdout + result.stderr
        assert result.returncode in step.codes, f"exit {result.returncode}:\n{output[-4000:]}"
    assert step.expect in output, f"expected {step.expect!r} in:\n{output[-3000:]}"
    shown = [text for text in step.absent if text in output]
    assert not shown, f"{shown} should not be in:\n{output[-3000:]}"
    assert "Failed to send telemetry" not in output
    changed = {line[3:] for line in dirty_files(clone.root, clone.home)}
    assert changed <= set(step.leaves), f"{command!r} left changes behind: {sorted(changed)}"
    strays = [s for s in STRAYS if (clone.root / s).exists()]
    assert not strays, f"{command!r} left stray files: {strays}"
    if command.startswith(".venv/bin/dvc exp show") and "register.tolerance" in command:
        # `!` would mean DVC did not cache the experiment's metrics. (An older experiment may
        # show `!`: `dvc gc --workspace`, walked before, drops what the workspace does not use.)
        rows = [line for line in output.splitlines() if "[" in line and "0.003" in line]
        assert rows and "!" not in rows[0], f"the experiment's row:\n{output[-3000:]}"
    if command == ".venv/bin/dvc plots show":
        page = (clone.root / "dvc_plots" / "index.html").read_text()
        assert "vegaEmbed" in page and not re.search(r"<script[^>]+src=", page)
    if command == "make reset":
        assert_first_state(clone)


def assert_first_state(clone: Clone) -> None:
    """After ``make reset``: what git holds, no experiments, no outputs, no stores."""
    for rel in ("dvc_plots", "data/predictions", "data/raw", "models", "reports", ".mlflow",
                ".prefect"):  # fmt: skip
        assert not (clone.root / rel).exists(), f"make reset left {rel}"
    exps = run(".venv/bin/dvc exp list --all-commits --name-only", clone.root, clone.home)
    assert exps.returncode == 0 and not exps.stdout.strip(), exps.stdout
    assert (clone.root / ".venv" / "bin" / "python").exists(), "make reset must keep .venv"
    assert (clone.root / ".dvc" / "cache").is_dir(), "make reset must keep the DVC cache"
