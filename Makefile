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

# Offline and quiet: no telemetry, no update checks, local stores inside the repo.
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
export DVC_NO_ANALYTICS := 1
export DVC_STUDIO_OFFLINE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect
# Use the system's CA certificates (corporate proxies); uv's own store would refuse them.
export UV_SYSTEM_CERTS := 1
# DVC stages call `python -m ...`: make it the course's Python.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Keep __pycache__ out of the course folders; the installed packages get their bytecode at
# setup (--compile-bytecode), or every stage, test and kernel would recompile MLflow,
# scikit-learn and pandas from source: 2-3 s per process, measured.
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup pipeline monitor serve image-test bench-serving demo test test-fast mutate lint format notebooks bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv from the lock and install the course (quick when done)

$(STAMP): $(LOCK) pyproject.toml Makefile
	@bash .ci/check-python $(PYTHON)
	@test -n "$(UV_VERSION)" || { echo "error: $(LOCK) is missing or has no uv pin; restore it with 'git checkout $(LOCK)'" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)
	@echo "setup done: $(VENV) matches $(LOCK)"

pipeline: setup ## Run the DVC pipeline (only the stages whose inputs changed)
	$(BIN)/dvc repro

monitor: setup ## Replay Sep-Dec through the drift monitors; reports in reports/monitoring
	$(BIN)/dvc repro monitor
	$(BIN)/labs monitor

serve: setup ## Serve the champion on http://127.0.0.1:8000 (docs at /docs)
	$(BIN)/python -m module08_deployment.service --port $${PORT:-8000}

image-test: ## Build the API image, run it, check /health, /ready and a prediction
	bash scripts/image-test.sh $(IMAGE_TEST_ARGS)

bench-serving: setup ## Batch-scoring overhead and the API load benchmark
	OMP_NUM_THREADS=1 $(BIN)/python -m module06_lifecycle.benchmark
	$(BIN)/python benchmarks/serving/bench.py

demo: setup ## Run the capstone end to end and say where to look
	$(BIN)/labs demo

# The tests need the trained model and its reports, not the four-month monitoring replay
# (minutes of retraining; `make monitor` or `make demo` runs it, and it has its own tests).
test: setup ## Lint, run the pipeline up to register, then every test (slow and notebooks too)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dvc repro register
	OMP_NUM_THREADS=1 $(BIN)/pytest $(PYTEST_ARGS)  # one BLAS/OpenMP thread per worker: 2 workers, 2 cores

test-fast: setup ## The quick loop while you work: no slow tests, no notebooks
	$(BIN)/pytest -m "not slow and not notebook and not docker"

mutate: setup ## Mutation score of the decision code (~1 h on 2 busy cores); results in benchmarks/results
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.mutation

lint: setup ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

notebooks: setup ## Open the notebooks in Jupyter Lab
	$(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1

lock: ## Re-resolve requirements.lock from pyproject.toml (needs the registry)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal -o $(LOCK)

bench: setup ## Time the pipeline, monitor and API; score feature candidates (JSON + markdown)
	$(BIN)/python -m benchmarks.pipeline
	$(BIN)/python -m benchmarks.features
	$(BIN)/python -m benchmarks.monitoring.bench
	$(MAKE) bench-serving

clean: ## Remove generated data, reports, stores and caches (keeps .venv)
	rm -rf data/raw data/interim data/processed models reports .mlflow .prefect .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
