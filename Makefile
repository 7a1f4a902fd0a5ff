# Two commands do all set-up on a fresh machine: `make report` and `make test`.
# Everything runs from a project-local virtual environment in .venv (created on first use).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
QUARTER ?= 2022Q4
LEDGER  ?= data/sample/neixiang_2022_ledger.xlsx

.PHONY: help venv report test test-fast lint lab whatif sample bench clean

help:
	@echo "make report   build the environment and render the $(QUARTER) quarterly review into reports/"
	@echo "make test     build the environment, run ruff and pytest (everything)"
	@echo "make test-fast  ruff and the quick lane: no notebooks, subprocesses or browser (under a minute)"
	@echo "make lab      JupyterLab with the workbench kernel"
	@echo "make whatif   the what-if notebook served by Voila on http://127.0.0.1:8866"
	@echo "make sample   regenerate the bundled synthetic sample county and its year of ledgers (data/sample/series)"
	@echo "make bench    run the benchmarks (prints figures and ratios)"

# Install pinned versions (constraints.txt) and register the Jupyter kernel `workbench`.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name workbench --display-name "Workbench (Python 3)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

report: venv
	$(BIN)/workbench report --quarter $(QUARTER) --ledger $(LEDGER) --out reports

test: venv lint
	$(BIN)/pytest

test-fast: venv lint
	$(BIN)/pytest -m "not slow and not browser"

lint: venv
	$(BIN)/ruff check workbench tests benchmarks

# Containers run as root, which JupyterLab refuses unless told (--allow-root, only when root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: venv
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

whatif: venv
	$(BIN)/voila notebooks/what_if.ipynb --no-browser --port=8866 --Voila.ip=127.0.0.1 --strip_sources=True \
	  --MappingKernelManager.cull_idle_timeout=600 --MappingKernelManager.cull_interval=60

sample: venv
	$(BIN)/workbench sample --series --submissions --out data/sample

bench: venv
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
