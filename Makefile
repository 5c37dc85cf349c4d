# The course's commands. `make demo` and `make test` set everything up first, so on a
# fresh clone each is one command. Run `make help` for the list.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
# Two workers: notebooks wait on their kernels, so two share two cores well.
PYTEST_ARGS ?= -n 2 --dist loadfile
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# uv's version comes from the lock, so the lock stays the one place for every pin.
UV_VERSION := $(shell sed -n 's/^uv==\([0-9.]*\).*/\1/p' $(LOCK) 2>/dev/null)

# Offline and quiet: no telemetry, no update checks, local stores inside the repo. The same
# switches as labs_common/tooling.py OFFLINE_ENV (tests/test_contract.py keeps them equal).
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
export DVC_NO_ANALYTICS := 1
export DVC_STUDIO_OFFLINE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export EVIDENTLY_DISABLE_TELEMETRY := 1
export MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR := false
export MLFLOW_WORKERS := 1
export PREFECT_LOGGING_LEVEL := WARNING
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export PREFECT_HOME := $(CURDIR)/.prefect
# Use the system's CA certificates (corporate proxies); uv's own store would refuse them.
export UV_SYSTEM_CERTS := 1
# DVC stages call `python -m ...`: make it the course's Python.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Keep __pycache__ out of the course folders; the installed packages get their bytecode at
# setup (--compile-bytecode), or every stage, test and kernel would recompile MLflow,
# scikit-learn and pandas from source: 2-3 s per process, measured.
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup pipeline monitor serve schedule prefect-server evidently-ui stack-up stack-down image-test bench-serving bench-grading demo test test-fast mutate lint format notebooks bench lock clean reset

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: $(STAMP) ## Build .venv from the lock and install the course

$(STAMP): $(LOCK) pyproject.toml Makefile labs_common/activate.py
	@bash .ci/check-python $(PYTHON)
	@test -n "$(UV_VERSION)" || { echo "error: $(LOCK) is missing or has no uv pin; restore it with 'git checkout $(LOCK)'" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	@# The course's Python puts .venv/bin first on PATH for everything it starts, so DVC
	@# stages find it in a shell where nothing was activated (labs_common/activate.py).
	@$(BIN)/python -m labs_common.activate
	@touch $(STAMP)
	@echo "setup done: $(VENV) matches $(LOCK)"

pipeline: setup ## Run the DVC pipeline (only the stages whose inputs changed)
	$(BIN)/dvc repro

monitor: setup ## Replay Sep-Dec through the monitors (reports/monitoring)
	$(BIN)/dvc repro monitor
	$(BIN)/labs monitor --table

serve: setup ## Serve the champion on http://127.0.0.1:8000 (docs at /docs)
	$(BIN)/python -m module08_deployment.service --port $${PORT:-8000}

schedule: setup ## Serve the monitor flow as a Prefect deployment on a cron schedule
	$(BIN)/labs schedule

prefect-server: setup ## A Prefect server and UI on http://127.0.0.1:4200 (for `make schedule`)
	$(BIN)/prefect server start --host 127.0.0.1 --port 4200

evidently-ui: setup ## The Evidently UI on reports/workspace (http://127.0.0.1:8002)
	$(BIN)/evidently ui --workspace reports/workspace --host 127.0.0.1 --port 8002

stack-up: pipeline ## The compose stack (API, MLflow, PostgreSQL, MinIO, Prometheus, Grafana, Prefect)
	@test -f docker/.env || { cp docker/.env.example docker/.env; echo "wrote docker/.env from the example: change its passwords"; }
	docker compose -f docker/compose.yaml up --build --wait

stack-down: ## Stop the compose stack (its volumes stay; add -v by hand to drop them)
	docker compose -f docker/compose.yaml down

image-test: ## Build the API image, run it, check /health, /ready, /predict
	bash scripts/image-test.sh $(IMAGE_TEST_ARGS)

bench-serving: setup ## Batch-scoring overhead and the API load benchmark
	OMP_NUM_THREADS=1 $(BIN)/python -m module06_lifecycle.benchmark
	$(BIN)/python benchmarks/serving/bench.py

demo: setup ## Run the capstone end to end and say where to look
	$(BIN)/labs demo $(DEMO_ARGS)

# The tests need the trained model and its reports, not the four-month monitoring replay
# (minutes of retraining; `make monitor` or `make demo` runs it, and it has its own tests).
test: setup ## Lint, pipeline up to register, every test and notebook
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dvc repro register
	OMP_NUM_THREADS=1 $(BIN)/pytest $(PYTEST_ARGS)  # one BLAS/OpenMP thread per worker: 2 workers, 2 cores

test-fast: setup ## The quick loop while you work: no slow tests, no notebooks
	OMP_NUM_THREADS=1 $(BIN)/pytest $(PYTEST_ARGS) -m "not slow and not notebook and not docker"

mutate: setup ## Mutation score of the decision code (~1 h on 2 busy cores); results in benchmarks/results
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.mutation

lint: setup ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Jupyter refuses to start as root (containers, WSL) unless told; only then is it told.
notebooks: setup ## Open the notebooks in Jupyter Lab
	$(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lock: ## Re-resolve requirements.lock from pyproject.toml (network)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra stack --python-version 3.11 --universal -o $(LOCK)

bench-grading: setup ## Time `labs grade` on a freshly solved reference project (many minutes)
	$(BIN)/python -m benchmarks.grading

bench: setup ## Time the pipeline, monitor, API and scale-out scoring; score feature candidates
	$(BIN)/python -m benchmarks.pipeline
	$(BIN)/python -m benchmarks.features
	$(BIN)/python -m benchmarks.decision_time
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.scale_out
	$(BIN)/python -m benchmarks.monitoring.bench
	$(MAKE) bench-serving

clean: ## Remove data, reports, stores and caches (keeps .venv)
	rm -rf data/raw data/interim data/processed models reports .mlflow .prefect .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

# After a class: experiments change params.yaml and dvc.lock (dvc exp run applies its result
# to the workspace), `dvc plots show` writes dvc_plots/, the service logs to data/predictions/.
reset: setup ## Undo a class: params, dvc.lock, experiments, outputs
	git reset -q -- params.yaml dvc.lock
	git checkout HEAD -- params.yaml
	if git cat-file -e HEAD:dvc.lock 2>/dev/null; then git checkout HEAD -- dvc.lock; else rm -f dvc.lock; fi
	$(BIN)/dvc queue remove --all -q
	$(BIN)/dvc exp remove --all-commits -q
	rm -rf dvc_plots data/predictions
	$(MAKE) --no-print-directory clean
