# The two commands of the README, plus the ones course authors use.
#   make lab        JupyterLab on the course, in .venv
#   make test       the whole test suite: unit tests, notebooks under nbval, grading, browser
#   make notebooks  re-execute every lecture and solution notebook and save its outputs
#   make exercises  regenerate exercises/ from solutions/
#   make bench      the benchmarks (see benchmarks/README.md)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg --nbval-cell-timeout=120
LECTURES := $(sort $(wildcard notebooks/*.ipynb))
SOLUTIONS := $(sort $(wildcard solutions/*.ipynb))

.PHONY: lab test notebooks exercises bench

# pytest-xdist runs two notebooks at once on a 2-core machine; two BLAS threads per kernel on
# top of that oversubscribe the cores and slow small matrix products tenfold. One thread is the
# default; set OPENBLAS_NUM_THREADS in the environment to override (outputs do not depend on it).
OPENBLAS_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS

# Install only when pyproject.toml changed since the last install (the stamp files' dates).
$(VENV)/.installed-core: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed-core

# --no-browser when there is no display (JupyterLab prints the URL to open); --allow-root only
# for root, as in a container.
lab: $(VENV)/.installed-core
	$(VENV)/bin/jupyter lab $(if $(DISPLAY),,--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir=. notebooks/01-sequences.ipynb

test: $(VENV)/.installed-test
	$(PY) -m pytest -n 2 --dist loadfile $(NBVAL) $(PYTEST_ARGS)

notebooks: $(VENV)/.installed-test
	$(PY) -m rnnlib.execute $(LECTURES) $(SOLUTIONS)

exercises: $(VENV)/.installed-core
	$(PY) -m rnnlib.assign solutions exercises

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run.py
