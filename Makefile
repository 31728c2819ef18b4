# attention-lab: `make lab` to learn, `make test` to check everything. `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to run as root unless told; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/*/*.ipynb))
# The compatibility job: a second venv with the ipywidgets that Colab ships, everything else as
# locked. Its constraints are the lock less the widget pins, derived here, never kept by hand.
COMPAT        := .venv-compat
COMPAT_STAMP  := $(COMPAT)/.installed
COMPAT_PINS   := ipywidgets==7.7.1
WIDGET_PINS   := ^(ipywidgets|widgetsnbextension|jupyterlab[-_]widgets)==
# Deprecation warnings that ipywidgets 7 itself raises (its own, and ipykernel's about the old
# Comm class that ipywidgets 7 still uses), filtered in this job only; pytest's -W
# adds to the warnings-are-errors rule of pyproject.toml instead of replacing it.
COMPAT_FILTERS := -W 'ignore::DeprecationWarning:ipywidgets.*' \
	-W 'ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning'

LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_DEFAULTS  := {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}

.DEFAULT_GOAL := help
.PHONY: help install lab test lint unit nbval test-compat execute determinism colab release lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP)  ## Create .venv with the tested versions (only redone when pyproject or the lock change)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

lab: $(STAMP) $(LAB_OVERRIDES)  ## Open the notebooks in JupyterLab (localhost only, token required)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT)

# JupyterLab's defaults inside .venv only (the user's own settings still win): no pop-up asking
# to fetch news on the first visit, no check for updates.
$(LAB_OVERRIDES): $(STAMP)
	@mkdir -p $(dir $@)
	@echo '$(LAB_DEFAULTS)' > $@

test: lint unit nbval  ## Lint, unit tests, then re-run every notebook under nbval

lint: $(STAMP)  ## Ruff over the package, the tests and the notebooks
	$(BIN)/ruff check attention_lab tests notebooks
	$(BIN)/ruff format --check attention_lab tests

unit: $(STAMP)  ## Unit, property and hygiene tests
	$(BIN)/python -m pytest tests

# nbval runs the notebooks in parallel: NBVAL_WORKERS workers (pytest-xdist; auto: one per CPU),
# each running whole notebooks (--dist loadfile), since a notebook's cells share one kernel.
# Each kernel computes on one thread: with one notebook per CPU, torch's own threads would only
# fight over the cores (08's timing cell took 19 s instead of 2.4 s).
NBVAL_WORKERS ?= auto

nbval: $(STAMP)  ## Re-execute every notebook, in parallel, and compare with its stored outputs
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -p no:randomly -n $(NBVAL_WORKERS) --dist loadfile --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

$(COMPAT_STAMP): pyproject.toml constraints.txt
	@test -x $(COMPAT)/bin/python || $(PYTHON) -m venv $(COMPAT)
	grep -vE '$(WIDGET_PINS)' constraints.txt > $(COMPAT)/constraints.txt
	$(COMPAT)/bin/python -m pip install --quiet -c $(COMPAT)/constraints.txt -e '.[dev]' '$(COMPAT_PINS)'
	@touch $@

test-compat: $(COMPAT_STAMP)  ## Widget and exercise tests, then the English notebooks, with ipywidgets 7 (as on Colab)
	$(COMPAT)/bin/python -c 'import ipywidgets, torch; assert ipywidgets.__version__.startswith("7."), ipywidgets.__version__; print("ipywidgets", ipywidgets.__version__, "torch", torch.__version__)'
	$(COMPAT)/bin/python -m pytest -p no:randomly $(COMPAT_FILTERS) tests/test_widgets.py tests/test_exercises.py
	$(COMPAT)/bin/python -m pytest -p no:randomly $(COMPAT_FILTERS) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg $(wildcard notebooks/*.ipynb)

execute: $(STAMP)  ## Re-run every notebook in place on the CPU to refresh stored outputs, then strip volatile metadata
	ATTENTION_LAB_DEVICE=cpu $(BIN)/python -m attention_lab.tools.notebook_tools execute $(NOTEBOOKS)

determinism: $(STAMP)  ## Re-run every notebook RUNS times (default 10) on the default device and on the CPU; compare text outputs
	$(BIN)/python -m attention_lab.tools.notebook_tools determinism --runs $(or $(RUNS),10) $(NOTEBOOKS)
	ATTENTION_LAB_DEVICE=cpu $(BIN)/python -m attention_lab.tools.notebook_tools determinism --runs $(or $(RUNS),10) $(NOTEBOOKS)

colab: $(STAMP)  ## Rewrite the notebooks' Colab badges and setup cells (and README links) from pyproject.toml
	$(BIN)/python -m attention_lab.tools.colab sync $(NOTEBOOKS) README.md

release: $(STAMP)  ## Tag v{version}: first the tree is clean, CHANGELOG and every badge match pyproject, make test passes
	@test "$(origin NOTEBOOKS)" = file || { echo "make release tests every notebook: run it without NOTEBOOKS=" >&2; exit 1; }
	$(BIN)/python -m attention_lab.tools.release check
	$(MAKE) test
	$(BIN)/python -m attention_lab.tools.release tag

lock: $(STAMP)  ## Rewrite constraints.txt from the installed environment
	@{ echo "# Tested versions: 'make install' installs with these as constraints. Refresh with 'make lock'."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -vE '^(pip|setuptools|wheel)==' | sed 's/+cpu$$//'; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt

clean:  ## Remove the environment and caches
	rm -rf $(VENV) $(COMPAT) .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
