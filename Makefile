# attention-lab: `make lab` to learn, `make test` to check everything. `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to run as root unless told; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/*/*.ipynb))

.DEFAULT_GOAL := help
.PHONY: help install lab test lint unit nbval execute determinism colab lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP)  ## Create .venv with the tested versions (only redone when pyproject or the lock change)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

lab: $(STAMP)  ## Open the notebooks in JupyterLab (localhost only, token required)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT)

test: lint unit nbval  ## Lint, unit tests, then re-run every notebook under nbval

lint: $(STAMP)  ## Ruff over the package, the tests and the notebooks
	$(BIN)/ruff check attention_lab tests notebooks
	$(BIN)/ruff format --check attention_lab tests

unit: $(STAMP)  ## Unit, property and hygiene tests
	$(BIN)/python -m pytest tests

nbval: $(STAMP)  ## Re-execute every notebook and compare with its stored outputs
	$(BIN)/python -m pytest -p no:randomly --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

execute: $(STAMP)  ## Re-run every notebook in place on the CPU to refresh stored outputs, then strip volatile metadata
	ATTENTION_LAB_DEVICE=cpu $(BIN)/python -m attention_lab.tools.notebook_tools execute $(NOTEBOOKS)

determinism: $(STAMP)  ## Re-run every notebook RUNS times (default 10) on the default device and on the CPU; compare text outputs
	$(BIN)/python -m attention_lab.tools.notebook_tools determinism --runs $(or $(RUNS),10) $(NOTEBOOKS)
	ATTENTION_LAB_DEVICE=cpu $(BIN)/python -m attention_lab.tools.notebook_tools determinism --runs $(or $(RUNS),10) $(NOTEBOOKS)

colab: $(STAMP)  ## Rewrite the notebooks' Colab badges and setup cells (and README links) from pyproject.toml
	$(BIN)/python -m attention_lab.tools.colab sync $(NOTEBOOKS) README.md

lock: $(STAMP)  ## Rewrite constraints.txt from the installed environment
	@{ echo "# Tested versions: 'make install' installs with these as constraints. Refresh with 'make lock'."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -vE '^(pip|setuptools|wheel)==' | sed 's/+cpu$$//'; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt

clean:  ## Remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
